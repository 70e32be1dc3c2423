"""The dsp proxy measures loudness and true peak as tools.loudness does (one definition, one silence convention).

Integrated loudness comes from the proxy's shared K-weighted 100 ms segments
(pyloudnorm's filter, pyloudnorm's blocking and gates), checked here against
pyloudnorm on a seeded batch of random signals; the true peak is
tools.loudness.true_peak_dbtp itself, exact on the whole clip.
"""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest

from aesthetics.dsp import features
from aesthetics.dsp.analysis import analyse
from aesthetics.dsp.technical import SILENCE_DB, SILENCE_LUFS, integrated_lufs
from tools.loudness import integrated_lufs as tools_integrated_lufs
from tools.loudness import true_peak_dbtp

RATES = (8000, 22050, 44100, 48000, 96000)


def _random_signal(rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """Stereo noise or tones under a random stepped envelope from -100 to 0 dBFS (some silent, some below the gate)."""
    rate = int(rng.choice(RATES))
    frames = int(rng.uniform(0.5, 5.0) * rate)
    step = int(rng.integers(200, 20_000))
    envelope = 10.0 ** (rng.uniform(-100.0, 0.0, size=(frames // step + 1, 2)) / 20.0)
    if rng.random() < 0.5:
        source = rng.standard_normal((frames, 2))
    else:
        t = np.arange(frames)[:, None] / rate
        source = np.sin(2 * np.pi * rng.uniform(30.0, 0.45 * rate, size=2) * t)
    audio = (source * np.repeat(envelope, step, axis=0)[:frames]).astype(np.float32)
    if rng.random() < 0.15:
        audio[:] = 0.0
    return audio, rate


def test_integrated_loudness_agrees_with_pyloudnorm_on_random_signals():
    rng = np.random.default_rng(1770)
    for case in range(120):
        audio, rate = _random_signal(rng)
        reference = pyloudnorm.Meter(rate).integrated_loudness(audio.astype(np.float64))
        measured = integrated_lufs(analyse(audio, rate).k_segments)
        assert measured == pytest.approx(max(SILENCE_LUFS, reference), abs=1e-3), (case, rate, audio.shape)
        assert tools_integrated_lufs(audio, rate) == pytest.approx(reference, abs=1e-3)


def test_true_peak_is_exact_where_loud_samples_hide_it():
    """An fs/4 tone at 45 degrees peaks 3 dB above its samples (1.2 between samples of 0.85); 40 clicks at 0.9
    have higher sample peaks but no inter-sample overshoot, so sampling the loudest blocks misses it."""
    audio = np.zeros((4096 * 48, 2), np.float32)
    audio[4096 * np.arange(2, 42) + 100, :] = 0.9
    n = np.arange(4096)
    audio[4096 * 45 : 4096 * 46, :] = (1.2 * np.sin(np.pi / 2 * n + np.pi / 4))[:, None]
    d = features(audio, 44100)
    assert d["true_peak_dbtp"] == true_peak_dbtp(audio)
    assert d["true_peak_dbtp"] > d["sample_peak_dbfs"] + 2.0


def test_silence_convention():
    silence = np.zeros((44100, 2), np.float32)
    assert tools_integrated_lufs(silence, 44100) == float("-inf") and true_peak_dbtp(silence) == float("-inf")
    d = features(silence, 44100)
    assert (d["integrated_lufs"], d["true_peak_dbtp"], d["sample_peak_dbfs"]) == (SILENCE_LUFS, SILENCE_DB, SILENCE_DB)
    assert d["loudness_range_lu"] == 0.0 and d["silence_ratio"] == 1.0
