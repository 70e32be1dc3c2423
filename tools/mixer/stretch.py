"""Tempo change without pitch change for loops: WSOLA on a periodic signal.

Resampling a loop to a new tempo would also shift its pitch (a bassline
made at 128 BPM would play 0.66 semitones sharp at 133 BPM and leave its
key), so tonal loops are time-stretched instead: overlapping Hann grains
are taken from the input at the new rate, each shifted (within a small
tolerance) to the position whose waveform best continues the previous
grain, and added at a fixed output hop.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import correlate

GRAIN_S = 0.046
TOLERANCE_S = 0.012
SEAM_S = 0.010


def _wsola(x: np.ndarray, speed: float, frame: int, tolerance: int, frames_out: int) -> np.ndarray:
    hop = frame // 2
    window = np.hanning(frame + 1)[:-1][:, None]  # periodic Hann: 50% overlaps sum to one
    mono = x.mean(axis=1)
    out = np.zeros((frames_out + frame, x.shape[1]))
    previous = tolerance
    for k in range(frames_out // hop + 1):
        nominal = tolerance + int(round(k * hop * speed))
        if nominal + frame + tolerance >= x.shape[0]:
            break
        if k == 0:
            start = nominal
        else:
            template = mono[previous + hop : previous + hop + frame]
            region = mono[nominal - tolerance : nominal + tolerance + frame]
            score = correlate(region, template, mode="valid", method="fft")
            energy = np.cumsum(np.concatenate([[0.0], region**2]))
            score /= np.sqrt(energy[frame:] - energy[:-frame] + 1e-12)  # normalised: match shape, not loudness
            start = nominal - tolerance + int(np.argmax(score))
        out[k * hop : k * hop + frame] += x[start : start + frame] * window
        previous = start
    return out[:frames_out]


def stretch_loop(audio: np.ndarray, speed: float, sample_rate: int) -> np.ndarray:
    """A loop played `speed` times faster (speed = new_bpm / old_bpm), pitch unchanged, seamless."""
    frames_in = audio.shape[0]
    frames_out = max(int(round(frames_in / speed)), 2)
    frame = max(int(GRAIN_S * sample_rate) // 2 * 2, 8)
    tolerance = max(int(TOLERANCE_S * sample_rate), 1)
    cycles = 3 + int(np.ceil((frame + 2 * tolerance) / frames_in))
    tiled = np.tile(audio.astype(np.float64), (cycles, 1))
    stream = _wsola(tiled, speed, frame, tolerance, frames_out * (cycles - 1))
    cycle = stream[frames_out : 2 * frames_out].copy()
    # crossfade the head with what naturally followed the previous cycle's end: no click at the seam
    seam = min(int(SEAM_S * sample_rate), frames_out // 4)
    ramp = np.linspace(0.0, 1.0, seam)[:, None]
    cycle[:seam] = cycle[:seam] * ramp + stream[2 * frames_out : 2 * frames_out + seam] * (1.0 - ramp)
    return cycle.astype(np.float32)
