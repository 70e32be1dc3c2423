"""DPO pairs from the teacher's candidates (issue #23 item 3): core environment, no torch."""

from __future__ import annotations

import pytest

from optimize.distill.data import dpo_pairs
from tools.errors import ConfigError
from tools.schema import EXAMPLE, choices


def _config(i: int) -> dict:
    return {**EXAMPLE, "tempo": choices("tempo")[i % 5], "root": choices("root")[i % 12]}


def _record(rewards: list[float], vibe: str = "rain on a tin roof") -> dict:
    candidates = [{"config": _config(i), "reward": r, "judge_reward": r} for i, r in enumerate(rewards)]
    best = max(candidates, key=lambda c: c["reward"])
    return {"id": vibe, "vibe": vibe, "config": best["config"], "candidates": candidates}


def test_pairs_put_the_best_against_the_closest_eligible_and_the_worst():
    record = _record([0.50, 0.49, 0.45, 0.40, 0.30, 0.10])
    pairs = dpo_pairs([record], pairs=2, margin=0.02)
    assert [p[0] for p in pairs] == ["rain on a tin roof"] * 2
    assert all(chosen == _config(0) for _, chosen, _ in pairs)
    assert [rejected for _, _, rejected in pairs] == [_config(2), _config(5)]  # 0.49 is within the margin


def test_three_pairs_spread_over_the_ranks_and_never_repeat():
    record = _record([0.50, 0.45, 0.40, 0.30, 0.10])
    rejected = [r for _, _, r in dpo_pairs([record], pairs=3, margin=0.02)]
    assert rejected == [_config(1), _config(3), _config(4)]  # ranks 0, 2 and 3 of the four worse ones
    assert len(dpo_pairs([_record([0.5, 0.4])], pairs=3, margin=0.02)) == 1  # only one is worse


def test_a_vibe_with_nothing_worse_gives_no_pair_and_no_pair_at_all_is_refused():
    flat = _record([0.5, 0.5, 0.495], vibe="flat")
    assert dpo_pairs([flat, _record([0.5, 0.3])], pairs=2, margin=0.02)[0][0] == "rain on a tin roof"
    with pytest.raises(ConfigError, match="lower --margin"):
        dpo_pairs([flat], pairs=2, margin=0.02)


def test_records_without_candidates_are_refused_with_the_fix():
    with pytest.raises(ConfigError, match="no candidates"):
        dpo_pairs([{"id": "x", "vibe": "x", "config": EXAMPLE}], pairs=2, margin=0.02)
