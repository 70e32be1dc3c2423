"""Where the project keeps generated files (sample library, Deno/Pyodide cache, checkpoints, indexes).

One rule, checkout or installed: `$VIBESYNTH_CACHE` if set and non-empty,
else the user cache directory (platformdirs: `~/.cache/vibesynth` on Linux,
`~/Library/Caches/vibesynth` on macOS). Never inside the package, so an
installed copy does not write into site-packages.

Records that travel (reports, compile sidecars, eval configs) name paths with
`recorded`: `$VIBESYNTH_CACHE/...` under the cache root, relative to the
repository inside it, absolute only elsewhere; `resolve_recorded` reads them
back on any machine.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def cache_root() -> Path:
    """`$VIBESYNTH_CACHE` if set and non-empty, else the user cache dir for `vibesynth`."""
    override = os.environ.get("VIBESYNTH_CACHE")
    if override:
        return Path(override)
    from platformdirs import user_cache_path

    return user_cache_path("vibesynth", appauthor=False)


CACHE_MARK = "$VIBESYNTH_CACHE"


def recorded(path: str | Path) -> str:
    """An existing path as records write it (see the module docstring); a name that is no path stays as given."""
    given = Path(path).expanduser()
    if not given.exists():
        return str(path)
    full = given.resolve()
    cache = cache_root().expanduser().resolve()
    if full.is_relative_to(cache):
        return f"{CACHE_MARK}/{full.relative_to(cache).as_posix()}".rstrip("/.")
    if full.is_relative_to(REPO_ROOT):
        return full.relative_to(REPO_ROOT).as_posix()
    return str(full)


def resolve_recorded(text: str | Path) -> Path:
    """A recorded path on this machine: the cache mark expanded, a relative path found from the current folder or,
    failing that, from the repository."""
    value = str(text)
    if value == CACHE_MARK or value.startswith(CACHE_MARK + "/"):
        return cache_root() / value.removeprefix(CACHE_MARK).lstrip("/")
    path = Path(value).expanduser()
    if path.is_absolute() or path.exists() or not (REPO_ROOT / path).exists():
        return path
    return REPO_ROOT / path
