"""Master bus: optional sidechain ducking under the kick, pedalboard glue, brickwall limiter, and a
short fade to silence at the end (a set stops at a bar line, often mid-note: no click).

pedalboard's Limiter adds make-up gain up to 0 dBFS and hard-clips what its
attack lets through, so the last stage here is a lookahead brickwall
limiter of our own: its gain reaches each peak before the peak arrives,
so the output never exceeds the ceiling and nothing is ever clipped.
"""

from __future__ import annotations

import numpy as np
from pedalboard import Compressor, HighpassFilter, Pedalboard
from scipy.ndimage import minimum_filter1d
from scipy.signal import lfilter

from tools.loudness import end_in_silence

HEADROOM_GAIN = 0.5
CEILING = 10.0 ** (-1.0 / 20.0)  # -1 dBFS sample peak
LOOKAHEAD_S = 0.015
DUCK_DEPTH = 0.6
DUCK_RELEASE_S = 0.12


def duck_envelope(frames: int, hits: list[tuple[int, float]], sample_rate: int, depth: float = DUCK_DEPTH) -> np.ndarray:
    """Gain curve (frames,) that dips at each kick hit and recovers exponentially."""
    impulses = np.zeros(frames, dtype=np.float64)
    for position, level in hits:
        if 0 <= position < frames:
            impulses[position] = max(impulses[position], level)
    pole = np.exp(-1.0 / (DUCK_RELEASE_S * sample_rate))
    follower = lfilter([1.0], [1.0, -pole], impulses)
    return (1.0 - depth * np.clip(follower, 0.0, 1.0)).astype(np.float32)


def brickwall(audio: np.ndarray, sample_rate: int, ceiling: float = CEILING) -> np.ndarray:
    """Lookahead limiter: |output| <= ceiling, gain moves smoothly over LOOKAHEAD_S."""
    window = max(int(LOOKAHEAD_S * sample_rate), 1)
    peak = np.maximum(np.abs(audio[:, 0]), np.abs(audio[:, 1])).astype(np.float64)
    if audio.shape[0] == 0 or peak.max() <= ceiling:
        return audio.astype(np.float32)
    needed = np.minimum(1.0, ceiling / np.maximum(peak, 1e-12))
    # forward minimum over [t, t + window), then a trailing mean over the same span:
    # every value averaged at t is <= needed[t], so the smoothed gain is too.
    ahead = minimum_filter1d(needed, size=window, origin=-(window // 2), mode="nearest")
    padded = np.concatenate([np.full(window - 1, ahead[0]), ahead])
    sums = np.cumsum(np.concatenate([[0.0], padded]))
    gain = (sums[window:] - sums[:-window]) / window
    return (audio * np.minimum(gain, needed)[:, None]).astype(np.float32)


def master(
    main: np.ndarray,
    ducked: np.ndarray,
    kick_hits: list[tuple[int, float]],
    sample_rate: int,
    sidechain: bool,
) -> np.ndarray:
    """Sum the buses (ducking the second under the kick if asked), glue, limit and end in silence."""
    mix = main.copy()
    if sidechain and kick_hits:
        mix += ducked * duck_envelope(main.shape[0], kick_hits, sample_rate)[:, None]
    else:
        mix += ducked
    mix *= HEADROOM_GAIN
    if mix.shape[0] == 0:
        return mix.astype(np.float32)
    board = Pedalboard(
        [
            HighpassFilter(cutoff_frequency_hz=25.0),
            Compressor(threshold_db=-12.0, ratio=2.0, attack_ms=10.0, release_ms=120.0),
        ]
    )
    glued = np.ascontiguousarray(board(mix.T.astype(np.float32), sample_rate, reset=True).T)
    return end_in_silence(brickwall(glued, sample_rate), sample_rate)
