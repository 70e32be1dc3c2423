"""The judge's audio side without cross-talk: per axis, a linear read of every descriptor that follows its own field only.

An axis's own descriptors also move when another axis's field moves: a very
bright render measures less flux (so it reads slower and calmer), drums raise
spectral flatness (so a steady kick reads grittier). In a judgement those side
moves outweigh the asked one: on the tuning sets about two in three of the
judge's misses had the text read the right way and the asked axis measured the
right way. The probe is fitted on pairs of renders that differ in one field
(`scripts/build_audio_probe.py`): the rule mapper's configs of train-split
vibes with each driving field set to its two ends. For an axis, weights `w` over
the calibrated descriptor ranks minimise

    sum over its own field's pairs (w . delta - 1)^2 + CROSS * sum over other fields' pairs (w . delta)^2 + RIDGE |w|^2

(`delta` = high end's ranks minus low end's). A reading is the rank of `w . x`
among the training renders' projections, and the judge measures an axis as
MIX of it plus (1 - MIX) of the axis's own descriptors. It is a PROXY like the
rest of the judge, and fitted to this engine's renders.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from aesthetics.vibe.axes import AXES, AXIS_NAMES
from tools.errors import ScorerError
from tools.files import file_sha256

PROBE = Path(__file__).with_name("audio_probe.npz")
DESCRIPTORS: tuple[str, ...] = tuple(sorted({d for axis in AXES for d in axis.descriptors}))
MIX = 0.5  # share of the probe in an axis's measurement (chosen on the reader's tuning sets)
CROSS = 4.0  # weight of "do not move" against "move with your own field"
RIDGE = 0.05
LEVELS = np.linspace(0.0, 1.0, 101)  # quantile levels of the training projections kept for ranking
# Fields that may move an axis besides its own: an energetic piece is also faster and busier.
ALSO_MOVED_BY = {"energy": ("tempo", "density")}
STALE = "rebuild it: .venv/bin/python scripts/build_audio_probe.py"


def fit_weights(own: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Weights over the descriptors for one axis from its own field's rank changes (n, D) and other fields' (m, D)."""
    design = np.vstack([own, other])
    target = np.concatenate([np.ones(len(own)), np.zeros(len(other))])
    weight = np.concatenate([np.ones(len(own)), np.full(len(other), CROSS)])
    gram = design.T @ (design * weight[:, None]) + RIDGE * np.eye(design.shape[1])
    return np.linalg.solve(gram, design.T @ (weight * target))


@lru_cache(maxsize=1)
def _probe() -> tuple[np.ndarray, np.ndarray]:
    """(axes, descriptors) weights and (axes, LEVELS) quantiles of the training projections."""
    if not PROBE.exists():
        raise ScorerError(f"the judge's audio probe {PROBE} is missing; {STALE}")
    with np.load(PROBE) as probe:
        if tuple(probe["axes"]) != AXIS_NAMES or tuple(probe["descriptors"]) != DESCRIPTORS:
            raise ScorerError(f"the judge's audio probe {PROBE} was fitted for another axis or descriptor list; {STALE}")
        return probe["weights"], probe["quantiles"]


def audio_probe_fingerprint() -> str:
    """First 8 hex digits of the shipped probe file's sha256 (part of the judge's version)."""
    if not PROBE.exists():
        raise ScorerError(f"the judge's audio probe {PROBE} is missing; {STALE}")
    return file_sha256(PROBE)[:8]


def probe_readings(ranks: dict[str, float]) -> dict[str, float]:
    """Each axis's probe reading in [0, 1] from the calibrated descriptor ranks."""
    weights, quantiles = _probe()
    projections = weights @ np.array([ranks[d] for d in DESCRIPTORS])
    return {axis: float(np.interp(p, q, LEVELS)) for axis, p, q in zip(AXIS_NAMES, projections, quantiles, strict=True)}
