"""Loudness and peak measurement and normalisation (ITU-R BS.1770 via pyloudnorm).

Audio everywhere in the project is float32 shaped (frames, channels).
"""

from __future__ import annotations

import numpy as np
import pyloudnorm
from pedalboard import Limiter
from scipy.signal import resample_poly

TRUE_PEAK_OVERSAMPLE = 4
DEFAULT_CEILING_DBTP = -1.0
LIMITER_PASSES = 3


def db_to_gain(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def gain_to_db(gain: float) -> float:
    return float(20.0 * np.log10(max(gain, 1e-12)))


def integrated_lufs(audio: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness in LUFS; -inf for silence or clips under 400 ms."""
    if audio.shape[0] < int(0.4 * sample_rate) + 1:
        return float("-inf")
    return float(pyloudnorm.Meter(sample_rate).integrated_loudness(audio.astype(np.float64)))


def true_peak_dbtp(audio: np.ndarray) -> float:
    """True peak (4x oversampled, BS.1770 annex 2 style) in dBTP."""
    if audio.size == 0:
        return float("-inf")
    upsampled = resample_poly(audio.astype(np.float64), TRUE_PEAK_OVERSAMPLE, 1, axis=0)
    peak = max(float(np.max(np.abs(upsampled))), float(np.max(np.abs(audio))))
    return gain_to_db(peak) if peak > 0 else float("-inf")


def normalize_peak(audio: np.ndarray, ceiling_dbtp: float = DEFAULT_CEILING_DBTP) -> np.ndarray:
    """Scale so the true peak sits exactly at the ceiling (silence stays silent)."""
    peak = true_peak_dbtp(audio)
    if not np.isfinite(peak):
        return audio.astype(np.float32)
    return (audio * db_to_gain(ceiling_dbtp - peak)).astype(np.float32)


def normalize_loudness(
    audio: np.ndarray,
    sample_rate: int,
    target_lufs: float = -16.0,
    ceiling_dbtp: float = DEFAULT_CEILING_DBTP,
) -> np.ndarray:
    """Gain to the target loudness, then keep the true peak under the ceiling.

    Peaks over the ceiling go through a limiter (so loud targets stay loud);
    a final scale guarantees the ceiling whatever the limiter let through,
    at the cost of landing under the target. Silence is returned unchanged.
    """
    loudness = integrated_lufs(audio, sample_rate)
    if not np.isfinite(loudness):
        return normalize_peak(audio, ceiling_dbtp) if np.any(audio) else audio.astype(np.float32)
    out = (audio * db_to_gain(target_lufs - loudness)).astype(np.float32)
    # pedalboard's Limiter adds make-up gain, so re-level after each pass.
    limiter = Limiter(threshold_db=-3.0, release_ms=120.0)
    for _ in range(LIMITER_PASSES):
        if true_peak_dbtp(out) <= ceiling_dbtp:
            return out
        out = limiter(out.T.copy(), sample_rate).T
        out = (out * db_to_gain(target_lufs - integrated_lufs(out, sample_rate))).astype(np.float32)
    peak = true_peak_dbtp(out)
    if peak > ceiling_dbtp:
        out = (out * db_to_gain(ceiling_dbtp - peak - 0.01)).astype(np.float32)
    return out
