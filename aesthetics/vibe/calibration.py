"""Empirical CDFs that map each raw audio descriptor to [0, 1].

`calibration.json` (beside this module, versioned, built by
`scripts/build_vibe_calibration.py`) holds, per descriptor, QUANTILES of the
descriptor over a corpus of ambient renders of random MusicConfigs. A value
maps to its interpolated rank in that corpus: 0 = lowest seen, 1 = highest.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from tools.errors import ScorerError

TABLE = Path(__file__).with_name("calibration.json")
QUANTILES = np.linspace(0.0, 1.0, 21)


@lru_cache(maxsize=1)
def table() -> dict:
    """The shipped calibration table (version, corpus description, quantiles per descriptor)."""
    if not TABLE.exists():
        raise ScorerError(f"vibe calibration table {TABLE} is missing; rebuild it: python scripts/build_vibe_calibration.py")
    return json.loads(TABLE.read_text())


def to_unit(descriptor: str, value: float) -> float:
    """Rank of `value` in the calibration corpus of `descriptor`, in [0, 1]."""
    return rank(table()["quantiles"][descriptor], value)


def rank(quantiles, value: float) -> float:
    """Interpolated rank in [0, 1] of `value` among a corpus's QUANTILES (the `dj` judge's table uses it too)."""
    points = np.asarray(quantiles, dtype=np.float64)
    left = int(np.searchsorted(points, value, side="left"))
    right = int(np.searchsorted(points, value, side="right"))
    if right > left:  # equal to one or more quantiles (a descriptor often exactly 0): the middle of that run
        return float(QUANTILES[left:right].mean())
    if left == 0:
        return 0.0
    if left == points.size:
        return 1.0
    span = points[left] - points[left - 1]
    return float(QUANTILES[left - 1] + (value - points[left - 1]) / span * (QUANTILES[left] - QUANTILES[left - 1]))
