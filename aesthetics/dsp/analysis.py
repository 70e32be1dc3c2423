"""One shared analysis pass for the dsp proxy: decimated mono STFT and 100 ms energy segments.

Everything expensive is computed once here and reused by all descriptors:

- a mono mix decimated to ~22 kHz (boxcar average of `factor` samples; the
  proxy ignores content above ~11 kHz for spectral descriptors),
- its power STFT (Hann, 1024 points, hop 512: ~46 ms frames, ~23 ms hop),
- K-weighted (BS.1770, pyloudnorm's own filter coefficients) mean-square
  energy per 100 ms segment and channel, from which integrated loudness,
  loudness range and the silence ratio all follow without filtering twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyloudnorm
import scipy.fft
from scipy.signal import sosfilt

ANALYSIS_RATE = 22_050
N_FFT = 1024
HOP = 512
SEGMENT_SECONDS = 0.1


@dataclass(frozen=True)
class Analysis:
    """Shared intermediate results for one stereo clip."""

    channels: np.ndarray  # float32 (2, frames) contiguous, at `sample_rate`
    sample_rate: int
    mono: np.ndarray  # float32 decimated mono mix
    rate: float  # rate of `mono`
    power: np.ndarray  # float32 (stft frames, bins) power spectrum of `mono`
    freqs: np.ndarray  # bin centre frequencies in Hz
    hop_seconds: float
    k_segments: np.ndarray  # float64 (segments, 2) K-weighted mean square per 100 ms and channel

    @property
    def seconds(self) -> float:
        return self.channels.shape[1] / self.sample_rate


@lru_cache(maxsize=8)
def _k_weighting_sos(sample_rate: int) -> np.ndarray:
    meter = pyloudnorm.Meter(sample_rate)
    return np.vstack([np.concatenate([f.b, f.a]) for f in meter._filters.values()]).astype(np.float32)


@lru_cache(maxsize=4)
def _window() -> np.ndarray:
    return np.hanning(N_FFT).astype(np.float32)


def _segment_mean_square(channels: np.ndarray, seg: int) -> np.ndarray:
    """Mean square per 100 ms segment and channel, segmented as pyloudnorm blocks a clip:
    a final partial segment counts (zero-padded) when the clip ends past its middle."""
    full = channels.shape[1] // seg
    blocks = channels[:, : full * seg].reshape(channels.shape[0], full, seg)
    energy = np.einsum("csk,csk->sc", blocks, blocks).astype(np.float64)
    if int(np.round(channels.shape[1] / seg)) > full:
        tail = channels[:, full * seg :].astype(np.float64)
        energy = np.vstack([energy, np.einsum("ck,ck->c", tail, tail)])
    return energy / seg


def decimate(signal: np.ndarray, factor: int) -> np.ndarray:
    usable = (signal.shape[0] // factor) * factor
    total = sum(signal[k:usable:factor] for k in range(factor))
    return (total / np.float32(factor)).astype(np.float32)


def analyse(audio: np.ndarray, sample_rate: int) -> Analysis:
    """Run the shared analysis on float32 (frames, 2) audio."""
    channels = np.ascontiguousarray(audio.T, dtype=np.float32)
    factor = max(1, round(sample_rate / ANALYSIS_RATE))
    mono = decimate((channels[0] + channels[1]) * np.float32(0.5), factor)
    rate = sample_rate / factor

    if mono.shape[0] < N_FFT:
        mono = np.pad(mono, (0, N_FFT - mono.shape[0]))
    frames = np.lib.stride_tricks.sliding_window_view(mono, N_FFT)[::HOP] * _window()
    spectrum = scipy.fft.rfft(frames, axis=1)
    power = (spectrum.real**2 + spectrum.imag**2).astype(np.float32)
    freqs = np.fft.rfftfreq(N_FFT, 1.0 / rate)

    seg = int(round(SEGMENT_SECONDS * sample_rate))
    weighted = sosfilt(_k_weighting_sos(sample_rate), channels, axis=1)
    return Analysis(
        channels=channels,
        sample_rate=sample_rate,
        mono=mono,
        rate=rate,
        power=power,
        freqs=freqs,
        hop_seconds=HOP / rate,
        k_segments=_segment_mean_square(weighted, seg),
    )
