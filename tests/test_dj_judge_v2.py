"""The `dj` judge v2 (#24 item 1): its density descriptors, versions side by side, the cached reference sets and the 2AFC check."""

from __future__ import annotations

import numpy as np
import pytest

from aesthetics.dj.audio import density_descriptors
from aesthetics.dj.axes import AXES, LATEST, descriptors
from aesthetics.dj.calibration import CALIBRATIONS, table
from aesthetics.dj.scorer import DjScorer
from aesthetics.dsp.analysis import analyse
from optimize.eval.dj_judge_check import compare, compare_to_baseline, summarise
from optimize.eval.dj_sets import reference_set
from tools.errors import ScorerError

from dj_support import full_library

RATE = 44_100


def test_density_grows_with_the_layers_of_a_mix():
    t = np.arange(int(8 * RATE)) / RATE
    rng = np.random.default_rng(1)
    layers = [np.sin(2 * np.pi * f * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 0.5 * t + k)) for k, f in enumerate((55.0, 220.0, 880.0, 3_000.0, 7_000.0))]
    noise = 0.05 * rng.standard_normal(t.size)

    def measured(count: int) -> dict[str, float]:
        mono = (sum(layers[:count]) + noise * (count > 3)).astype(np.float32)
        a = analyse(np.stack([mono, mono], axis=1) / np.abs(mono).max(), RATE)
        return density_descriptors(a.power.astype(np.float64), a.freqs, a.hop_seconds)

    sparse, dense = measured(1), measured(5)
    assert dense["occupancy"] > sparse["occupancy"] and dense["layers"] > sparse["layers"]
    assert dense["upper"] > sparse["upper"]


def test_each_version_has_its_own_calibration_table_covering_its_descriptors():
    for version in AXES:
        calibration = table(version)
        assert calibration["version"] == CALIBRATIONS[version]
        for name in descriptors(version):
            points = calibration["quantiles"][name]
            assert len(points) == 21 and all(b >= a for a, b in zip(points, points[1:]))
    assert DjScorer().version.startswith(f"{LATEST}+{CALIBRATIONS[LATEST]}+")
    assert DjScorer("dj-proxy-1").version.startswith("dj-proxy-1+dj-cal-1+")
    with pytest.raises(ScorerError, match="unknown dj judge version 'dj-proxy-9'"):
        DjScorer("dj-proxy-9")


def test_a_reference_set_is_rendered_once_and_read_back_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(full_library()[0]))  # the curated palettes' samples, built for the tests
    brief = "dark hypnotic techno, sparse"
    audio, rate, meta = reference_set(brief, 2, tmp_path)
    kept = list(tmp_path.glob("*.npz"))
    again, rate_again, meta_again = reference_set(brief, 2, tmp_path)
    assert len(kept) == 1 and list(tmp_path.glob("*.npz")) == kept
    assert rate == rate_again == 44_100 and meta == meta_again and np.array_equal(audio, again)
    assert audio.dtype == np.float32 and audio.shape[1] == 2 and np.abs(audio).max() > 0.1


def test_the_2afc_summary_and_paired_mcnemar_count_the_trials():
    first = [{"axis": "density", "hit": h, "tie": False} for h in (False, False, False, True)]
    other = [{"axis": "density", "hit": h, "tie": False} for h in (True, True, True, True)]
    assert summarise(other)["all"]["rate"] == 1.0 and summarise(first)["density"]["hits"] == 1
    test = compare(first, other)
    assert test["all"]["only_first"] == 0 and test["all"]["only_this"] == 3 and test["all"]["p"] == pytest.approx(0.25)
    assert test["density"] == test["all"]


def test_a_rerun_is_paired_with_its_baseline_by_trial_and_refuses_other_trials():
    baseline = [{"id": f"p{i}", "under": "a", "axis": "pace", "hit": h, "tie": False} for i, h in enumerate((True, False, False, True))]
    rerun = [dict(row, hit=h) for row, h in zip(reversed(baseline), (True, True, True, True))]
    test = compare_to_baseline(baseline, rerun)["all"]
    assert (test["n"], test["rate_first"], test["rate_this"]) == (4, 0.5, 1.0)
    assert test["only_first"] == 0 and test["only_this"] == 2
    with pytest.raises(ValueError, match="share 3 trials"):
        compare_to_baseline(baseline, rerun[:3])
