"""The judge's audio probe (#21 item 4): readings that follow their own field and stay put when another field moves."""

from __future__ import annotations

import numpy as np
import pytest

from aesthetics.vibe import audio_probe
from aesthetics.vibe.audio_probe import DESCRIPTORS, MIX, fit_weights, probe_readings
from aesthetics.vibe.axes import AXES, AXIS_NAMES
from aesthetics.vibe.scorer import VibeScorer, descriptor_ranks, measured_axes
from optimize.eval.reader_check import flipped
from optimize.render_score import Clip
from reference.vibe_mapper import NEUTRAL
from tools.errors import ScorerError
from tools.schema import MusicConfig


def test_the_fit_cancels_a_descriptor_that_another_field_also_moves():
    """Own field moves descriptors 0 and 1; another field moves descriptor 1 alone: the probe reads 0 and ignores 1."""
    rng = np.random.default_rng(0)
    own = np.column_stack([1.0 + 0.1 * rng.standard_normal(50), 1.0 + 0.1 * rng.standard_normal(50), np.zeros(50)])
    other = np.column_stack([np.zeros(50), 1.0 + 0.1 * rng.standard_normal(50), 0.1 * rng.standard_normal(50)])
    w = fit_weights(own, other)
    assert np.mean(own @ w) == pytest.approx(1.0, abs=0.1)
    assert np.mean(np.abs(other @ w)) < 0.1
    naive = np.array([0.5, 0.5, 0.0])  # the mean of the two descriptors, as an axis with both would read
    assert np.mean(np.abs(other @ naive)) > 0.4


def _ranks(config: MusicConfig) -> dict[str, float]:
    clip = Clip()
    return descriptor_ranks(clip.render(config), clip.sample_rate)[0]


@pytest.mark.parametrize("axis", ["brightness", "pace", "grit", "space"])
def test_the_shipped_probe_orders_its_own_field_ends_on_the_neutral_config(axis):
    low, high = (probe_readings(_ranks(flipped(MusicConfig.parse(NEUTRAL), axis, end)))[axis] for end in (False, True))
    assert 0.0 <= low < high <= 1.0


def test_the_judge_measures_the_mix_of_the_probe_and_the_axis_descriptors():
    clip = Clip()
    config = MusicConfig.parse(NEUTRAL)
    ranks = _ranks(config)
    measured, _quality = measured_axes(clip.render(config), clip.sample_rate)
    probe = probe_readings(ranks)
    for axis in AXES:
        own = np.mean([ranks[d] for d in axis.descriptors])
        assert measured[axis.name] == pytest.approx(MIX * probe[axis.name] + (1 - MIX) * own, abs=1e-12)
    assert set(measured) == set(AXIS_NAMES)


def test_a_missing_or_foreign_probe_file_names_the_rebuild_command(tmp_path, monkeypatch):
    monkeypatch.setattr(audio_probe, "PROBE", tmp_path / "absent.npz")
    audio_probe._probe.cache_clear()
    with pytest.raises(ScorerError, match="build_audio_probe.py"):
        VibeScorer()
    foreign = tmp_path / "foreign.npz"
    np.savez(
        foreign, axes=np.array(["pace"]), descriptors=np.array(DESCRIPTORS), weights=np.zeros((1, len(DESCRIPTORS))), quantiles=np.zeros((1, 101))
    )
    monkeypatch.setattr(audio_probe, "PROBE", foreign)
    with pytest.raises(ScorerError, match="another axis or descriptor list"):
        probe_readings({d: 0.5 for d in DESCRIPTORS})
    audio_probe._probe.cache_clear()
