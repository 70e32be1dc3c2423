"""Paired statistics for sound-matching runs: start vs matched distances over held-out voices."""

from __future__ import annotations

import numpy as np
from scipy import stats


def paired_summary(start: list[float], matched: list[float]) -> dict[str, float]:
    """n, means, mean improvement (start - matched) with its 95% t-interval, relative improvement,
    paired t-test and Wilcoxon signed-rank p-values."""
    a, b = np.asarray(start, dtype=np.float64), np.asarray(matched, dtype=np.float64)
    diff = a - b
    n = diff.size
    out = {"n": int(n), "start_mean": float(a.mean()), "matched_mean": float(b.mean()),
           "improvement_mean": float(diff.mean()), "relative_improvement": float(diff.mean() / a.mean()) if a.mean() else float("nan")}
    if n >= 2 and np.any(diff != diff[0]):
        half = stats.t.ppf(0.975, n - 1) * diff.std(ddof=1) / np.sqrt(n)
        out |= {"ci95_low": float(diff.mean() - half), "ci95_high": float(diff.mean() + half),
                "t_p": float(stats.ttest_rel(a, b).pvalue),
                "wilcoxon_p": float(stats.wilcoxon(a, b).pvalue) if np.any(diff != 0) else 1.0}
    else:
        out |= {"ci95_low": float("nan"), "ci95_high": float("nan"), "t_p": float("nan"), "wilcoxon_p": float("nan")}
    return out
