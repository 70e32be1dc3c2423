"""Synthetic test material for the judge tests: one small musical piece and obviously bad audio.

The musical piece (chords with envelopes over a kick/hat beat, through
pedalboard reverb) stands in for a rendered ambient piece or DJ set.
"""

from __future__ import annotations

import numpy as np
from pedalboard import Pedalboard, Reverb

from tools.loudness import normalize_loudness
from tools.synth_core import midi_to_hz

SR = 44100
CHORDS = [(57, 60, 64, 67), (53, 57, 60, 64), (48, 52, 55, 59), (55, 59, 62, 65)]


def music(seconds: float = 20.0, seed: int = 0, sr: int = SR) -> np.ndarray:
    """A loudness-normalised (-16 LUFS) stereo chord-and-beat loop, float32 (frames, 2)."""
    rng = np.random.default_rng(seed)
    n = int(seconds * sr)
    t = np.arange(n) / sr
    out = np.zeros((n, 2), np.float32)
    bar = 2.0  # 120 BPM, 4/4
    for start in np.arange(0.0, seconds, bar):
        chord = CHORDS[int(start / bar) % len(CHORDS)]
        i0, i1 = int(start * sr), min(n, int((start + bar) * sr))
        tt = t[i0:i1] - start
        env = np.minimum(tt / 0.08, 1.0) * np.exp(-tt * 1.2)
        for k, note in enumerate(chord):
            tone = np.sin(2 * np.pi * float(midi_to_hz(note)) * tt) + 0.3 * np.sin(4 * np.pi * float(midi_to_hz(note)) * tt)
            pan = 0.3 + 0.4 * k / 3
            out[i0:i1, 0] += (0.12 * env * tone * (1 - pan)).astype(np.float32)
            out[i0:i1, 1] += (0.12 * env * tone * pan).astype(np.float32)
    for beat in np.arange(0.0, seconds, 0.5):
        i0 = int(beat * sr)
        m = min(n - i0, int(0.3 * sr))
        tt = np.arange(m) / sr
        kick = np.sin(2 * np.pi * (50 + 80 * np.exp(-tt * 30)) * tt) * np.exp(-tt * 12)
        out[i0 : i0 + m] += (0.25 * kick)[:, None].astype(np.float32)
        h0 = i0 + int(0.25 * sr)
        hm = min(n - h0, int(0.05 * sr))
        if hm > 0:
            hat = rng.standard_normal((hm, 2)) * np.exp(-np.arange(hm) / sr * 80)[:, None]
            out[h0 : h0 + hm] += (0.05 * np.diff(hat, axis=0, prepend=0)).astype(np.float32)
    wet = Pedalboard([Reverb(room_size=0.7, wet_level=0.25, dry_level=0.8)])(out.T.copy(), sr).T
    return normalize_loudness(np.ascontiguousarray(wet, dtype=np.float32), sr, -16.0)


def bad_audio(reference: np.ndarray, seed: int = 0, sr: int = SR) -> dict[str, np.ndarray]:
    """Obviously bad clips as long as `reference`: clipped, silent, DC, noise, sine, hiss."""
    rng = np.random.default_rng(seed)
    n = reference.shape[0]
    t = np.arange(n) / sr
    noise = rng.standard_normal((n, 2)).astype(np.float32)
    hiss = np.diff(np.diff(noise, axis=0, prepend=0), axis=0, prepend=0)
    sine = np.sin(2 * np.pi * 440.0 * t).astype(np.float32)
    return {
        "clipped": np.clip(reference * 12.0, -1.0, 1.0),
        "silent": np.zeros_like(reference),
        "dc_offset": (reference * 0.5 + 0.3).astype(np.float32),
        "white_noise": 0.2 * noise,
        "static_sine": np.stack([0.5 * sine, 0.5 * sine], axis=1),
        "harsh_hiss": (0.1 * hiss).astype(np.float32),
    }
