"""The `dj` judge's calibration: empirical CDFs of its descriptors over a corpus of DJ renders.

`calibration.json` (beside this module, versioned, written by
`scripts/build_dj_calibration.py`) holds, per descriptor, the QUANTILES of the
descriptor over renders of random points of the arrangement space (random
set plans, curated palettes and tempi). A value maps to its rank in that corpus.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from aesthetics.vibe.calibration import QUANTILES, rank
from tools.errors import ScorerError

TABLE = Path(__file__).with_name("calibration.json")
__all__ = ["QUANTILES", "TABLE", "table", "to_unit"]


@lru_cache(maxsize=1)
def table() -> dict:
    if not TABLE.exists():
        raise ScorerError(f"dj calibration table {TABLE} is missing; rebuild it: python scripts/build_dj_calibration.py")
    return json.loads(TABLE.read_text())


def to_unit(descriptor: str, value: float) -> float:
    """Rank of `value` among the DJ corpus's renders, in [0, 1]."""
    return rank(table()["quantiles"][descriptor], value)
