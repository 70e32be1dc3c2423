"""The brief-reading reference policy's set for a brief, rendered once and kept (judge checks reuse it).

`reference_set(brief, bars)` plays the set `--lm reference` plays for a brief
(palette and tempo from `reference.brief_mapper`, arrangement from
`reference.set_rules`, seed 0) through the mixer's tools and guardrails,
peak-normalised, at the mixer's rate. The stereo float32 audio is kept as
`.npy` under `$VIBESYNTH_CACHE/dj-sets/`, keyed on the brief, the bar count,
the seed and a fingerprint of the code that makes the set (the policy's rules,
the brief mapper, the arrangement space, the mixer and the curated palettes'
manifests), so judge versions compare on the very same audio and a change to
the policy renders afresh. Written atomically.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path

import numpy as np

from tools.files import write_bytes
from tools.paths import cache_root

ROOT = Path(__file__).resolve().parents[2]
SEED = 0
SOURCES = (
    "reference/set_rules.py",
    "reference/set_plan.py",
    "reference/brief_mapper.py",
    "reference/policies.py",
    "reference/arrangement_space.py",
    "aesthetics/dj/reading.py",
)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 (16 hex) over the sources that make a reference set, the mixer package and the curated manifests."""
    from palettes import curated_palettes

    digest = hashlib.sha256()
    paths = [ROOT / s for s in SOURCES] + sorted((ROOT / "tools" / "mixer").glob("*.py")) + sorted(curated_palettes())
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def set_key(brief: str, bars: int) -> str:
    return hashlib.sha256(f"{brief}\0{bars}\0{SEED}\0{code_fingerprint()}".encode()).hexdigest()[:24]


def play(brief: str, bars: int) -> tuple[np.ndarray, int, dict]:
    """Render the reference policy's set for `brief`: (audio, sample rate, {palette, bpm})."""
    from palettes import curated_palettes
    from palettes.library import load_palette
    from reference.brief_mapper import choose
    from reference.policies import ReferencePolicy
    from reference.policy import Stage
    from tools.loudness import normalize_peak
    from tools.mixer import MixerSession, SetComplete

    choice = choose(brief, curated_palettes())
    palette = load_palette(choice.palette)
    bpm = palette.bpm if choice.bpm is None else choice.bpm
    session = MixerSession(palette.samples, bpm, bars, seed=SEED, alternatives=palette.alternatives)
    try:
        ReferencePolicy().play(Stage.of_session(session, brief=brief))
    except SetComplete:
        pass
    audio = normalize_peak(session.render()).astype(np.float32)
    return audio, int(session.sample_rate), {"palette": choice.palette.stem, "bpm": float(bpm)}


def reference_set(brief: str, bars: int, folder: Path | None = None) -> tuple[np.ndarray, int, dict]:
    """The reference policy's set for `brief` (cached; see the module docstring)."""
    folder = folder or cache_root() / "dj-sets"
    key = set_key(brief, bars)
    path = folder / f"{key}.npz"
    if path.exists():
        with np.load(path) as kept:
            return kept["audio"], int(kept["rate"]), {"palette": str(kept["palette"]), "bpm": float(kept["bpm"])}
    audio, rate, meta = play(brief, bars)
    buffer = io.BytesIO()
    np.savez(buffer, audio=audio, rate=rate, palette=meta["palette"], bpm=meta["bpm"], brief=brief)
    write_bytes(path, buffer.getvalue())
    return audio, rate, meta
