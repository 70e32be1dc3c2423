"""The numpy filters and loudness meter against scipy.signal and pyloudnorm (their reference)."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import firwin, lfilter

from tools.filters import dc_block, fir_filter, kaiser_lowpass
from tools.loudness import integrated_lufs, level, true_peak_dbtp


def test_kaiser_lowpass_is_firwin():
    for numtaps, cutoff, beta in ((81, 0.25, 5.0), (31, 0.5, 8.6), (64, 0.1, 3.0)):
        assert np.allclose(kaiser_lowpass(numtaps, cutoff, beta), firwin(numtaps, cutoff, window=("kaiser", beta)), atol=1e-14)


@pytest.mark.parametrize("frames", [10, 70_000, 300_001])
def test_fir_filter_matches_lfilter(frames):
    rng = np.random.default_rng(frames)
    x = rng.standard_normal((frames, 2)).astype(np.float32)
    taps = rng.standard_normal(5000)
    ours = fir_filter(x, taps)
    theirs = lfilter(taps, [1.0], x.astype(np.float64), axis=0)
    assert ours.shape == x.shape
    assert np.max(np.abs(ours - theirs)) < 1e-3 * np.max(np.abs(theirs))


def test_dc_block_matches_lfilter():
    rng = np.random.default_rng(1)
    x = (rng.standard_normal((2, 100_003)) + 0.3).astype(np.float32)
    pole = 1.0 - 2 * np.pi * 5.0 / 44100
    theirs = lfilter([1.0, -1.0], [1.0, -pole], x.astype(np.float64), axis=1)
    assert np.max(np.abs(dc_block(x, pole) - theirs)) < 1e-5


def _signals():
    rng = np.random.default_rng(7)
    t = np.arange(int(44100 * 7.3)) / 44100
    yield 44100, (0.3 * np.sin(2 * np.pi * 50 * t)[:, None] * [1.0, 0.5]).astype(np.float32)
    yield 48000, (0.1 * rng.standard_normal((48000 * 5, 2))).astype(np.float32)
    burst = np.zeros((44100 * 6, 2), np.float32)  # mostly silence: the gates decide
    burst[44100:60000] = 0.5 * rng.standard_normal((60000 - 44100, 2))
    yield 44100, burst
    yield 44100, (0.2 * rng.standard_normal((44100 * 3, 1))).astype(np.float32)


@pytest.mark.parametrize("case", range(4))
def test_integrated_lufs_agrees_with_pyloudnorm(case):
    rate, audio = list(_signals())[case]
    expected = pyloudnorm.Meter(rate).integrated_loudness(audio.astype(np.float64))
    assert integrated_lufs(audio, rate) == pytest.approx(expected, abs=1e-4)


def test_integrated_lufs_of_silence_and_short_clips():
    assert integrated_lufs(np.zeros((44100, 2), np.float32), 44100) == float("-inf")
    assert integrated_lufs(np.ones((100, 2), np.float32), 44100) == float("-inf")


def test_true_peak_matches_resample_poly():
    from scipy.signal import resample_poly

    rng = np.random.default_rng(3)
    audio = (0.4 * rng.standard_normal((300_000, 2))).astype(np.float32)
    expected = 20 * np.log10(np.max(np.abs(resample_poly(audio.astype(np.float64), 4, 1, axis=0))))
    assert true_peak_dbtp(audio) == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize("target", [-16.0, -9.0])
def test_level_reports_what_it_returns(target):
    rng = np.random.default_rng(5)
    audio = (0.05 * rng.standard_normal((44100 * 4, 2))).astype(np.float32)
    result = level(audio, 44100, target)
    assert result.integrated_lufs == pytest.approx(integrated_lufs(result.audio, 44100), abs=1e-3)
    assert result.true_peak_dbtp == pytest.approx(true_peak_dbtp(result.audio), abs=1e-3)
    assert result.true_peak_dbtp <= -1.0 + 1e-6
