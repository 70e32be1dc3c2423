"""Statistics of an A/B run: means with 95% CIs, Welch's t-test, Cohen's d, Holm correction."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

CONFIDENCE = 0.95


def _finite(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def mean_ci(values: Sequence[float]) -> dict:
    """n, mean, sample sd and the t-based 95% confidence interval of the mean (None where n < 2)."""
    data = np.asarray(values, dtype=np.float64)
    n = int(data.size)
    if n == 0:
        return {"n": 0, "mean": None, "sd": None, "ci95": None}
    mean = float(data.mean())
    if n < 2:
        return {"n": n, "mean": mean, "sd": None, "ci95": None}
    sd = float(data.std(ddof=1))
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1)) * sd / math.sqrt(n)
    return {"n": n, "mean": mean, "sd": sd, "ci95": [mean - half, mean + half]}


def cohens_d(treatment: Sequence[float], control: Sequence[float]) -> float | None:
    """(mean treatment - mean control) / pooled sd; None when undefined (n < 2 or no spread)."""
    a, b = np.asarray(treatment, dtype=np.float64), np.asarray(control, dtype=np.float64)
    if a.size < 2 or b.size < 2:
        return None
    pooled = ((a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1)) / (a.size + b.size - 2)
    if pooled <= 0:
        return None
    return _finite((a.mean() - b.mean()) / math.sqrt(pooled))


def welch(treatment: Sequence[float], control: Sequence[float]) -> dict:
    """Welch's unequal-variance t-test; p is None when the test is undefined (say so, do not guess)."""
    a, b = np.asarray(treatment, dtype=np.float64), np.asarray(control, dtype=np.float64)
    if a.size < 2 or b.size < 2:
        return {"t": None, "df": None, "p": None, "note": "needs at least 2 runs per side"}
    if a.var(ddof=1) == 0 and b.var(ddof=1) == 0:
        return {"t": None, "df": None, "p": None, "note": "no spread on either side (identical runs)"}
    result = stats.ttest_ind(a, b, equal_var=False)
    return {"t": _finite(result.statistic), "df": _finite(result.df), "p": _finite(result.pvalue), "note": None}


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm-Bonferroni adjusted p-values (step-down, monotone); None stays None and is not counted."""
    indexed = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(indexed)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(indexed):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted
