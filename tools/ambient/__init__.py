"""The ambient instrument: a MusicConfig rendered to stereo audio.

`render_config(config, duration, seed, sample_rate, target_lufs)` is the
one entry point (`render_parts` adds the score it played and per-layer
stems); see tools/ambient/controls.py for what each field does.
"""

import hashlib
from functools import cache
from pathlib import Path

from tools.ambient.render import Render, render_config, render_levelled, render_parts

__all__ = ["Render", "engine_fingerprint", "render_config", "render_levelled", "render_parts"]
# Modules that describe or export what the engine plays and cannot change a sample of it.
NOT_SYNTHESIS = frozenset({"midi.py", "styles.py"})


@cache
def engine_fingerprint() -> str:
    """sha256 of this engine's source files: changes whenever the synthesis can (render caches key on it)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(__file__).parent.glob("*.py") if p.name not in NOT_SYNTHESIS):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
