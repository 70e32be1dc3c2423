"""Statistics of paired preferences: Wilson intervals, binomial tests, Bradley-Terry strengths."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import binomtest, norm

from agent.ab import stats as ab_stats

Z95 = float(norm.ppf(0.975))


def wilson_ci(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion; (nan, nan) for n == 0."""
    if n == 0:
        return float("nan"), float("nan")
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def binomial_p(successes: int, n: int) -> float:
    """Two-sided exact binomial test against 0.5 (nan for n == 0)."""
    return float(binomtest(successes, n, 0.5).pvalue) if n else float("nan")


def bradley_terry(wins: np.ndarray, prior: float = 0.5, iterations: int = 1000, tol: float = 1e-10) -> np.ndarray:
    """Bradley-Terry strengths from a wins matrix (wins[i, j] = times i beat j) by MM iterations.

    `prior` adds that many virtual wins each way between every two systems,
    so the estimate exists when a system never won (or the graph is split).
    Strengths are scaled to a geometric mean of 1; P(i beats j) = s_i / (s_i + s_j).
    """
    wins = np.asarray(wins, dtype=float) + prior * (1 - np.eye(len(wins)))
    games = wins + wins.T
    total_wins = wins.sum(axis=1)
    strength = np.ones(len(wins))
    for _ in range(iterations):
        denom = (games / (strength[:, None] + strength[None, :])).sum(axis=1)
        updated = total_wins / denom
        updated /= np.exp(np.mean(np.log(updated)))
        if np.max(np.abs(updated - strength)) < tol:
            return updated
        strength = updated
    return strength


def bootstrap_bt(winners: np.ndarray, losers: np.ndarray, n_systems: int, rng: np.random.Generator, reps: int = 500) -> np.ndarray:
    """95% percentile intervals of log Bradley-Terry strength, resampling votes; shape (n_systems, 2)."""
    draws = np.empty((reps, n_systems))
    for r in range(reps):
        pick = rng.integers(0, len(winners), size=len(winners))
        matrix = np.zeros((n_systems, n_systems))
        np.add.at(matrix, (winners[pick], losers[pick]), 1)
        draws[r] = np.log(bradley_terry(matrix))
    return np.percentile(draws, [2.5, 97.5], axis=0).T


def mean_ci(values: Sequence[float]) -> tuple[int, float, float, float]:
    """(n, mean, low, high) of `agent.ab.stats.mean_ci` (a t interval) as a row; nan where it has no value."""
    summary = ab_stats.mean_ci(values)
    low, high = summary["ci95"] or (float("nan"), float("nan"))
    return summary["n"], float("nan") if summary["mean"] is None else summary["mean"], low, high
