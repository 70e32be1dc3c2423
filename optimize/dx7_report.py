"""Paired statistics for sound-matching runs: start vs matched distances over held-out voices."""

from __future__ import annotations

import numpy as np

from agent.ab.stats import paired
from optimize.eval.stats import paired_test


def paired_summary(start: list[float], matched: list[float]) -> dict[str, float]:
    """n, means, mean improvement (start - matched) with its 95% t-interval, relative improvement,
    paired t-test (`agent.ab.stats.paired`) and Wilcoxon signed-rank (`optimize.eval.stats.paired_test`) p-values;
    nan where the tests are undefined (under 2 pairs, or every pair differs by the same amount)."""
    a, b = np.asarray(start, dtype=np.float64), np.asarray(matched, dtype=np.float64)
    diff = a - b
    out = {
        "n": int(diff.size),
        "start_mean": float(a.mean()),
        "matched_mean": float(b.mean()),
        "improvement_mean": float(diff.mean()),
        "relative_improvement": float(diff.mean() / a.mean()) if a.mean() else float("nan"),
    }
    t = paired(a, b)
    if t["p"] is None:
        return out | {"ci95_low": float("nan"), "ci95_high": float("nan"), "t_p": float("nan"), "wilcoxon_p": float("nan")}
    return out | {"ci95_low": t["ci95"][0], "ci95_high": t["ci95"][1], "t_p": t["p"], "wilcoxon_p": paired_test(a, b)["p"]}
