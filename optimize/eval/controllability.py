"""Controllability: do config fields move the way a vibe's plain words say?

The labelled set pairs two vibes that differ only in plain words on one axis
("slow rain on the window" / "fast rain on the window"). A producer moves the
right way on a pair when the axis value of its config for the `high` vibe is
strictly above the one for the `low` vibe; a tie or the wrong order is a miss.
Random configs move the right way on about 40 % of the five-level axes and 25 %
of the rhythm axis: that, and the rule mapper, are the bars to beat.
"""

from __future__ import annotations

from collections.abc import Callable

from tools.schema import MusicConfig, level

MODE_ORDER = {"minor": 0, "dorian": 1, "mixolydian": 2, "major": 3}

# axis -> (field it drives, value of a config on the axis)
AXES: dict[str, tuple[str, Callable[[MusicConfig], float]]] = {
    "pace": ("tempo", lambda c: level(c, "tempo")),
    "brightness": ("brightness", lambda c: level(c, "brightness")),
    "density": ("density", lambda c: float(c.density)),
    "space": ("space", lambda c: level(c, "space")),
    "mode": ("mode", lambda c: float(MODE_ORDER[c.mode])),
    "rhythm": ("rhythm", lambda c: float(c.rhythm != "none")),
}

# axis -> [(low form, high form)]: "{}" is the base scene.
WORDS: dict[str, list[tuple[str, str]]] = {
    "pace": [("slow {}", "fast {}"), ("{}, slow and unhurried", "{}, fast and driving")],
    "brightness": [("dark {}", "bright {}"), ("{}, dark and murky", "{}, bright and sunny")],
    "density": [("sparse {}", "dense {}"), ("{}, sparse and empty", "{}, dense and layered")],
    "space": [("{}, dry", "{}, vast"), ("{}, dry and intimate", "{}, vast and cavernous")],
    "mode": [("{} in a minor key", "{} in a major key"), ("{}, minor", "{}, major")],
    "rhythm": [("{}, no drums", "{} with drums"), ("{} with no beat", "{} with a steady beat")],
}

BASES = (
    "rain on the window",
    "a walk through the old town",
    "a night drive",
    "waiting for the bus",
    "a lighthouse on the coast",
    "the hour before sleep",
    "a quiet train journey",
    "an empty swimming pool",
    "a garden after rain",
    "a market at closing time",
    "a letter from an old friend",
    "a snowy village",
    "the last ferry home",
    "a hammock in the shade",
    "an abandoned fairground",
    "tea on a cold afternoon",
    "a museum after hours",
    "a field of tall grass",
    "a bridge in the fog",
    "a clock tower",
)


def labelled_set() -> list[dict]:
    """The pairs, in a fixed order (shipped as optimize/data/vibes/controllability.jsonl)."""
    pairs = []
    for axis, forms in WORDS.items():
        field = AXES[axis][0]
        for v, (low, high) in enumerate(forms):
            for b, base in enumerate(BASES):
                pairs.append(
                    {
                        "id": f"ctrl-{axis}-{v}-{b:02d}",
                        "axis": axis,
                        "field": field,
                        "base": base,
                        "low": low.format(base),
                        "high": high.format(base),
                    }
                )
    return pairs


def check_pairs(records: list[dict]) -> list[dict]:
    """Validate a loaded controllability file: each record needs id, axis (known), low, high."""
    from tools.errors import ConfigError

    for n, record in enumerate(records, 1):
        missing = [k for k in ("id", "axis", "low", "high") if not isinstance(record.get(k), str) or not record[k]]
        if missing:
            raise ConfigError(f"controllability record {n} lacks {', '.join(missing)}; each needs id, axis, low, high")
        if record["axis"] not in AXES:
            raise ConfigError(f"controllability record {n}: unknown axis {record['axis']!r}; use one of {', '.join(AXES)}")
    return records


def moved(axis: str, low: MusicConfig | None, high: MusicConfig | None) -> bool:
    """True when the high vibe's config is strictly above the low one's on the axis (invalid: False)."""
    if low is None or high is None:
        return False
    value = AXES[axis][1]
    return value(high) > value(low)
