"""Deliberately broken DJ sets: what any judge must rank below the reference arrangement.

Each is the reference arrangement with one listener-obvious fault, made
deterministically from the same palette, tempo and seed:

- `no_kick`: the reference's tool calls without a single kick call;
- `off_grid`: the reference cut into beats, each beat moved by a random
  20-45 % of a beat (either way), overlapped with short fades: no steady pulse;
- `silence_gaps`: the reference with the second half of every 2 bars muted;
- `all_sub`: the reference low-passed at 120 Hz (only sub bass survives).

All are peak-normalised to -1 dBTP like the reference itself.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfiltfilt

from palettes.library import Palette
from reference.arrangements import BARS, play_calls, reference_calls
from tools.loudness import normalize_peak
from tools.mixer import MixerSession

FAULTS = ("no_kick", "off_grid", "silence_gaps", "all_sub")
SUB_CUTOFF_HZ = 120.0
FADE_SECONDS = 0.005


def _render(palette: Palette, kind: str, bpm: float, seed: int, sample_rate: int, drop_kick: bool) -> np.ndarray:
    calls = [(name, args) for name, args in reference_calls(kind) if not (drop_kick and args.get("role") == "kick")]
    session = MixerSession(palette.samples, bpm, BARS[kind], seed=seed, sample_rate=sample_rate, alternatives=palette.alternatives)
    play_calls(session, calls)
    return session.render()


def _beat_frames(bpm: float, sample_rate: int) -> float:
    return 60.0 / bpm * sample_rate


def off_grid(audio: np.ndarray, bpm: float, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Every beat moved by a random 20-45 % of a beat, early or late (overlap-add with fades)."""
    beat = _beat_frames(bpm, sample_rate)
    count = int(audio.shape[0] // beat)
    fade = max(int(FADE_SECONDS * sample_rate), 1)
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)[:, None]
    out = np.zeros_like(audio)
    for k in range(count):
        start, end = int(round(k * beat)), int(round((k + 1) * beat))
        chunk = audio[start:end].copy()
        chunk[:fade] *= ramp
        chunk[-fade:] *= ramp[::-1]
        shift = int(rng.uniform(0.2, 0.45) * beat) * (1 if rng.random() < 0.5 else -1)
        lo = min(max(start + shift, 0), audio.shape[0] - chunk.shape[0])
        out[lo : lo + chunk.shape[0]] += chunk
    return out


def silence_gaps(audio: np.ndarray, bpm: float, sample_rate: int) -> np.ndarray:
    """The second bar of every two muted (short fades at each edge)."""
    bar = 4 * _beat_frames(bpm, sample_rate)
    gain = np.ones(audio.shape[0], dtype=np.float32)
    position = np.arange(audio.shape[0]) % (2 * bar)
    gain[position >= bar] = 0.0
    fade = max(int(FADE_SECONDS * sample_rate), 1)
    gain = np.convolve(gain, np.ones(fade, dtype=np.float32) / fade, mode="same")
    return audio * gain[:, None]


def all_sub(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    sos = butter(4, SUB_CUTOFF_HZ, btype="lowpass", fs=sample_rate, output="sos")
    return sosfiltfilt(sos, audio, axis=0).astype(np.float32)


def broken_set(fault: str, palette: Palette, kind: str = "32", bpm: float | None = None, seed: int = 0, sample_rate: int = 44100) -> np.ndarray:
    """The reference arrangement `kind` with one fault (see FAULTS), peak-normalised to -1 dBTP."""
    if fault not in FAULTS:
        raise ValueError(f"unknown fault {fault!r}; choose from {', '.join(FAULTS)}")
    tempo = float(palette.bpm if bpm is None else bpm)
    audio = _render(palette, kind, tempo, seed, sample_rate, drop_kick=fault == "no_kick")
    if fault == "off_grid":
        audio = off_grid(audio, tempo, sample_rate, np.random.default_rng([seed, 7]))
    elif fault == "silence_gaps":
        audio = silence_gaps(audio, tempo, sample_rate)
    elif fault == "all_sub":
        audio = all_sub(audio, sample_rate)
    return normalize_peak(audio)
