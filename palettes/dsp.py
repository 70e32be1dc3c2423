"""Envelopes, filters and loop helpers for the sample recipes (numpy/scipy only).

Pitch and oscillators come from the shared core, `tools.synth_core`.
"""

from __future__ import annotations

import numpy as np

NOTE_INDEX = {"C": 0, "C#": 1, "D": 2, "D#": 3, "E": 4, "F": 5, "F#": 6, "G": 7, "G#": 8, "A": 9, "A#": 10, "B": 11}
MINOR_SCALE = (0, 2, 3, 5, 7, 8, 10)


def root_midi(key: str, octave: int) -> int:
    """MIDI note of the key's root (key like 'A' or 'F#', minor implied) in an octave."""
    return 12 * (octave + 1) + NOTE_INDEX[key]


def scale_note(key: str, octave: int, degree: int) -> int:
    """MIDI note of a minor-scale degree (may exceed 7: wraps into higher octaves)."""
    octave_shift, index = divmod(degree, len(MINOR_SCALE))
    return root_midi(key, octave) + 12 * octave_shift + MINOR_SCALE[index]


def t_axis(seconds: float, sr: int) -> np.ndarray:
    return np.arange(int(round(seconds * sr))) / sr


def exp_env(n: int, decay_s: float, sr: int) -> np.ndarray:
    return np.exp(-np.arange(n) / (decay_s * sr))


def attack(n: int, attack_s: float, sr: int) -> np.ndarray:
    ramp = np.arange(n) / max(attack_s * sr, 1.0)
    return np.clip(ramp, 0.0, 1.0)


def sweep_sine(freq: np.ndarray, sr: int, phase: float = 0.0) -> np.ndarray:
    """Sine following a frequency curve (Hz per sample)."""
    return np.sin(phase + 2.0 * np.pi * np.cumsum(freq) / sr)


def filt(x: np.ndarray, kind: str, cutoff, sr: int, order: int = 2) -> np.ndarray:
    """Butterworth filter along axis 0 (kind: lowpass, highpass, bandpass)."""
    nyquist = sr / 2.0
    edges = np.clip(np.atleast_1d(cutoff) / nyquist, 1e-4, 0.999)
    from scipy.signal import butter, sosfilt  # here, not at the top: playing a set never filters (~1 s of start-up)

    sos = butter(order, edges if kind == "bandpass" else edges[0], btype=kind, output="sos")
    return sosfilt(sos, x, axis=0)


def stereo(left: np.ndarray, right: np.ndarray | None = None) -> np.ndarray:
    return np.stack([left, left if right is None else right], axis=1)


def normalize(audio: np.ndarray, peak: float = 0.89) -> np.ndarray:
    top = float(np.max(np.abs(audio)))
    return audio if top == 0 else audio * (peak / top)


def wrap_loop(audio: np.ndarray, frames: int) -> np.ndarray:
    """Fold everything past `frames` back onto the start so the loop is seamless."""
    out = np.zeros((frames,) + audio.shape[1:])
    for start in range(0, audio.shape[0], frames):
        chunk = audio[start : start + frames]
        out[: chunk.shape[0]] += chunk
    return out


def fade_out(audio: np.ndarray, seconds: float, sr: int) -> np.ndarray:
    n = min(int(seconds * sr), audio.shape[0])
    ramp = np.ones(audio.shape[0])
    ramp[audio.shape[0] - n :] = np.linspace(1.0, 0.0, n)
    return audio * (ramp[:, None] if audio.ndim == 2 else ramp)


def loop_freq(freq: float, frames: int, sr: int) -> float:
    """Nearest frequency with a whole number of cycles in the loop (no click at the seam)."""
    return max(round(freq * frames / sr), 1) * sr / frames


def periodic_noise(rng: np.random.Generator, frames: int, band: tuple[float, float], sr: int) -> np.ndarray:
    """Band-limited noise that repeats seamlessly every `frames` (built in the frequency domain)."""
    freqs = np.fft.rfftfreq(frames, 1.0 / sr)
    mask = (freqs >= band[0]) & (freqs <= band[1])
    spectrum = mask * (rng.normal(size=freqs.size) + 1j * rng.normal(size=freqs.size))
    noise = np.fft.irfft(spectrum, n=frames)
    return noise / max(np.max(np.abs(noise)), 1e-12)
