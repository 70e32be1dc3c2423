"""The `dj` judge's calibration: empirical CDFs of its descriptors over a corpus of DJ renders, one table per judge version.

Each table (beside this module, versioned, written by
`scripts/build_dj_calibration.py`) holds, per descriptor, the QUANTILES of the
descriptor over renders of random points of the arrangement space (random
set plans, curated palettes and tempi). A value maps to its rank in that corpus.
`calibration.json` is dj-cal-1 (judge dj-proxy-1), `calibration-2.json` is
dj-cal-2 (judge dj-proxy-2).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from aesthetics.dj.axes import LATEST
from aesthetics.vibe.calibration import QUANTILES, rank
from tools.errors import ScorerError

TABLES: dict[str, Path] = {
    "dj-proxy-1": Path(__file__).with_name("calibration.json"),
    "dj-proxy-2": Path(__file__).with_name("calibration-2.json"),
}
CALIBRATIONS: dict[str, str] = {"dj-proxy-1": "dj-cal-1", "dj-proxy-2": "dj-cal-2"}
TABLE = TABLES[LATEST]
__all__ = ["CALIBRATIONS", "QUANTILES", "TABLE", "TABLES", "table", "to_unit"]


@lru_cache(maxsize=4)
def table(version: str = LATEST) -> dict:
    path = TABLES[version]
    if not path.exists():
        raise ScorerError(f"dj calibration table {path} is missing; rebuild it: python scripts/build_dj_calibration.py --judge {version}")
    return json.loads(path.read_text())


def to_unit(descriptor: str, value: float, version: str = LATEST) -> float:
    """Rank of `value` among the DJ corpus's renders (the judge version's table), in [0, 1]."""
    return rank(table(version)["quantiles"][descriptor], value)
