"""The teacher's judge: render a candidate config once, measure it once, judge it against any vibe.

Rendering, measuring and the feature cache are the learning loop's one path
(`optimize.render_score`): the cache key is the config, the clip, the ambient
engine's fingerprint and the judge's backend and version, not the vibe, so one
render serves every vibe that tries the same config and the contrastive
reward's other vibes. Here a judgement is the reward and its parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent.metric import TEXT_REWARDS, unit_reward
from optimize.render_score import Clip, RenderJudge
from tools.schema import MusicConfig

__all__ = ["CandidateJudge", "Clip", "Judgement"]


@dataclass(frozen=True)
class Judgement:
    reward: float
    parts: dict[str, float]


class CandidateJudge(RenderJudge):
    """`judge(vibe, config) -> Judgement`: render and measure once (cached), then judge against the vibe."""

    def judge(self, vibe: str, features: dict[str, Any]) -> Judgement:
        scores = self.judge_features(features, vibe)
        parts = {name: float(value) for name, value in (("OBJ", scores.OBJ), ("CE", scores.CE), ("PQ", scores.PQ)) if value is not None}
        parts.update({name: float(value) for name, value in scores.extra.items() if name in TEXT_REWARDS})
        return Judgement(round(unit_reward(scores), 6), parts)

    def __call__(self, vibe: str, config: MusicConfig) -> Judgement:
        return self.judge(vibe, self.features(config))
