"""The dsp proxy scorer: ranking of bad audio, determinism, descriptor accuracy, input checks."""

from __future__ import annotations

import json
import math

import numpy as np
import pyloudnorm
import pytest

from aesthetics import OBJ_WEIGHTS, Scores, get_scorer, objective
from aesthetics.dsp import features
from tools.errors import AudioError, ConfigError
from tools.loudness import true_peak_dbtp

from judge_signals import SR, bad_audio, music


@pytest.fixture(scope="module")
def good() -> np.ndarray:
    return music(20.0)


@pytest.fixture(scope="module")
def scorer():
    return get_scorer("dsp")


def test_obj_formula_lives_in_one_place():
    assert OBJ_WEIGHTS == {"CE": 0.60, "CU": 0.05, "PC": 0.05, "PQ": 0.30}
    s = Scores.from_components("x", "1", 6.0, 8.0, 5.0, 7.0)
    assert s.OBJ == pytest.approx(0.6 * 6 + 0.05 * 8 + 0.05 * 5 + 0.3 * 7)
    assert objective(1, 1, 1, 1) == pytest.approx(1.0)
    assert set(s.model_dump()) == {"backend", "version", "CE", "CU", "PC", "PQ", "OBJ", "extra"}


def test_scores_name_the_proxy_backend(scorer, good):
    s = scorer.score(good, SR)
    assert (s.backend, s.version) == ("dsp", "dsp-proxy-3")
    assert all(1.0 <= getattr(s, c) <= 10.0 for c in ("CE", "CU", "PC", "PQ"))
    assert s.OBJ == pytest.approx(objective(s.CE, s.CU, s.PC, s.PQ), abs=1e-3)
    assert all(math.isfinite(v) for v in s.extra.values())
    json.dumps(s.model_dump(), allow_nan=False)


@pytest.mark.parametrize("name", ["clipped", "silent", "dc_offset", "white_noise", "static_sine", "harsh_hiss"])
def test_bad_audio_ranks_below_music(scorer, good, name):
    good_scores = scorer.score(good, SR)
    bad_scores = scorer.score(bad_audio(good)[name], SR)
    assert bad_scores.OBJ < good_scores.OBJ - 1.0, (name, bad_scores.OBJ, good_scores.OBJ)


def test_silence_scores_minimum(scorer, good):
    s = scorer.score(np.zeros_like(good), SR)
    assert (s.CE, s.CU, s.PC, s.PQ, s.OBJ) == (1.0, 1.0, 1.0, 1.0, 1.0)


def test_deterministic_and_batch_matches_single(scorer, good):
    noise = bad_audio(good)["white_noise"]
    first = scorer.score(good, SR)
    assert scorer.score(good.copy(), SR) == first
    batch = scorer.score_batch([(good, SR, None), (noise, SR, "text is ignored by dsp")])
    assert batch[0] == first and batch[1] == scorer.score(noise, SR)


def test_loudness_and_true_peak_match_references(good):
    meter = pyloudnorm.Meter(SR)
    ramp = np.random.default_rng(3).standard_normal((SR * 12, 2)) * np.linspace(0.01, 0.4, SR * 12)[:, None]
    for clip in (good, ramp.astype(np.float32)):
        d = features(clip, SR)
        assert d["integrated_lufs"] == pytest.approx(meter.integrated_loudness(clip.astype(np.float64)), abs=1e-3)
        assert d["loudness_range_lu"] == pytest.approx(meter.loudness_range(clip.astype(np.float64)), abs=0.5)
        assert d["true_peak_dbtp"] == true_peak_dbtp(clip)


def test_descriptors_see_what_they_should(good):
    sine = bad_audio(good)["static_sine"]
    d_sine, d_music = features(sine, SR), features(good, SR)
    assert d_sine["spectral_centroid_hz"] == pytest.approx(440.0, rel=0.05)
    assert d_sine["onset_rate"] == 0.0 and d_sine["novelty_db"] < 0.2
    assert d_music["tempo_bpm"] in (pytest.approx(120, rel=0.05), pytest.approx(60, rel=0.05))
    assert d_music["onset_rate"] > 1.0 and d_music["novelty_db"] > 1.0
    left_only = np.stack([good[:, 0], -good[:, 0]], axis=1)
    d_phase = features(left_only, SR)
    assert d_phase["stereo_correlation"] < -0.99 and d_phase["stereo_width"] > 0.99
    assert features(good[:, :1], SR) == features(np.repeat(good[:, :1], 2, axis=1), SR)


@pytest.mark.parametrize(
    ("audio", "rate", "needle"),
    [
        (np.full((SR, 2), np.nan, np.float32), SR, "NaN"),
        (np.zeros((SR, 3), np.float32), SR, "shape"),
        (np.zeros((100, 2), np.float32), SR, "at least"),
        (np.zeros((SR, 2), np.float32), 1000, "sample rate"),
    ],
)
def test_bad_input_is_a_clear_error(scorer, audio, rate, needle):
    with pytest.raises(AudioError, match=needle):
        scorer.score(audio, rate)


def test_unknown_backend_names_the_choices():
    with pytest.raises(ConfigError, match="dsp, vibe, dj, audiobox, clap, remote:URL"):
        get_scorer("nope")
