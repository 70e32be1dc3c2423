"""vibesynth: let language models play synthesizers.

The top of the dependency chain (tools <- palettes <- reference <- agent <- optimize
<- vibesynth, with aesthetics beside them): the `vibesynth` command line lives in
`vibesynth.cli`, the Python API in `vibesynth.api`; nothing below imports this package.

    import vibesynth
    piece = vibesynth.render("rainy afternoon in Tokyo", duration=30)
    piece.save("rain.wav")

`render`, `dj`, `score`, `refine` and `replay` are imported on first use, so `import vibesynth` stays cheap.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

_API = ("render", "refine", "dj", "score", "Rendered", "DJSet")
_REFINING = ("replay",)
__all__ = [*_API, *_REFINING, "__version__"]


def _version() -> str:
    try:
        return metadata.version("vibesynth")
    except metadata.PackageNotFoundError:
        return "0+unknown"


__version__ = _version()


def __getattr__(name: str) -> Any:
    if name in _API:
        from vibesynth import api

        return getattr(api, name)
    if name in _REFINING:
        from vibesynth import refining

        return getattr(refining, name)
    raise AttributeError(f"module 'vibesynth' has no attribute {name!r}")
