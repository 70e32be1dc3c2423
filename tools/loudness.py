"""Loudness and peak measurement and normalisation (ITU-R BS.1770 via pyloudnorm).

Audio everywhere in the project is float32 shaped (frames, channels).
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyloudnorm
from pedalboard import Limiter
from scipy.signal import firwin, oaconvolve

TRUE_PEAK_OVERSAMPLE = 4
DEFAULT_CEILING_DBTP = -1.0
LIMITER_PASSES = 3
TRUE_PEAK_CHUNK = 1 << 18
# float32 rounding of a gained signal moves its true peak by far less than this.
GAIN_ROUNDING_MARGIN_DB = 1e-3


def db_to_gain(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def gain_to_db(gain: float) -> float:
    return float(20.0 * np.log10(max(gain, 1e-12)))


def integrated_lufs(audio: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness in LUFS; -inf for silence or clips under 400 ms."""
    if audio.shape[0] < int(0.4 * sample_rate) + 1:
        return float("-inf")
    # float32 filtering is ~25% faster than float64 and agrees to ~1e-6 LU.
    return float(pyloudnorm.Meter(sample_rate).integrated_loudness(audio.astype(np.float32, copy=False)))


def true_peak_dbtp(audio: np.ndarray) -> float:
    """True peak (4x oversampled, BS.1770 annex 2 style) in dBTP.

    The same interpolation filter as `resample_poly(audio, 4, 1)`, applied as
    its four polyphase branches with FFT convolution in chunks: about 4x
    faster and O(chunk) extra memory. The branch aligned with the input
    samples is (to 1e-16) a scaled copy of them, so it costs one max.
    """
    if audio.size == 0:
        return float("-inf")
    x = audio.reshape(audio.shape[0], -1).astype(np.float32, copy=False)
    sample_peak = float(np.max(np.abs(x)))
    if sample_peak == 0:
        return float("-inf")
    branches = _polyphase_branches()
    peak = sample_peak * max(1.0, float(np.max(np.abs(branches[0]))))
    delay = branches.shape[1] // 2  # output k of a branch sits at index k + delay of the full convolution
    frames = x.shape[0]
    for start in range(0, frames, TRUE_PEAK_CHUNK):
        end = min(frames, start + TRUE_PEAK_CHUNK)
        lo = max(0, start - 2 * delay)
        piece = x[lo : min(frames, end + 2 * delay)]
        for taps in branches[1:]:
            out = oaconvolve(piece, taps[:, None], axes=0)[start + delay - lo : end + delay - lo]
            peak = max(peak, float(np.max(np.abs(out))))
    return gain_to_db(peak)


def true_peak_bound_dbtp(audio: np.ndarray) -> float:
    """A cheap upper bound of `true_peak_dbtp`: the sample peak plus the
    interpolation filter's largest branch gain (sum of |taps|, about +7 dB).
    When this is under a ceiling the true peak is too, without oversampling."""
    if audio.size == 0:
        return float("-inf")
    peak = float(np.max(np.abs(audio)))
    if peak == 0:
        return float("-inf")
    return gain_to_db(peak * float(np.max(np.sum(np.abs(_polyphase_branches()), axis=1))))


@functools.cache
def _polyphase_branches() -> np.ndarray:
    """resample_poly's default 4x interpolation filter split into its 4 branches (float32)."""
    up = TRUE_PEAK_OVERSAMPLE
    taps = firwin(2 * 10 * up + 1, 1.0 / up, window=("kaiser", 5.0)) * up
    taps = np.concatenate((taps, np.zeros(-len(taps) % up)))
    return np.stack([taps[p::up] for p in range(up)]).astype(np.float32)


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
    # Loudness and true peak of the input are independent measurements (both
    # release the GIL), and a pure gain scales the true peak exactly, so the
    # first check needs no second measurement.
    with ThreadPoolExecutor(max_workers=1) as pool:
        peak_job = pool.submit(true_peak_dbtp, audio)
        loudness = integrated_lufs(audio, sample_rate)
        peak_in = peak_job.result()
    if not np.isfinite(loudness):
        return normalize_peak(audio, ceiling_dbtp) if np.any(audio) else audio.astype(np.float32)
    out = (audio * db_to_gain(target_lufs - loudness)).astype(np.float32, copy=False)
    if peak_in + (target_lufs - loudness) <= ceiling_dbtp - GAIN_ROUNDING_MARGIN_DB:
        return out
    # pedalboard's Limiter adds make-up gain, so re-level after each pass.
    limiter = Limiter(threshold_db=-3.0, release_ms=120.0)
    for _ in range(LIMITER_PASSES):
        if true_peak_bound_dbtp(out) <= ceiling_dbtp or true_peak_dbtp(out) <= ceiling_dbtp:
            return out
        out = limiter(out.T.copy(), sample_rate).T
        out = (out * db_to_gain(target_lufs - integrated_lufs(out, sample_rate))).astype(np.float32)
    peak = true_peak_dbtp(out)
    if peak > ceiling_dbtp:
        out = (out * db_to_gain(ceiling_dbtp - peak - 0.01)).astype(np.float32)
    return out
