"""Tiny synthetic samples and helpers for the DJ mixer tests (fast at low sample rates)."""

from __future__ import annotations

import numpy as np

from tools.mixer import Sample

SR = 8000


def impulse(sample_id: str, role: str, sr: int = SR, length: int = 64) -> Sample:
    """A one-shot whose first frame is 1 and the rest silent: hits show up as exact spikes."""
    audio = np.zeros((length, 2), dtype=np.float32)
    audio[0] = 1.0
    return Sample(sample_id, role, audio, sr, loop=False)


def decaying(sample_id: str, role: str, seconds: float, sr: int = SR) -> Sample:
    t = np.arange(int(seconds * sr)) / sr
    tone = np.sin(2 * np.pi * 220 * t) * np.exp(-t / (seconds / 4))
    return Sample(sample_id, role, np.stack([tone, tone], axis=1), sr, loop=False)


def stepped_loop(sample_id: str, role: str, bars: int, bpm: float, sr: int = SR) -> Sample:
    """An n-bar loop whose bar j is a constant level (j + 1) / 10: which bar plays is readable."""
    frames = round(bars * 240 / bpm * sr)
    edges = [round(j * frames / bars) for j in range(bars + 1)]
    mono = np.zeros(frames, dtype=np.float32)
    for j in range(bars):
        mono[edges[j] : edges[j + 1]] = (j + 1) / 10
    return Sample(sample_id, role, np.stack([mono, mono], axis=1), sr, loop=True, bars=bars, bpm=bpm)


def tone_loop(sample_id: str, role: str, bars: int, bpm: float, hz: float, sr: int = SR) -> Sample:
    frames = round(bars * 240 / bpm * sr)
    cycles = round(hz * frames / sr)
    mono = 0.5 * np.sin(2 * np.pi * cycles * np.arange(frames) / frames)
    return Sample(sample_id, role, np.stack([mono, mono], axis=1), sr, loop=True, bars=bars, bpm=bpm)


def kit(sr: int = SR, bpm: float = 128.0) -> dict[str, Sample]:
    """A full set of roles with tiny samples."""
    return {
        "kick": decaying("k", "kick", 0.2, sr),
        "hihat": decaying("h", "hihat", 0.05, sr),
        "clap": decaying("c", "clap", 0.1, sr),
        "perc": decaying("p", "perc", 0.08, sr),
        "openhat": decaying("o", "openhat", 0.15, sr),
        "synth": decaying("s", "synth", 0.3, sr),
        "fx": decaying("f", "fx", 0.5, sr),
        "bassline": tone_loop("b", "bassline", 2, bpm, 55.0, sr),
        "texture": tone_loop("t", "texture", 4, bpm, 330.0, sr),
    }


_LIBRARY: dict[str, object] = {}


def full_library():
    """The whole generated library, built once per test process into a temporary cache."""
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    from palettes.library import build_library

    if "cache" not in _LIBRARY:
        cache = Path(tempfile.mkdtemp(prefix="vibesynth-dj-"))
        atexit.register(shutil.rmtree, cache, ignore_errors=True)
        _LIBRARY["manifest"] = build_library(root=cache / "samples")
        _LIBRARY["cache"] = cache
    return _LIBRARY["cache"], _LIBRARY["manifest"]
