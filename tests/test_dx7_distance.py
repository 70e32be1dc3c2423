import numpy as np
import pytest

from tools.dx7.distance import distances, features, loudness_normalise

SR = 44100
T = np.arange(int(1.2 * SR)) / SR


def feats(x):
    return features(loudness_normalise(x.astype(np.float32), SR), SR)


def sine(f, env=None):
    x = 0.5 * np.sin(2 * np.pi * f * T)
    return x * (env if env is not None else 1.0)


def test_identical_audio_is_at_zero():
    a = feats(sine(440) + 0.2 * sine(880))
    d = distances(a, a)
    assert d["mrstft"] == 0 and d["log_mel"] == 0 and d["mcd"] == 0
    assert d["rms_cos"] == pytest.approx(0, abs=1e-12)


def test_level_does_not_matter_after_loudness_normalisation():
    d = distances(feats(sine(440)), feats(0.1 * sine(440)))
    assert d["mrstft"] < 1e-2 and d["log_mel"] < 1e-2  # vs ~1 between different tones


def test_spectral_distances_order_hand_cases():
    ref = feats(sine(440))
    near = distances(feats(sine(445)), ref)
    far = distances(feats(sine(1760)), ref)
    for metric in ("mrstft", "log_mel", "mcd"):
        assert 0 < near[metric] < far[metric], metric


def test_rms_envelope_cosine_sees_envelopes_not_pitch():
    decay = np.exp(-T * 6)
    swell = np.minimum(1.0, T / 1.0)
    same_env = distances(feats(sine(440, decay)), feats(sine(660, decay)))["rms_cos"]
    other_env = distances(feats(sine(440, decay)), feats(sine(440, swell)))["rms_cos"]
    assert same_env < 0.01 < other_env


def test_silence_against_sound_is_far():
    d = distances(feats(np.zeros_like(T)), feats(sine(440)))
    assert d["rms_cos"] == 1.0 and d["mrstft"] > 1.0
