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
    """Holm-Bonferroni adjusted p-values (step-down, monotone); a missing p (None or NaN) is not counted and
    stays as it was."""
    indexed = sorted((p, i) for i, p in enumerate(p_values) if p is not None and math.isfinite(p))
    m = len(indexed)
    adjusted: list[float | None] = list(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(indexed):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted


SMALL_N = 5  # fewer pairs (or runs per side) than this: the verdict carries a low-power warning


def paired(treatment: Sequence[float], control: Sequence[float]) -> dict:
    """Paired t-test on replica-matched differences (treatment - control): diff, its 95% CI, d_z, p."""
    a, b = np.asarray(treatment, dtype=np.float64), np.asarray(control, dtype=np.float64)
    diffs = a - b
    n = int(diffs.size)
    base = {"test": "paired t", "n": n, "diff": float(diffs.mean()) if n else None, "ci95": None, "effect": None}
    if n < 2:
        return {**base, "t": None, "df": None, "p": None, "note": "needs at least 2 replica pairs"}
    if diffs.std(ddof=1) == 0:
        note = "identical runs (no spread)" if np.all(diffs == 0) else "every pair differs by the same amount"
        return {**base, "ci95": [base["diff"], base["diff"]], "t": None, "df": None, "p": None, "note": note}
    result = stats.ttest_rel(a, b)
    ci = result.confidence_interval(CONFIDENCE)
    return {
        **base,
        "ci95": [_finite(ci.low), _finite(ci.high)],
        "effect": _finite(diffs.mean() / diffs.std(ddof=1)),
        "t": _finite(result.statistic),
        "df": _finite(result.df),
        "p": _finite(result.pvalue),
        "note": None,
    }


def unpaired(treatment: Sequence[float], control: Sequence[float]) -> dict:
    """Welch's t-test for runs that share no seeds: diff of means, its 95% CI, Cohen's d, p."""
    a, b = np.asarray(treatment, dtype=np.float64), np.asarray(control, dtype=np.float64)
    base = {
        "test": "Welch t",
        "n": int(min(a.size, b.size)),
        "diff": float(a.mean() - b.mean()) if a.size and b.size else None,
        "ci95": None,
        "effect": cohens_d(a, b),
    }
    test = welch(a, b)
    if test["p"] is not None:
        ci = stats.ttest_ind(a, b, equal_var=False).confidence_interval(CONFIDENCE)
        base["ci95"] = [_finite(ci.low), _finite(ci.high)]
    return {**base, **test}


def verdict(entry: dict, alpha: float, label: str = "B") -> str:
    """One phrase answering "is B better?" from a tested comparison with its Holm-adjusted p."""
    p = entry.get("p_holm")
    if p is None:
        return f"cannot tell ({entry.get('note') or 'no test'})"
    if p < alpha:
        return f"{label} better" if entry["diff"] > 0 else f"{label} worse"
    return f"no difference shown at alpha {alpha:g}"
