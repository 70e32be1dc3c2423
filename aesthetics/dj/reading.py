"""What a DJ brief asks of a set: the reader's axes plus one DJ-only axis, `variation`.

The axes come from the project's one reader (`aesthetics.vibe.reader.read`):
energy, brightness, pace, density, percussion, space, valence, ... A DJ set
also has a shape in time the ambient axes do not name: whether it holds one
groove (hypnotic, repetitive, locked) or keeps changing (varied, evolving,
eventful). `variation` reads that from a small word table, with the reader's
negators and clause splitting ("not repetitive" leans varied, less surely).
It lives here, not in the reader, because only DJ sets are measured on it; if
the ambient judge ever grows the axis, the table moves into the reader.
"""

from __future__ import annotations

import re
from functools import lru_cache

from aesthetics.vibe.reader import CLAUSE_SPLIT, AxisReading, normalise, read
from aesthetics.vibe.words import NEGATORS

# The common words for holding one groove or moving on. The same session wrote the frozen held-out
# briefs (optimize/data/dj/heldout-v1.jsonl) first; words that only that set suggested were left out.
STEADY = ("hypnotic", "repetitive", "repetition", "looping", "loop", "locked", "steady", "unchanging", "trance",
          "minimal", "meditative", "one groove", "rolling", "static", "endless")
VARIED = ("varied", "variety", "changing", "changes", "change", "evolving", "eclectic", "journey", "twists",
          "twist", "dynamic", "builds", "breakdowns", "contrasts", "diverse", "progressive", "adventurous")
WORD_CONFIDENCE = 0.8
NEGATED_CONFIDENCE = 0.5
STEADY_TARGET, VARIED_TARGET = 0.1, 0.9


def _pattern(phrases) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered) + r")\b")


_STEADY, _VARIED = _pattern(STEADY), _pattern(VARIED)
_NEGATED = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in NEGATORS) + r")\s+(?:\w+\s+)?$")


@lru_cache(maxsize=4096)
def variation(text: str) -> AxisReading:
    """0 = holds one groove, 1 = keeps changing; confidence 0 when the brief says nothing about it."""
    votes: list[tuple[float, float, str]] = []
    for clause in CLAUSE_SPLIT.split(normalise(text)):
        for table, target in ((_STEADY, STEADY_TARGET), (_VARIED, VARIED_TARGET)):
            for match in table.finditer(clause):
                negated = bool(_NEGATED.search(clause[: match.start()]))
                votes.append((1.0 - target if negated else target,
                              NEGATED_CONFIDENCE if negated else WORD_CONFIDENCE,
                              f"{'not ' if negated else ''}{match.group(1)}"))
    if not votes:
        return AxisReading(0.5, 0.0)
    weight = sum(conf for _, conf, _ in votes)
    target = sum(t * conf for t, conf, _ in votes) / weight
    confidence = min(0.95, 1.0 - _product(1.0 - conf for _, conf, _ in votes))
    return AxisReading(target, confidence, tuple(f"dj:{source}" for _, _, source in votes))


def _product(values) -> float:
    result = 1.0
    for value in values:
        result *= value
    return result


def read_set(text: str) -> dict[str, AxisReading]:
    """Every reader axis of the brief, plus `variation`."""
    return {**read(text).axes, "variation": variation(text)}


def level(reading: AxisReading, neutral: float = 0.5) -> float:
    """The axis target pulled towards `neutral` by how unsure the reading is: what a rule should act on."""
    return neutral + reading.confidence * (reading.target - neutral)
