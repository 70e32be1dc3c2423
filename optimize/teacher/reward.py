"""What the teacher maximises for one vibe: fit to this vibe, not to any vibe, without leaving its words.

    objective = judge(vibe) - contrast * mean_k judge(other vibe k) - prior * contradiction

- The judge's reward already holds its quality gate. The contrastive term
  judges the same render under K other vibes of the job (cheap: the render is
  measured once, see `judging`), so a config that suits every vibe earns
  nothing extra and one that suits only this vibe stands out.
- Explicit fields (a text that says "no drums", "in D minor", "presto") are
  not scored at all: the search space fixes them (`space.suggest_config`).
- Implied fields the reader is confident about ("funeral" -> minor) are a soft
  prior: contradiction is their mean mismatch, weighted by the reader's
  confidence; one step off on an ordered field is half a contradiction.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aesthetics.vibe.reader import Reading, field_level, read
from optimize.teacher.judging import CandidateJudge, Judgement
from reference.vibe_mapper import config_from_reading
from tools.schema import MusicConfig

FULL_PRIOR_WEIGHT = 1.2  # reader weight of two agreeing cues ("a funeral procession" -> slow): full confidence
PRIOR_MIN_WEIGHT = 0.6  # one concept's cue; below it a field is not part of the prior


@dataclass(frozen=True)
class ObjectiveSettings:
    contrast: float = 0.5  # weight of the other vibes' mean reward
    others: int = 8  # K other vibes per vibe
    prior: float = 0.6  # weight of contradicting confident implied fields


def fixed_fields(reading: Reading) -> dict[str, object]:
    """The fields the text names: the search never changes them."""
    return reading.explicit_fields()


def prior_fields(reading: Reading) -> dict[str, tuple[object, float]]:
    """Implied fields the reader is confident about: field -> (value, confidence in (0, 1]). The value is
    the rule mapper's (the reader's config: density raised until every named layer sounds)."""
    config = config_from_reading(reading)
    return {
        name: (getattr(config, name), min(1.0, f.weight / FULL_PRIOR_WEIGHT))
        for name, f in reading.fields.items()
        if not f.explicit and f.weight >= PRIOR_MIN_WEIGHT
    }


def mismatch(name: str, wanted: object, value: object) -> float:
    """0 for the wanted value, 1 for a contrary one; fields with levels count distance (one step = 0.5)."""
    if value == wanted:
        return 0.0
    a, b = field_level(name, wanted), field_level(name, value)
    if a is None or b is None:
        return 1.0
    return min(1.0, abs(a[1] - b[1]) / 0.5)


def contradiction(config: MusicConfig, prior: dict[str, tuple[object, float]]) -> float:
    """Confidence-weighted mean mismatch of `config` with the prior fields (0 when there are none)."""
    if not prior:
        return 0.0
    weights = np.array([confidence for _value, confidence in prior.values()])
    misses = np.array([mismatch(name, value, getattr(config, name)) for name, (value, _c) in prior.items()])
    return float(weights @ misses / weights.sum())


def other_vibes(vibe_id: str, vibe: str, pool: Sequence[str], k: int, seed: int) -> list[str]:
    """K vibes of the pool other than this one, the same for a vibe id and seed on every machine."""
    candidates = sorted({text for text in pool if text != vibe})
    rng = random.Random(int.from_bytes(hashlib.sha256(f"{seed}:others:{vibe_id}".encode()).digest()[:8], "little"))
    return rng.sample(candidates, min(k, len(candidates)))


class VibeObjective:
    """`objective(config) -> Judgement` whose reward is the search objective and parts say why."""

    def __init__(self, judge: CandidateJudge, vibe: str, others: Sequence[str], settings: ObjectiveSettings) -> None:
        self.judge, self.vibe, self.others, self.settings = judge, vibe, list(others), settings
        self.prior = prior_fields(read(vibe))

    def __call__(self, config: MusicConfig) -> Judgement:
        features = self.judge.features(config)
        own = self.judge.judge(self.vibe, features)
        parts = {**own.parts, "judge_reward": own.reward}
        value = own.reward
        if self.settings.contrast and self.others:
            others = float(np.mean([self.judge.judge(text, features).reward for text in self.others]))
            parts["others_reward"] = round(others, 6)
            value -= self.settings.contrast * others
        if self.settings.prior and self.prior:
            parts["contradiction"] = round(contradiction(config, self.prior), 6)
            value -= self.settings.prior * parts["contradiction"]
        return Judgement(round(value, 6), parts)
