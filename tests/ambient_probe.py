"""Render helpers and audio descriptors for the ambient engine tests (numpy/scipy only)."""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfilt, stft

from tools.ambient import render_config
from tools.schema import MusicConfig

SR = 22050
BASE = {
    "tempo": "medium",
    "root": "c",
    "mode": "minor",
    "brightness": "medium",
    "space": "small",
    "density": 3,
    "bass": "sustained",
    "pad": "warm_slow",
    "melody": "contemplative",
    "rhythm": "none",
    "texture": "none",
    "accent": "none",
    "motion": "static",
    "attack": "medium",
    "stereo": "medium",
    "depth": False,
    "echo": "none",
    "human": "robotic",
    "grain": "clean",
}


def render(seconds: float = 4.0, seed: int = 0, sr: int = SR, solo: str | None = None, **fields) -> np.ndarray:
    return render_config(MusicConfig.parse({**BASE, **fields}), seconds, seed=seed, sample_rate=sr, solo=solo)


def mono(audio: np.ndarray) -> np.ndarray:
    return audio.mean(axis=1).astype(np.float64)


def band(audio: np.ndarray, lo: float | None = None, hi: float | None = None, sr: int = SR) -> np.ndarray:
    x = mono(audio)
    if lo and hi:
        sos = butter(4, [lo, hi], btype="bandpass", fs=sr, output="sos")
    elif lo:
        sos = butter(4, lo, btype="highpass", fs=sr, output="sos")
    else:
        sos = butter(4, hi, btype="lowpass", fs=sr, output="sos")
    return sosfilt(sos, x)


def envelope(x: np.ndarray, hop: int = 64) -> np.ndarray:
    """RMS envelope in frames of `hop` samples."""
    frames = x[: x.size // hop * hop].reshape(-1, hop)
    return np.sqrt(np.mean(frames**2, axis=1) + 1e-12)


def centroid(audio: np.ndarray, sr: int = SR) -> float:
    spec = np.abs(np.fft.rfft(mono(audio))) ** 2
    freqs = np.fft.rfftfreq(audio.shape[0], 1 / sr)
    return float(np.sum(freqs * spec) / np.sum(spec))


def energy_fraction(audio: np.ndarray, lo: float, hi: float, sr: int = SR) -> float:
    spec = np.abs(np.fft.rfft(mono(audio))) ** 2
    freqs = np.fft.rfftfreq(audio.shape[0], 1 / sr)
    return float(np.sum(spec[(freqs >= lo) & (freqs < hi)]) / np.sum(spec))


def onsets(x: np.ndarray, hop: int = 64, sr: int = SR, rel: float = 0.3) -> np.ndarray:
    """Onset times (s): peaks of positive log-envelope flux above `rel` of the largest."""
    env = np.log(envelope(x, hop) + 1e-6)
    flux = np.maximum(0.0, np.diff(env, prepend=env[0]))
    flux = np.convolve(flux, np.ones(3) / 3, mode="same")
    threshold = rel * np.max(flux)
    peaks = [i for i in range(1, flux.size - 1) if flux[i] >= threshold and flux[i] >= flux[i - 1] and flux[i] > flux[i + 1]]
    keep, last = [], -1e9
    for p in peaks:  # one onset per 40 ms
        if (p - last) * hop / sr > 0.04:
            keep.append(p)
            last = p
    return np.array(keep) * hop / sr


def chroma(audio: np.ndarray, lo: float = 60.0, hi: float = 2000.0, sr: int = SR) -> np.ndarray:
    """Energy per pitch class (0 = C) of the spectrum between lo and hi Hz."""
    spec = np.abs(np.fft.rfft(mono(audio) * np.hanning(audio.shape[0]))) ** 2
    freqs = np.fft.rfftfreq(audio.shape[0], 1 / sr)
    keep = (freqs >= lo) & (freqs < hi)
    pcs = np.round(69 + 12 * np.log2(freqs[keep] / 440.0)).astype(int) % 12
    out = np.bincount(pcs, spec[keep], 12)
    return out / out.sum()


def modulation_spectrum(audio: np.ndarray, sr: int = SR, hop: int = 441) -> tuple[np.ndarray, np.ndarray]:
    """Spectrum of the (log, detrended) amplitude envelope: which rates the level moves at."""
    env = np.log(envelope(mono(audio), hop) + 1e-6)
    env = env - np.convolve(env, np.ones(101) / 101, mode="same")  # remove slow drift (> 2 s)
    env = env[60:-60]
    spec = np.abs(np.fft.rfft(env * np.hanning(env.size))) ** 2
    return np.fft.rfftfreq(env.size, hop / sr), spec


def profile(audio: np.ndarray, sr: int = SR) -> np.ndarray:
    """A timbre+rhythm fingerprint: mean log band energies (dB, level-free) and their movement."""
    _, _, z = stft(mono(audio), fs=sr, nperseg=1024, noverlap=768)
    power = np.abs(z) ** 2
    edges = np.geomspace(40, sr / 2, 25)
    freqs = np.linspace(0, sr / 2, power.shape[0])
    bands = np.stack([power[(freqs >= a) & (freqs < b)].sum(axis=0) for a, b in zip(edges, edges[1:])])
    db = 10 * np.log10(bands + 1e-10)
    mean = db.mean(axis=1)
    return np.concatenate([mean - mean.max(), np.clip(db.std(axis=1), 0, 30)])
