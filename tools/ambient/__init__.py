"""The ambient instrument: a MusicConfig rendered to stereo audio.

`render_config(config, duration, seed, sample_rate, target_lufs)` is the
one entry point; see tools/ambient/controls.py for what each field does.
"""

import hashlib
from functools import cache
from pathlib import Path

from tools.ambient.render import render_config, render_levelled

__all__ = ["engine_fingerprint", "render_config", "render_levelled"]


@cache
def engine_fingerprint() -> str:
    """sha256 of this engine's source files: changes whenever the synthesis can (render caches key on it)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
