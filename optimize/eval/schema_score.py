"""JSON validity and the granular schema score of seeds/000 section 5 (R_format, R_schema).

R_schema = sum of the weights of the fields whose value is valid, plus 0.3 x
the weight for a near miss (a typo or case error: difflib ratio >= 0.8 to a
valid value), over the sum of all weights. Extra keys earn nothing and cost
nothing here; full validity (`valid`) is the strict MusicConfig check.
"""

from __future__ import annotations

import difflib
from typing import Any

from tools import safe_json
from tools.errors import ConfigError, InputError
from tools.schema import FIELDS, MusicConfig, choices

FIELD_WEIGHTS: dict[str, float] = {
    "tempo": 1.5,
    "root": 1.0,
    "mode": 1.5,
    "brightness": 1.2,
    "bass": 1.0,
    "pad": 1.0,
    "melody": 1.0,
    "rhythm": 1.0,
    "texture": 0.8,
    "accent": 0.8,
    "space": 0.6,
    "motion": 0.6,
    "attack": 0.5,
    "stereo": 0.5,
    "depth": 0.3,
    "echo": 0.5,
    "human": 0.4,
    "grain": 0.4,
    "density": 0.5,
}
NEAR_MISS_CREDIT = 0.3
assert set(FIELD_WEIGHTS) == set(FIELDS)


def parse_json(output: str | dict) -> Any:
    """The JSON value of an output, or None when it is not JSON."""
    if isinstance(output, dict):
        return output
    if not isinstance(output, (str, bytes)):
        return None
    try:
        return safe_json.loads(output, "output")
    except InputError:
        return None


def _field_valid(field: str, value: Any) -> bool:
    valid = choices(field)
    if isinstance(valid[0], bool):
        return isinstance(value, bool)
    if isinstance(valid[0], int):
        return isinstance(value, int) and not isinstance(value, bool) and value in valid
    return value in valid


def _near_miss(field: str, value: Any) -> bool:
    valid = [str(v).lower() for v in choices(field)]
    return bool(difflib.get_close_matches(str(value).lower(), valid, n=1, cutoff=0.8))


def schema_score(output: str | dict) -> tuple[float, dict[str, str]]:
    """(score in [0, 1], problems by field); not JSON or not an object scores 0."""
    data = parse_json(output)
    if data is None:
        return 0.0, {"_json": "invalid JSON"}
    if not isinstance(data, dict):
        return 0.0, {"_type": f"not an object ({type(data).__name__})"}
    earned, problems = 0.0, {}
    for field, weight in FIELD_WEIGHTS.items():
        if field not in data:
            problems[field] = "missing"
        elif _field_valid(field, data[field]):
            earned += weight
        else:
            problems[field] = f"invalid value {data[field]!r}"
            if _near_miss(field, data[field]):
                earned += NEAR_MISS_CREDIT * weight
    return earned / sum(FIELD_WEIGHTS.values()), problems


def is_valid(output: str | dict) -> bool:
    """The strict check: valid JSON object that MusicConfig accepts (19 fields, no extras)."""
    data = parse_json(output)
    if not isinstance(data, dict):
        return False
    try:
        MusicConfig.parse(data)
    except ConfigError:
        return False
    return True
