"""The reader's learned source: a per-axis linear probe on sentence embeddings, trained on tuning sets only."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from aesthetics.vibe import probe as probe_module
from aesthetics.vibe.axes import AXIS_NAMES
from aesthetics.vibe.probe import PROBE, probe_digest, probe_votes
from aesthetics.vibe.reader import SOURCES, read
from optimize.eval.reader_check import HELD_OUT
from reference.vibe_mapper import map_vibe
from tools.errors import ScorerError

FROZEN = Path(__file__).resolve().parents[1] / "optimize" / "data" / "reader" / "FROZEN.md"


def test_shipped_probe_was_trained_on_tuning_sets_only():
    with np.load(PROBE) as shipped:
        assert str(shipped["digest"]) == probe_digest()
        assert shipped["weights"].shape == (len(AXIS_NAMES), 385)
        trained_on = [str(line) for line in shipped["trained_on"]]
    recorded = dict(re.findall(r"`([\w-]+\.jsonl)` \|[^\n]*`([0-9a-f]{64})`", FROZEN.read_text()))
    assert f"{HELD_OUT}.jsonl" in recorded
    for line in trained_on:
        name, digest = line.split()
        assert recorded[name] == digest, f"{name} changed since the probe was trained"
        assert name != f"{HELD_OUT}.jsonl", "the probe must never see the set the judge is reported on"


def test_probe_reads_a_scene_the_tables_do_not_list_and_is_deterministic():
    text = "oil wells burning on the horizon"
    assert probe_votes(text) == probe_votes(text)
    assert "probe" in read(text).axes["grit"].sources and read(text).axes["grit"].target > 0.5
    without = read(text, tuple(s for s in SOURCES if s != "probe"))
    assert all("probe" not in a.sources for a in without.axes.values())


def test_explicit_terms_win_over_the_probe():
    reading = read("no drums, very dark, heavy distortion")
    for axis in ("percussion", "brightness", "grit"):
        assert "probe" not in reading.axes[axis].sources
        assert reading.axes[axis].confidence == 1.0
    assert reading.axes["percussion"].target < 0.1 and reading.axes["brightness"].target < 0.1


@pytest.mark.parametrize("text", ["qwerty zxcv plugh", "plugh"])
def test_the_mapper_does_not_set_fields_from_the_probe_alone(text):
    reading = read(text)
    assert any(a.sources == ("probe",) for a in reading.axes.values())
    assert map_vibe(text) == map_vibe("")


def test_a_stale_or_missing_probe_is_refused_with_the_rebuild_command(tmp_path, monkeypatch):
    stale = tmp_path / "probe.npz"
    np.savez(stale, weights=np.zeros((len(AXIS_NAMES), 385), dtype=np.float32), digest=np.array("other"))
    for path in (stale, tmp_path / "missing.npz"):
        monkeypatch.setattr(probe_module, "PROBE", path)
        probe_module._weights.cache_clear()
        with pytest.raises(ScorerError, match="build_reader_probe.py"):
            probe_votes("rain")
    probe_module._weights.cache_clear()


def _build_script():
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "build_reader_probe.py"
    spec = importlib.util.spec_from_file_location("build_reader_probe", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ridge_fit_learns_each_axis_from_its_labelled_rows_only():
    build = _build_script()
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(200, 384))
    direction = rng.normal(size=384)
    labels = [{"pace": float(np.sign(v @ direction))} for v in vectors]
    weights = build.fit(vectors, labels)
    pace = AXIS_NAMES.index("pace")
    agree = np.mean(np.sign(vectors @ weights[pace, :-1] + weights[pace, -1]) == [lab["pace"] for lab in labels])
    assert agree > 0.95
    assert not np.any(np.delete(weights, pace, axis=0)), "axes with no labelled row stay silent"


def test_paired_2afc_counts_discordant_trials():
    from optimize.eval.reader_check import paired

    def trials(outcomes):
        return [{"id": f"v{i}", "axis": "pace", "direction": "low", "right": float(ok), "wrong": 0.5} for i, ok in enumerate(outcomes)]

    result = paired(trials([1, 1, 0, 0, 1]), trials([1, 0, 1, 1, 1]))
    assert (result["trials_gained"], result["trials_lost"]) == (2, 1)
    assert result["before"]["hits"] == 3 and result["after"]["hits"] == 4
    assert result["difference"] == pytest.approx(0.2) and 0 < result["mcnemar_exact_p"] <= 1
    with pytest.raises(SystemExit, match="same frozen set"):
        paired(trials([1]), trials([1, 1]))
