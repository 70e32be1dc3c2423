"""The dsp proxy ranks broken DJ sets below the reference, and loudness no longer moves its score.

Also the mix a listener hears: the reference set with generated samples has a
defined kick, audible highs and some width (scripts/mix_balance.py measures).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from aesthetics import get_scorer
from aesthetics.dsp import features
from palettes.library import load_palette
from reference.arrangements import render_reference
from reference.broken import FAULTS, broken_set

from agent_palette import make_palette
from judge_signals import SR, music

_spec = importlib.util.spec_from_file_location("mix_balance", Path(__file__).resolve().parents[1] / "scripts" / "mix_balance.py")
mix_balance = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mix_balance)


@pytest.fixture(scope="module")
def palette(tmp_path_factory):
    return load_palette(make_palette(tmp_path_factory.mktemp("palette")))


@pytest.fixture(scope="module")
def reference(palette):
    return render_reference(palette, "32", seed=0).audio


@pytest.fixture(scope="module")
def scorer():
    return get_scorer("dsp")


@pytest.mark.parametrize("fault", FAULTS)
def test_every_broken_set_scores_below_the_reference(scorer, palette, reference, fault):
    broken = broken_set(fault, palette, "32", seed=0)
    assert broken.shape == reference.shape and not np.array_equal(broken, reference)
    good, bad = scorer.score(reference, 44100).OBJ, scorer.score(broken, 44100).OBJ
    assert bad < good - 0.3, (fault, bad, good)


def test_broken_sets_are_deterministic_and_unknown_faults_name_the_choices(palette):
    assert np.array_equal(broken_set("off_grid", palette, seed=3), broken_set("off_grid", palette, seed=3))
    with pytest.raises(ValueError, match="no_kick, off_grid"):
        broken_set("too_loud", palette)


@pytest.mark.parametrize("gain_db", [-24.0, -12.0])
def test_loudness_does_not_move_the_score(scorer, reference, gain_db):
    quiet = reference * np.float32(10 ** (gain_db / 20))
    assert scorer.score(quiet, 44100).OBJ == pytest.approx(scorer.score(reference, 44100).OBJ, abs=0.02)


def test_a_quiet_mix_is_not_silence_but_its_own_quiet_parts_are():
    clip = music(12.0)
    loud, quiet = features(clip, SR), features(clip * np.float32(10 ** (-40 / 20)), SR)
    assert quiet["integrated_lufs"] == pytest.approx(loud["integrated_lufs"] - 40.0, abs=0.2)
    assert quiet["silence_ratio"] == loud["silence_ratio"] == 0.0
    gapped = clip.copy()
    gapped[SR * 4 : SR * 8] = 0.0
    assert features(gapped * np.float32(0.01), SR)["silence_ratio"] == pytest.approx(4 / 12, abs=0.02)


def test_mix_balance_measures_what_it_says():
    t = np.arange(SR * 4) / SR
    low = np.sin(2 * np.pi * 80 * t)
    row = mix_balance.measure(np.stack([low, low], axis=1), SR, 120.0)
    assert row["pct<250"] > 99.0 and row["stereo_corr"] == pytest.approx(1.0)
    assert row["crest_db"] == pytest.approx(3.01, abs=0.05) and row["low_dip_db"] < 3.0  # a steady tone barely moves
    pulses = low * (np.mod(t, 0.5) < 0.15)  # 80 Hz bursts on every beat at 120 BPM: a pumping low end
    assert mix_balance.measure(np.stack([pulses, pulses], axis=1), SR, 120.0)["low_dip_db"] > 20.0
    hiss = np.random.default_rng(0).normal(size=(SR * 4, 2))
    row = mix_balance.measure(hiss, SR, 120.0)
    assert row["pct>8k"] > 50.0 and abs(row["stereo_corr"]) < 0.05


def test_the_reference_mix_has_a_kick_highs_and_width(reference):
    row = mix_balance.measure(reference, 44100, 128.0)
    # before the rebalance (recipe version 2): 98.5 % below 250 Hz, 0.1 % at 2-8 kHz,
    # L/R correlation 0.98 and a 5.7 dB low-end dip on the curated sets
    assert row["pct<250"] < 93.0 and row["pct2k-8k"] > 1.0
    assert row["stereo_corr"] < 0.92 and row["low_dip_db"] > 10.0
