"""The compile metric of the vibe program: render the config, judge it against the vibe (optimize.render_score).

`ConfigJudge(judge="vibe")` is callable in DSPy's metric convention
`metric(example, prediction, trace=None)` and gives the judge's reward in
[0, 1] (`vibe_reward` of the text-aware proxy, `clap_reward`, else OBJ / 10);
a prediction without a valid config scores 0. With `trace` set (bootstrapping)
it returns `reward >= threshold`, so only passing demos are kept.

`ConfigJudge.feedback` is GEPA's feedback metric: the same score plus text
naming the validation problems (per field) and the judge's per-axis gaps
(target vs measured, weighted), with the config fields that move each axis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import dspy

from agent.metric import example_brief, unit_reward
from optimize.render_score import Clip, RenderJudge
from tools.errors import ConfigError
from tools.schema import MusicConfig

MIN_AXIS_WEIGHT = 0.05
AXIS_FIELDS = {  # which config fields move which judge axis (hints for the reflection LM)
    "pace": ("tempo", "motion"),
    "energy": ("density", "rhythm", "attack"),
    "brightness": ("brightness", "pad", "grain"),
    "space": ("space", "echo"),
    "density": ("density", "texture", "accent"),
    "valence": ("mode", "melody"),
    "grit": ("grain", "texture"),
    "percussion": ("rhythm",),
    "width": ("stereo",),
    "register": ("bass", "melody", "pad"),
}


@dataclass(frozen=True)
class Judged:
    reward: float
    feedback: str


class ConfigJudge:
    """Reward of a predicted MusicConfig for its vibe; renders `duration` seconds at `sample_rate`."""

    def __init__(self, judge: str = "vibe", duration: float = 4.0, sample_rate: int = 22050, seed: int = 0, threshold: float = 0.5) -> None:
        self.render = RenderJudge(judge, Clip(duration, sample_rate, seed))  # a bad judge name fails before any compile step
        self.metric = self.render.metric
        self.duration, self.sample_rate, self.seed, self.threshold = duration, sample_rate, seed, threshold
        self.calls = 0
        self.__name__ = f"{judge}_reward"

    @property
    def version(self) -> str:
        """Names the metric in sidecars: judge backend and version, clip, reward key."""
        scorer = self.metric.scorer
        return f"{scorer.backend}/{scorer.version};clip={self.duration}s@{self.sample_rate};seed={self.seed}"

    def judge(self, example: Any, prediction: Any) -> Judged:
        self.calls += 1
        config = prediction_config(prediction)
        if config is None:
            problems = "; ".join(getattr(prediction, "feedback", None) or []) or "no config was produced"
            return Judged(0.0, f"The answer gave no valid config ({problems}). Use only the listed values for every field.")
        vibe = example_brief(example) or example.get("vibe")
        scores = self.render.scores(config, vibe)
        return Judged(unit_reward(scores), axis_feedback(scores.extra, getattr(prediction, "feedback", None) or []))

    def __call__(self, example: Any, prediction: Any, trace: Any = None) -> float | bool:
        reward = self.judge(example, prediction).reward
        return reward >= self.threshold if trace is not None else reward

    def feedback(self, gold: Any, pred: Any, trace: Any = None, pred_name: str | None = None, pred_trace: Any = None) -> dspy.Prediction:
        judged = self.judge(gold, pred)
        return dspy.Prediction(score=judged.reward, feedback=judged.feedback)


def prediction_config(prediction: Any) -> MusicConfig | None:
    """The MusicConfig a vibe-program prediction carries (VibeResult.config), or None."""
    config = getattr(prediction, "config", None)
    if config is None:
        return None
    try:
        return config if isinstance(config, MusicConfig) else MusicConfig.parse(dict(config))
    except (ConfigError, TypeError, ValueError):
        return None


def axis_feedback(extra: dict, validation: list[str]) -> str:
    """Per-field (validation retries) and per-axis (judge target vs measured) feedback, largest gap first."""
    lines = [f"Validation problems fixed by retrying: {' | '.join(validation)}"] if validation else []
    gaps = []
    for key, target in extra.items():
        if not (key.startswith("axis_") and key.endswith("_target")):
            continue
        axis = key[len("axis_") : -len("_target")]
        weight = float(extra.get(f"axis_{axis}_weight", 0.0))
        measured = extra.get(f"axis_{axis}_measured")
        if measured is None or weight < MIN_AXIS_WEIGHT:
            continue
        gaps.append((weight * abs(target - measured), axis, float(target), float(measured)))
    for _, axis, target, measured in sorted(gaps, reverse=True):
        direction = "raise" if target > measured else "lower"
        fields = ", ".join(AXIS_FIELDS.get(axis, ()))
        lines.append(f"{axis}: the vibe asks for {target:.2f}, the audio measured {measured:.2f}; {direction} it (fields: {fields}).")
    if not gaps:
        lines.append("The judge found no weighted axis gap for this vibe.")
    for key in ("vibe_reward", "vibe_sim", "vibe_quality", "vibe_penalty"):
        if key in extra:
            lines.append(f"{key} = {float(extra[key]):.3f}")
    return "\n".join(lines)
