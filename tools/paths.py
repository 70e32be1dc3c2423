"""Where the project keeps generated files (sample library, Deno/Pyodide cache, checkpoints, indexes).

One rule, checkout or installed: `$VIBESYNTH_CACHE` if set and non-empty,
else the user cache directory (platformdirs: `~/.cache/vibesynth` on Linux,
`~/Library/Caches/vibesynth` on macOS). Never inside the package, so an
installed copy does not write into site-packages.
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
