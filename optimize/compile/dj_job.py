"""GEPA over the DJ program's instructions (a prompts/*.txt), evaluated by playing short sets.

The candidate is one text component, `instructions` (what a prompt file
holds: style and strategy; the tool contract comes from the tools). Each
evaluation plays a set of `bars` bars per brief through the real DJ program
(agent.dj: LMPolicy -> dspy.RLM in the sandbox) and scores it with the one
metric (agent.metric). The reflection LM sees each set's score, how it ended,
the guardrail messages and the tool calls, and proposes a new text. The best
text is written as a new prompt file with a JSON sidecar of its provenance.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from agent.dj import DJRun, LMPolicy, run_dj
from agent.lm import LMSpec, build_lm
from agent.metric import AudioMetric
from tools.errors import ConfigError
from tools.files import file_sha256, write_json, write_text

COMPONENT = "instructions"
MAX_EVENTS = 12


@dataclass(frozen=True)
class DJCompileSettings:
    briefs: list[str]
    val_briefs: list[str]
    palette: str
    bars: int = 16
    seed: int = 0
    scorer: str = "vibe"
    key: str = "vibe_reward"
    budget: int = 12  # sets played in all (GEPA metric calls)
    max_iters: int = 12
    extra: dict = field(default_factory=dict)

    def check(self) -> None:
        if not 4 <= self.bars <= 64:
            raise ConfigError(f"--bars {self.bars} is out of range; compile on short sets of 4 to 64 bars (e.g. 16)")
        if not self.briefs or not self.val_briefs:
            raise ConfigError("give at least one training brief and one validation brief (--brief, --val-brief)")
        if self.budget < len(self.val_briefs) + 2:
            raise ConfigError(f"--budget {self.budget} cannot cover one validation pass and one proposal; use at least {len(self.val_briefs) + 2}")
        if not Path(self.palette).is_file():
            raise ConfigError(f"no palette at {self.palette}; pass --palette a palette JSON (e.g. palettes/curated/palette_001.json)")


class DJAdapter:
    """gepa's adapter protocol: evaluate a candidate text on briefs, build the reflective dataset."""

    propose_new_texts = None  # gepa's default proposer, driven by the reflection LM

    def __init__(self, settings: DJCompileSettings, spec: LMSpec, work: Path, lm_for: Callable[[str], Any] | None = None) -> None:
        self.settings, self.spec, self.work = settings, spec, work
        self.lm_for = lm_for or (lambda instructions: build_lm(spec))
        self.metric = AudioMetric(settings.scorer, key=settings.key)
        self.metric.check()
        self.sets = 0

    def play(self, instructions: str, brief: str) -> dict:
        self.sets += 1
        digest = hashlib.sha256(instructions.encode()).hexdigest()[:12]
        folder = self.work / f"set_{self.sets:04d}_{digest}"
        prompt = folder / "prompt.txt"
        write_text(prompt, instructions)
        policy = LMPolicy(self.spec, prompt_path=prompt, max_iters=self.settings.max_iters, lm=self.lm_for(instructions))
        run = DJRun(brief, Path(self.settings.palette), policy, bars=self.settings.bars, seed=self.settings.seed, scorer=None)
        outcome = run_dj(run, folder)
        score = float(self.metric({"brief": brief}, outcome))
        summary = outcome.summary
        return {
            "brief": brief,
            "score": score,
            "ended_by": summary["ended_by"],
            "bars": summary["bars_played"],
            "events": [str(e) for e in summary["guardrail_events"]][:MAX_EVENTS],
            "tool_calls": summary["tool_calls"],
            "folder": str(folder),
        }

    def evaluate(self, batch: list[str], candidate: dict[str, str], capture_traces: bool = False):
        from gepa import EvaluationBatch

        played = [self.play(candidate[COMPONENT], brief) for brief in batch]
        return EvaluationBatch(outputs=played, scores=[p["score"] for p in played], trajectories=played if capture_traces else None)

    def make_reflective_dataset(self, candidate: dict[str, str], eval_batch, components_to_update: list[str]):
        records = []
        for played in eval_batch.trajectories or []:
            feedback = (
                f"The set scored {played['score']:.3f} ({self.settings.key}, higher is better); it ended by "
                f"{played['ended_by']} after {played['bars']} of {self.settings.bars} bars."
            )
            if played["events"]:
                feedback += " Mixer messages: " + " | ".join(played["events"])
            records.append(
                {
                    "Inputs": {"brief": played["brief"], "bars": self.settings.bars},
                    "Generated Outputs": f"tool calls: {played['tool_calls']}",
                    "Feedback": feedback,
                }
            )
        return {name: records for name in components_to_update}


def reflection_callable(lm: Any) -> Callable[[str], str]:
    """gepa's reflection LM: prompt text in, answer text out."""

    def reflect(prompt: str) -> str:
        answer = lm(prompt)[0]
        return answer["text"] if isinstance(answer, dict) else str(answer)

    return reflect


def compile_dj(
    settings: DJCompileSettings,
    seed_prompt: Path,
    spec: LMSpec,
    reflection: LMSpec,
    out: Path,
    lm_for: Callable[[str], Any] | None = None,
    reflection_lm: Any = None,
    command: str = "",
) -> dict:
    """Run GEPA; write OUT (the new prompt file) and OUT.json (provenance); returns the sidecar."""
    import gepa

    settings.check()
    out = Path(out)
    if out.suffix != ".txt":
        raise ConfigError(f"{out}: the compiled prompt is a text file; pass -o prompts/NAME.txt")
    if not seed_prompt.is_file():
        raise ConfigError(f"no seed prompt at {seed_prompt}; pass --prompt prompts/baseline.txt or another file")
    seed_text = seed_prompt.read_text(encoding="utf-8").strip()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="vibesynth-compile-dj-") as tmp:
        work = out.parent / f".{out.stem}.sets" if settings.extra.get("keep_sets") else Path(tmp)
        adapter = DJAdapter(settings, spec, work, lm_for)
        result = gepa.optimize(
            seed_candidate={COMPONENT: seed_text},
            trainset=list(settings.briefs),
            valset=list(settings.val_briefs),
            adapter=adapter,
            reflection_lm=reflection_callable(reflection_lm or build_lm(reflection)),
            max_metric_calls=settings.budget,
            reflection_minibatch_size=min(2, len(settings.briefs)),
            skip_perfect_score=False,
            seed=settings.seed,
            raise_on_exception=False,
            display_progress_bar=False,
        )
    best = result.best_candidate[COMPONENT].strip()
    scores = [float(s) for s in result.val_aggregate_scores]
    if best == seed_text:
        raise ConfigError(
            "GEPA kept the seed instructions (no proposal beat them on the validation briefs, or the "
            "reflection LM's answers could not be parsed); nothing written: raise --budget or change "
            "--reflection-lm"
        )
    sidecar = {
        "program": "dj",
        "optimizer": "gepa",
        "component": COMPONENT,
        "seed_prompt": str(seed_prompt),
        "seed_sha256": file_sha256(seed_prompt),
        "settings": asdict(settings),
        "lm": spec.settings(),
        "reflection_lm": reflection.settings(),
        "metric": {"scorer": settings.scorer, "key": settings.key, "version": adapter.metric.scorer.version},
        "val_scores": {"seed": scores[0], "best": max(scores), "candidates": len(scores)},
        "sets_played": adapter.sets,
        "wall_s": round(time.perf_counter() - started, 3),
        "command": command,
    }
    write_text(out, best + "\n")
    write_json(out.with_suffix(".json"), {**sidecar, "sha256": hashlib.sha256((best + "\n").encode()).hexdigest()})
    return sidecar


def read_briefs(values: list[str]) -> list[str]:
    """Briefs given inline, or @FILE (one brief a line)."""
    briefs: list[str] = []
    for value in values:
        if value.startswith("@"):
            path = Path(value[1:])
            if not path.is_file():
                raise ConfigError(f"no briefs file at {path}; pass @FILE with one brief a line")
            briefs += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        elif value.strip():
            briefs.append(value.strip())
    return briefs
