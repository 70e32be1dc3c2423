"""What a study tunes and how one trial is played: DJ prompt knobs, ambient config fields.

`dj`: prompt variant (a prompts/*.txt), temperature, max_iters and guardrail
thresholds (energy tolerance, stagnation phrases), each trial the mean metric
over replicated sets (seeds 0..R-1). `ambient`: the MusicConfig fields for
one brief (the teacher's space, optimize.teacher.space), rendered and judged through
optimize.render_score. Both score through agent.metric.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.metric import AudioMetric
from optimize.render_score import Clip, RenderJudge
from optimize.teacher.space import suggest_config
from tools.errors import ConfigError
from tools.schema import FIELDS


@dataclass(frozen=True)
class AmbientSpace:
    brief: str
    fields: tuple[str, ...] = FIELDS
    duration: float = 4.0
    sample_rate: int = 22050
    seed: int = 0

    def check(self) -> None:
        unknown = sorted(set(self.fields) - set(FIELDS))
        if unknown:
            raise ConfigError(f"unknown config fields {unknown}; use some of: {', '.join(FIELDS)}")
        if not self.brief.strip():
            raise ConfigError("--brief is empty; describe the vibe the study tunes for")

    def objective(self, metric: AudioMetric) -> Callable[[Any], float]:
        from reference.vibe_mapper import map_vibe

        base = map_vibe(self.brief).model_dump()  # fields not tuned come from the rule mapper
        judge = RenderJudge(metric, Clip(self.duration, self.sample_rate, self.seed))

        def objective(trial: Any) -> float:
            return metric.value(judge.scores(suggest_config(trial, self.fields, base), self.brief))

        objective.__name__ = f"{metric.__name__}_objective"
        return objective


@dataclass(frozen=True)
class DJSpace:
    brief: str
    palette: str
    lm: str
    api_base: str | None = None
    prompts: tuple[str, ...] = ()
    replicas: int = 2
    bars: int = 16
    temperature: tuple[float, float] = (0.0, 1.2)
    max_iters: tuple[int, int] = (6, 24)
    work: str = "runs/study/sets"
    lm_factory: Any = field(default=None, compare=False)  # tests: (trial params) -> dspy.BaseLM

    def check(self) -> None:
        missing = [p for p in self.prompts if not Path(p).is_file()]
        if not self.prompts or missing:
            raise ConfigError(f"prompt variants missing: {missing or 'none given'}; pass --prompt prompts/NAME.txt (repeatable)")
        if not Path(self.palette).is_file():
            raise ConfigError(f"no palette at {self.palette}; pass --palette a palette JSON")
        if not 1 <= self.replicas <= 32:
            raise ConfigError(f"--replicas {self.replicas} is out of range; use 1 to 32 sets per trial")

    def objective(self, metric: AudioMetric) -> Callable[[Any], float]:
        from agent.dj import DJRun, LMPolicy, run_dj
        from agent.lm import parse_lm
        from tools.mixer.guardrails import GuardrailConfig

        def objective(trial: Any) -> float:
            prompt = trial.suggest_categorical("prompt", list(self.prompts))
            temperature = trial.suggest_float("temperature", *self.temperature)
            max_iters = trial.suggest_int("max_iters", *self.max_iters)
            guardrails = GuardrailConfig(
                energy_tolerance=trial.suggest_float("energy_tolerance", 0.1, 0.5), stagnation_phrases=trial.suggest_int("stagnation_phrases", 2, 6)
            )
            spec = parse_lm(self.lm, api_base=self.api_base, temperature=temperature)
            values = []
            for replica in range(self.replicas):
                lm = self.lm_factory(trial.params) if self.lm_factory else None
                policy = LMPolicy(spec, prompt_path=Path(prompt), max_iters=max_iters, lm=lm)
                run = DJRun(self.brief, Path(self.palette), policy, bars=self.bars, seed=replica, scorer=None, guardrails=guardrails)
                outcome = run_dj(run, Path(self.work) / f"trial_{trial.number:04d}" / f"replica_{replica}")
                values.append(float(metric({"brief": self.brief}, outcome)))
            trial.set_user_attr("replica_values", values)
            trial.set_user_attr("replica_sd", statistics.stdev(values) if len(values) > 1 else 0.0)
            return statistics.fmean(values)

        return objective
