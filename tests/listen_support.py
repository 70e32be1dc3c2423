"""Tiny renders of two or three 'systems' for the listening-test tests, at very different loudness."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tools.audio_io import write_audio

SR = 16000
BRIEFS = ("rainy afternoon in Tokyo", "bright summer morning", "dark Berlin techno", "slow foggy harbour")
# Gains far apart so the loudness match has work to do.
SYSTEMS = {"tone": 0.02, "noise": 0.6, "chirp": 0.2}


def clip(system: str, index: int, seconds: float = 1.5) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    gain = SYSTEMS[system]
    if system == "tone":
        mono = np.sin(2 * np.pi * (220 + 55 * index) * t)
    elif system == "noise":
        mono = np.random.default_rng(index).standard_normal(t.size) * 0.3
    else:
        mono = np.sin(2 * np.pi * (200 + 600 * t) * t)
    return (np.stack([mono, mono * 0.9], axis=1) * gain).astype(np.float32)


def write_renders(root: Path, systems=("tone", "noise"), items: int = 3) -> dict[str, Path]:
    """One folder per system, item<i>.wav with a sidecar {"vibe": brief} as `vibesynth render` writes."""
    folders = {}
    for system in systems:
        folder = root / system
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(items):
            write_audio(folder / f"item{i}.wav", clip(system, i), SR)
            (folder / f"item{i}.json").write_text(json.dumps({"vibe": BRIEFS[i % len(BRIEFS)]}))
        folders[system] = folder
    return folders
