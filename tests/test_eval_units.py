"""Units of the evaluation suite: granular schema score, statistics, controllability scoring."""

from __future__ import annotations

import json

import numpy as np
import pytest

from optimize.eval import controllability as ctl
from optimize.eval.schema_score import FIELD_WEIGHTS, is_valid, schema_score
from optimize.eval.stats import paired_test, ratio_of_means, summarise
from reference.vibe_mapper import map_vibe
from tools.schema import EXAMPLE, MusicConfig

TOTAL = sum(FIELD_WEIGHTS.values())


def test_schema_score_partial_credit():
    assert schema_score(json.dumps(EXAMPLE)) == (1.0, {})
    assert schema_score("{not json") == (0.0, {"_json": "invalid JSON"})
    assert schema_score("[1, 2]")[0] == 0.0
    missing = {k: v for k, v in EXAMPLE.items() if k != "tempo"}
    score, problems = schema_score(json.dumps(missing))
    assert score == pytest.approx(1 - 1.5 / TOTAL) and problems == {"tempo": "missing"}
    typo = {**EXAMPLE, "mode": "minr"}  # near miss: 0.3 of the weight
    assert schema_score(typo)[0] == pytest.approx(1 - 0.7 * 1.5 / TOTAL)
    wrong = {**EXAMPLE, "mode": "phrygian", "depth": "yes"}
    assert schema_score(wrong)[0] == pytest.approx(1 - (1.5 + 0.3) / TOTAL)
    assert is_valid(EXAMPLE) and not is_valid(typo) and not is_valid({**EXAMPLE, "extra": 1})


def test_summary_ci_and_paired_test():
    rng = np.random.default_rng(0)
    data = rng.normal(0.5, 0.1, 200)
    s = summarise(data)
    assert s["n"] == 200 and s["ci95"][0] < s["mean"] < s["ci95"][1] and s["ci95"][1] - s["ci95"][0] < 0.05
    assert summarise([]) == {"n": 0, "mean": None, "ci95": None}
    better = paired_test(data + 0.05, data + rng.normal(0, 0.01, 200))
    assert better["p"] < 1e-6 and better["mean_diff"] > 0
    assert better["diff_ci95"][0] < better["mean_diff"] < better["diff_ci95"][1] and better["diff_ci95"][0] > 0.04
    assert paired_test(data, data)["p"] is None
    ratio = ratio_of_means(data * 0.8, data)
    assert ratio["mean"] == pytest.approx(80.0) and ratio["ci95"][0] <= 80.0 <= ratio["ci95"][1]


def test_controllability_moves():
    slow, fast = map_vibe("slow rain on the window"), map_vibe("fast rain on the window")
    assert ctl.moved("pace", slow, fast) and not ctl.moved("pace", fast, slow)
    assert not ctl.moved("pace", slow, slow)  # a tie is a miss
    assert not ctl.moved("mode", None, fast)  # an invalid output is a miss
    quiet = MusicConfig.parse({**EXAMPLE, "rhythm": "none"})
    assert ctl.moved("rhythm", quiet, MusicConfig.parse(EXAMPLE))
    pairs = ctl.labelled_set()
    assert len(pairs) == 240 and len({p["id"] for p in pairs}) == 240
    assert {p["axis"] for p in pairs} == set(ctl.AXES)
