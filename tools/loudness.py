"""Loudness and peak measurement and normalisation (ITU-R BS.1770).

Audio everywhere in the project is float32 shaped (frames, channels).

The integrated loudness is pyloudnorm's algorithm (its RBJ K-weighting
filters, 400 ms blocks with 75% overlap, absolute and relative gates)
computed with numpy: the K-weighting runs as an FFT filter with its impulse
response, because `scipy.signal` (which pyloudnorm imports) costs about a
second of start-up. It agrees with pyloudnorm to ~1e-5 LU
(`tests/test_loudness_numpy.py`).
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from tools.filters import chunk_rows, fir_chunks, fir_filter, kaiser_lowpass

TRUE_PEAK_OVERSAMPLE = 4
DEFAULT_CEILING_DBTP = -1.0
LIMITER_PASSES = 3
# float32 rounding of a gained signal moves its true peak by far less than this.
GAIN_ROUNDING_MARGIN_DB = 1e-3
BLOCK_SECONDS = 0.4
BLOCK_STEP = 0.25  # 75% overlap
ABSOLUTE_GATE_LUFS = -70.0
CHANNEL_GAINS = (1.0, 1.0, 1.0, 1.41, 1.41)
# The K-weighting's slowest pole (38 Hz high-pass) decays below 1e-9 well within this many samples at 48 kHz.
K_WEIGHTING_TAPS = 1 << 13


def db_to_gain(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def gain_to_db(gain: float) -> float:
    return float(20.0 * np.log10(max(gain, 1e-12)))


def _rbj_biquad(kind: str, sample_rate: int, fc: float, q: float, gain_db: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """RBJ cookbook biquad (b, a), as pyloudnorm designs its K-weighting stages."""
    a_gain = 10 ** (gain_db / 40.0)
    w0 = 2.0 * np.pi * fc / sample_rate
    cos, alpha = np.cos(w0), np.sin(w0) / (2.0 * q)
    if kind == "high_shelf":
        root = 2 * np.sqrt(a_gain) * alpha
        b = a_gain * np.array([(a_gain + 1) + (a_gain - 1) * cos + root, -2 * ((a_gain - 1) + (a_gain + 1) * cos),
                               (a_gain + 1) + (a_gain - 1) * cos - root])
        a = np.array([(a_gain + 1) - (a_gain - 1) * cos + root, 2 * ((a_gain - 1) - (a_gain + 1) * cos),
                      (a_gain + 1) - (a_gain - 1) * cos - root])
    else:  # high_pass
        b = np.array([(1 + cos) / 2, -(1 + cos), (1 + cos) / 2])
        a = np.array([1 + alpha, -2 * cos, 1 - alpha])
    return b, a


@functools.cache
def _k_weighting_taps(sample_rate: int) -> np.ndarray:
    """Impulse response of BS.1770's K-weighting (shelf, then high-pass), from its exact frequency response."""
    n = 1 << 18
    z = np.exp(-1j * np.pi * np.linspace(0.0, 1.0, n // 2 + 1))
    response = np.ones_like(z)
    for b, a in (_rbj_biquad("high_shelf", sample_rate, 1500.0, 1 / np.sqrt(2), 4.0),
                 _rbj_biquad("high_pass", sample_rate, 38.0, 0.5)):
        response *= np.polyval(b[::-1], z) / np.polyval(a[::-1], z)
    return np.fft.irfft(response, n)[:K_WEIGHTING_TAPS]


def block_energies(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Channel-weighted mean square of the K-weighted signal per 400 ms gating block (pyloudnorm's block bounds)."""
    x = audio.reshape(audio.shape[0], -1).astype(np.float32, copy=False)
    frames, channels = x.shape
    if channels > len(CHANNEL_GAINS):
        raise ValueError(f"loudness is defined for up to {len(CHANNEL_GAINS)} channels, got {channels}")
    weighted = fir_filter(x, _k_weighting_taps(int(sample_rate)).astype(np.float32))
    power = np.square(weighted, dtype=np.float64) @ np.asarray(CHANNEL_GAINS[:channels])
    cumulative = np.concatenate(([0.0], np.cumsum(power)))
    seconds = frames / sample_rate
    blocks = int(np.round((seconds - BLOCK_SECONDS) / (BLOCK_SECONDS * BLOCK_STEP))) + 1
    j = np.arange(blocks, dtype=np.float64)
    lower = (BLOCK_SECONDS * (j * BLOCK_STEP) * sample_rate).astype(np.int64)
    upper = np.minimum((BLOCK_SECONDS * (j * BLOCK_STEP + 1) * sample_rate).astype(np.int64), frames)
    return (cumulative[upper] - cumulative[lower]) / (BLOCK_SECONDS * sample_rate)


def gated_lufs(energies: np.ndarray) -> float:
    """Integrated loudness from block energies: absolute gate at -70 LUFS, then the relative gate 10 LU down."""
    with np.errstate(divide="ignore"):
        block_lufs = -0.691 + 10.0 * np.log10(energies)
    kept = block_lufs >= ABSOLUTE_GATE_LUFS
    if not np.any(kept):
        return float("-inf")
    relative = -0.691 + 10.0 * np.log10(np.mean(energies[kept])) - 10.0
    kept = (block_lufs > relative) & (block_lufs > ABSOLUTE_GATE_LUFS)
    if not np.any(kept):
        return float("-inf")
    return float(-0.691 + 10.0 * np.log10(np.mean(energies[kept])))


def integrated_lufs(audio: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness in LUFS; -inf for silence or clips under 400 ms."""
    if audio.shape[0] < int(BLOCK_SECONDS * sample_rate) + 1:
        return float("-inf")
    return gated_lufs(block_energies(audio, sample_rate))


def true_peak_dbtp(audio: np.ndarray) -> float:
    """True peak (4x oversampled, BS.1770 annex 2 style) in dBTP.

    The same interpolation filter as `resample_poly(audio, 4, 1)`, applied as
    its four polyphase branches by FFT filtering in chunks (one forward FFT
    per chunk serves the three branches between input samples); O(chunk)
    extra memory. The branch aligned with the input samples is (to 1e-16) a
    scaled copy of them, so it costs one max.
    """
    if audio.size == 0:
        return float("-inf")
    x = audio.reshape(audio.shape[0], -1).astype(np.float32, copy=False)
    sample_peak = float(np.max(np.abs(x)))
    if sample_peak == 0:
        return float("-inf")
    branches = _polyphase_branches()
    peak = sample_peak * max(1.0, float(np.max(np.abs(branches[0]))))
    delay = branches.shape[1] // 2  # output k of a branch sits at row k + delay of the full convolution
    frames = x.shape[0]
    for start, block in fir_chunks(x, branches[1:]):
        lo, hi = max(start, delay), min(start + block.shape[1], frames + delay)
        if hi > lo:
            peak = max(peak, float(np.max(np.abs(block[:, lo - start : hi - start]))))
    return gain_to_db(peak)


TRUE_PEAK_CHUNK = chunk_rows(2 * 10 + 1)  # input rows per FFT block (each polyphase branch has 21 taps)


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
    taps = kaiser_lowpass(2 * 10 * up + 1, 1.0 / up, 5.0) * up
    taps = np.concatenate((taps, np.zeros(-len(taps) % up)))
    return np.stack([taps[p::up] for p in range(up)]).astype(np.float32)


def normalize_peak(audio: np.ndarray, ceiling_dbtp: float = DEFAULT_CEILING_DBTP) -> np.ndarray:
    """Scale so the true peak sits exactly at the ceiling (silence stays silent)."""
    peak = true_peak_dbtp(audio)
    if not np.isfinite(peak):
        return audio.astype(np.float32)
    return (audio * db_to_gain(ceiling_dbtp - peak)).astype(np.float32)


# The end of every render: a raised-cosine fade to zero, then a little digital silence. The silence
# (not just a ramp) is what keeps the last samples quiet whatever gain comes after (loudness or
# peak normalisation scales zeros to zeros), so a render never stops on a click.
END_FADE_SECONDS = 0.04
END_SILENCE_SECONDS = 0.01


def end_in_silence(audio: np.ndarray, sample_rate: int, fade_seconds: float = END_FADE_SECONDS,
                   silence_seconds: float = END_SILENCE_SECONDS) -> np.ndarray:
    """Fade the end of (frames, channels) audio to exact zero, in place; returns it.

    The last `silence_seconds` become zeros and the `fade_seconds` before
    them a raised-cosine ramp (smooth at both ends: no click, no splatter).
    Clips shorter than four times that span use their last quarter. The
    length never changes, and the same input always gives the same output.
    """
    frames = audio.shape[0]
    if frames == 0:
        return audio
    span = min(frames // 4, round((fade_seconds + silence_seconds) * sample_rate))
    silent = max(1, round(span * silence_seconds / (fade_seconds + silence_seconds)))
    ramp = max(0, span - silent)
    if ramp:
        x = np.arange(1, ramp + 1, dtype=np.float64) / (ramp + 1)
        curve = (0.5 * (1.0 + np.cos(np.pi * x))).astype(np.float32)
        audio[frames - silent - ramp : frames - silent] *= curve.reshape((ramp,) + (1,) * (audio.ndim - 1))
    audio[frames - silent :] = 0
    return audio


@dataclass(frozen=True)
class Levelled:
    """Normalised audio and what it measures: integrated loudness (LUFS) and true peak (dBTP)."""

    audio: np.ndarray
    integrated_lufs: float
    true_peak_dbtp: float


TARGET_TOLERANCE_LU = 0.5  # further from the target than this, a render says why


def missed_target(levelled: Levelled, sample_rate: int, target_lufs: float) -> str | None:
    """Why `level`'s output is not at `target_lufs` (None when it is): a clip too short to measure,
    silence, audio under the gate, or the true-peak ceiling. For sidecars, beside null measurements."""
    frames = levelled.audio.shape[0]
    target = f"the {target_lufs:g} LUFS target was not reached"
    if frames <= int(BLOCK_SECONDS * sample_rate):
        return (f"the clip ({frames / sample_rate:.3g} s) is too short to measure loudness (integrated loudness "
                f"needs more than {BLOCK_SECONDS:g} s), so {target}; render longer than {BLOCK_SECONDS:g} s to level it")
    if not np.any(levelled.audio):
        return f"the audio is silent, so there is no loudness to measure and {target}"
    if not np.isfinite(levelled.integrated_lufs):
        return f"the audio is too quiet to measure (under the {ABSOLUTE_GATE_LUFS:g} LUFS gate), so {target}"
    if abs(levelled.integrated_lufs - target_lufs) > TARGET_TOLERANCE_LU:
        return f"{target} (measured {levelled.integrated_lufs:.1f} LUFS): the true-peak ceiling kept it quieter"
    return None


def normalize_loudness(
    audio: np.ndarray,
    sample_rate: int,
    target_lufs: float = -16.0,
    ceiling_dbtp: float = DEFAULT_CEILING_DBTP,
) -> np.ndarray:
    """Gain to the target loudness, then keep the true peak under the ceiling (see `level`)."""
    return level(audio, sample_rate, target_lufs, ceiling_dbtp).audio


def level(
    audio: np.ndarray,
    sample_rate: int,
    target_lufs: float = -16.0,
    ceiling_dbtp: float = DEFAULT_CEILING_DBTP,
) -> Levelled:
    """Gain to the target loudness, then keep the true peak under the ceiling; report both.

    Peaks over the ceiling go through a limiter (so loud targets stay loud);
    a final scale guarantees the ceiling whatever the limiter let through,
    at the cost of landing under the target. Silence is returned unchanged.
    The reported numbers are measurements of the returned audio: after a
    pure gain they follow exactly from the input's block energies and true
    peak (both scale with the gain; the gates are re-applied), so nothing is
    measured twice.
    """
    # Loudness and true peak of the input are independent measurements (FFTs release the GIL).
    with ThreadPoolExecutor(max_workers=1) as pool:
        peak_job = pool.submit(true_peak_dbtp, audio)
        energies = block_energies(audio, sample_rate) if audio.shape[0] > int(BLOCK_SECONDS * sample_rate) else None
        peak_in = peak_job.result()
    loudness = gated_lufs(energies) if energies is not None else float("-inf")
    if not np.isfinite(loudness):
        if not np.any(audio):
            return Levelled(audio.astype(np.float32), float("-inf"), float("-inf"))
        out = normalize_peak(audio, ceiling_dbtp)
        return Levelled(out, integrated_lufs(out, sample_rate), true_peak_dbtp(out))
    gain_db = target_lufs - loudness
    out = (audio * db_to_gain(gain_db)).astype(np.float32, copy=False)
    if peak_in + gain_db <= ceiling_dbtp - GAIN_ROUNDING_MARGIN_DB:
        return Levelled(out, gated_lufs(energies * db_to_gain(gain_db) ** 2), peak_in + gain_db)
    from pedalboard import Limiter

    # pedalboard's Limiter adds make-up gain, so re-level after each pass.
    limiter = Limiter(threshold_db=-3.0, release_ms=120.0)
    for _ in range(LIMITER_PASSES):
        if true_peak_bound_dbtp(out) <= ceiling_dbtp or true_peak_dbtp(out) <= ceiling_dbtp:
            return Levelled(out, integrated_lufs(out, sample_rate), true_peak_dbtp(out))
        out = limiter(out.T.copy(), sample_rate).T
        out = (out * db_to_gain(target_lufs - integrated_lufs(out, sample_rate))).astype(np.float32)
    peak = true_peak_dbtp(out)
    if peak > ceiling_dbtp:
        out = (out * db_to_gain(ceiling_dbtp - peak - 0.01)).astype(np.float32)
    return Levelled(out, integrated_lufs(out, sample_rate), true_peak_dbtp(out))
