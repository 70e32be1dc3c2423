"""Summaries every comparison carries: n, mean, 95 % bootstrap CI, paired tests with Holm correction."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

from agent.ab.stats import holm

CONFIDENCE = 0.95
RESAMPLES = 2000


def _finite(value) -> float | None:
    return float(value) if value is not None and math.isfinite(float(value)) else None


def summarise(values: Sequence[float], seed: int = 0) -> dict:
    """n, mean and the 95 % percentile-bootstrap CI of the mean (scipy.stats.bootstrap; seeded)."""
    data = np.asarray([v for v in values if v is not None], dtype=np.float64)
    n = int(data.size)
    if n == 0:
        return {"n": 0, "mean": None, "ci95": None}
    mean = float(data.mean())
    if n < 2 or np.all(data == data[0]):
        return {"n": n, "mean": mean, "ci95": [mean, mean] if n >= 2 else None}
    result = stats.bootstrap(
        (data,),
        np.mean,
        confidence_level=CONFIDENCE,
        n_resamples=RESAMPLES,
        method="percentile",
        random_state=np.random.default_rng(seed),
    )
    return {"n": n, "mean": mean, "ci95": [float(result.confidence_interval.low), float(result.confidence_interval.high)]}


def ratio_of_means(numerator: Sequence[float], denominator: Sequence[float], seed: int = 0) -> dict:
    """100 x mean(a) / mean(b) on paired values, with a paired percentile-bootstrap CI."""
    a, b = np.asarray(numerator, dtype=np.float64), np.asarray(denominator, dtype=np.float64)
    n = int(a.size)
    if n == 0 or b.mean() == 0:
        return {"n": n, "mean": None, "ci95": None}
    value = float(100 * a.mean() / b.mean())
    if n < 2:
        return {"n": n, "mean": value, "ci95": None}

    def statistic(x, y, axis=-1):
        return 100 * np.mean(x, axis=axis) / np.mean(y, axis=axis)

    result = stats.bootstrap(
        (a, b),
        statistic,
        paired=True,
        confidence_level=CONFIDENCE,
        n_resamples=RESAMPLES,
        method="percentile",
        random_state=np.random.default_rng(seed),
    )
    low, high = result.confidence_interval
    return {"n": n, "mean": value, "ci95": [_finite(low), _finite(high)]}


def paired_test(values: Sequence[float], baseline: Sequence[float], seed: int = 0) -> dict:
    """Wilcoxon signed-rank on paired differences (zeros dropped, two-sided; p None when undefined) and
    the 95 % bootstrap CI of the mean difference."""
    a, b = np.asarray(values, dtype=np.float64), np.asarray(baseline, dtype=np.float64)
    diff = a - b
    n = int(diff.size)
    base = {"test": "wilcoxon", "n": n, "mean_diff": float(diff.mean()) if n else None, "diff_ci95": summarise(diff, seed=seed)["ci95"]}
    if n < 2:
        return {**base, "p": None, "note": "needs at least 2 pairs"}
    if np.all(diff == 0):
        return {**base, "p": None, "note": "identical on every pair"}
    result = stats.wilcoxon(a, b, zero_method="wilcox", alternative="two-sided")
    return {**base, "p": _finite(result.pvalue), "note": None}


def adjust(tests: list[dict]) -> None:
    """Holm-adjust the p of each test in place (as `p_holm`), across the list."""
    for test, adjusted in zip(tests, holm([t.get("p") for t in tests])):
        test["p_holm"] = adjusted
