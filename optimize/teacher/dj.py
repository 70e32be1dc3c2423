"""The DJ teacher (#24 item 3, first slice): an Optuna search per brief over the arrangement space against the `dj` judge.

For a brief, the reference's palette and tempo are kept (`reference.brief_mapper`)
and the set plan's knobs are searched (`reference.set_plan.SetPlan`: hold,
variation, highs, percussion, density, energy, space, drop, breakdown_at), the
brief-reading reference's own plan (`reference.set_rules`) tried first. Each
candidate is laid out on the palette, rendered through the mixer's tool calls
and guardrails (`render_arrangement`, 44.1 kHz, seed `seed`), measured once by
the dj judge (a feature cache keyed on the point, palette, seed, bars, the
set code and the judge version) and judged:

    objective = dj_reward(brief) - contrast * mean_k dj_reward(other brief k)

(the ambient teacher's contrastive term; K other briefs of the same split).
The storage, claim and resume are the ambient teacher's (`search.claim`,
`save_study`, `storage.open_storage`, `job.check_resume`): a finished brief is
skipped, a dead worker's brief searched again. The best set's tool calls are
played once more by `agent.dj.run` into OUT/trajectories/ID/ (trajectory.jsonl
as `vibesynth dj` writes it, replayable with `--lm replay:FILE`, plus set.wav and
summary.json). Every reward here is a PROXY's.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import optuna
from optuna.samplers import TPESampler
from optuna.trial import TrialState

from optimize.render_score import FeatureCache
from optimize.teacher.reward import other_vibes
from optimize.teacher.search import claim, save_study
from optimize.teacher.storage import open_storage, portable
from reference.set_plan import HOLDS, SetPlan, lay_out
from tools.files import file_sha256

KNOBS = ("variation", "highs", "percussion", "density", "energy", "space", "drop")
RATE = 44_100


@dataclass(frozen=True)
class BriefItem:
    id: str
    brief: str
    split: str


@dataclass(frozen=True)
class DjTeacherSettings:
    budget: int = 16
    bars: int = 16
    seed: int = 0
    contrast: float = 0.5
    others: int = 8
    judge: str = "dj-proxy-2"

    def record(self, storage: str, briefs_sha256: str, out: Path) -> dict:
        return {**asdict(self), "storage": portable(storage, out), "briefs_sha256": briefs_sha256, "rate": RATE}


def sampler_seed(brief_id: str, seed: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:dj:{brief_id}".encode()).digest()[:4], "little")


def briefs_digest(items: list[BriefItem]) -> str:
    return hashlib.sha256(json.dumps([asdict(item) for item in items]).encode()).hexdigest()


def reference_plan(brief: str, bars: int) -> tuple[SetPlan, Path]:
    """The brief-reading reference's plan (palette and tempo from the brief mapper) and its palette file."""
    from palettes import curated_palettes
    from palettes.library import load_palette
    from reference.brief_mapper import choose
    from reference.set_rules import plan_from_brief

    choice = choose(brief, curated_palettes())
    bpm = load_palette(choice.palette).bpm if choice.bpm is None else choice.bpm
    return plan_from_brief(brief, bars, palette=choice.palette.stem, bpm=float(bpm)), choice.palette


def suggest_plan(trial: optuna.Trial, base: SetPlan) -> SetPlan:
    """A point of the search space: the base plan's palette, tempo and length, every knob searched."""
    knobs = {name: trial.suggest_float(name, 0.0, 1.0) for name in KNOBS}
    return base.model_copy(
        update={"hold": trial.suggest_categorical("hold", HOLDS), "breakdown_at": trial.suggest_float("breakdown_at", 0.4, 0.75), **knobs}
    )


def plan_params(plan: SetPlan) -> dict:
    return {"hold": plan.hold, "breakdown_at": plan.breakdown_at, **{name: getattr(plan, name) for name in KNOBS}}


class SetJudge:
    """Render a plan on its palette and measure it with the dj judge once (cached); judge it under any brief."""

    def __init__(self, version: str, seed: int, cache_path: Path | None) -> None:
        from aesthetics.dj.scorer import DjScorer
        from optimize.eval.dj_sets import code_fingerprint

        self.scorer, self.seed = DjScorer(version), seed
        self.cache = FeatureCache(cache_path) if cache_path else None
        self.code = code_fingerprint()
        self._palettes: dict[str, object] = {}

    def point(self, plan: SetPlan, palette_path: Path):
        from palettes.library import load_palette

        palette = self._palettes.setdefault(str(palette_path), load_palette(palette_path))
        loops = {role for role, sample in palette.samples.items() if sample.loop}
        return lay_out(plan, set(palette.samples), loops), palette

    def features(self, plan: SetPlan, palette_path: Path) -> dict:
        from reference.arrangement_space import render_arrangement

        point, palette = self.point(plan, palette_path)
        key = hashlib.sha256(
            json.dumps(
                {
                    "point": point.model_dump(mode="json"),
                    "palette": file_sha256(palette_path),
                    "seed": self.seed,
                    "rate": RATE,
                    "code": self.code,
                    "judge": self.scorer.version,
                },
                sort_keys=True,
            ).encode()
        ).hexdigest()
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            return hit
        measured = self.scorer.audio_features(render_arrangement(point, palette, self.seed, RATE).audio, RATE)
        if self.cache is not None:
            self.cache.put(key, measured)
        return measured

    def reward(self, brief: str, features: dict) -> float:
        return float(self.scorer.judge_features(features, brief).extra["dj_reward"])


def objective_value(judge: SetJudge, brief: str, others: list[str], contrast: float, features: dict) -> tuple[float, dict]:
    own = judge.reward(brief, features)
    parts = {"dj_reward": own}
    value = own
    if contrast and others:
        parts["others_reward"] = round(float(np.mean([judge.reward(text, features) for text in others])), 6)
        value -= contrast * parts["others_reward"]
    return round(value, 6), parts


def search_brief(item: BriefItem, judge: SetJudge, settings: DjTeacherSettings, others: list[str]) -> tuple[optuna.Study, SetPlan, Path]:
    """`budget` trials in an in-memory TPE study, the reference's plan first; returns the study, base plan, palette."""
    base, palette_path = reference_plan(item.brief, settings.bars)
    study = optuna.create_study(
        direction="maximize", sampler=TPESampler(seed=sampler_seed(item.id, settings.seed), multivariate=True, n_startup_trials=4)
    )
    study.enqueue_trial(plan_params(base), user_attrs={"source": "reference"})

    def run(trial: optuna.Trial) -> float:
        plan = suggest_plan(trial, base)
        trial.set_user_attr("source", trial.user_attrs.get("source", "search"))
        value, parts = objective_value(judge, item.brief, others, settings.contrast, judge.features(plan, palette_path))
        trial.set_user_attr("parts", parts)
        return value

    study.optimize(run, n_trials=settings.budget)
    return study, base, palette_path


def write_trajectory(item: BriefItem, plan: SetPlan, palette_path: Path, judge: SetJudge, out: Path, seed: int) -> dict:
    """Play the plan's tool calls through `agent.dj.run` (the `vibesynth dj` trajectory format) into `out`."""
    from agent.dj.config import DJRun
    from agent.dj.run import run_dj
    from reference.arrangement_space import to_calls
    from reference.policies import CallsPolicy

    point, _palette = judge.point(plan, palette_path)
    policy = CallsPolicy(to_calls(point), label="teacher-dj", extra={"plan": plan.model_dump(mode="json")})
    outcome = run_dj(DJRun(brief=item.brief, palette_path=palette_path, policy=policy, bars=plan.bars, bpm=plan.bpm, seed=seed, scorer=None), out)
    return {"trajectory": str(out / "trajectory.jsonl"), "audio_sha256": outcome.summary["audio"]["sha256"]}


_worker: dict = {}


def init_worker(storage_url: str, settings: DjTeacherSettings, cache_path: Path, out: Path, pools: dict[str, list[str]]) -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    _worker.update(
        storage=open_storage(storage_url), judge=SetJudge(settings.judge, settings.seed, cache_path), settings=settings, out=out, pools=pools
    )


def teach_one(item: BriefItem) -> dict:
    """Search one brief in this worker, keep the best set's trajectory; a summary line for the progress display."""
    storage, judge, settings = _worker["storage"], _worker["judge"], _worker["settings"]
    state = claim(storage, item.id, settings.budget)
    if state != "claimed":
        return {"id": item.id, "skipped": state}
    others = other_vibes(item.id, item.brief, _worker["pools"].get(item.split, []), settings.others, settings.seed)
    study, base, palette_path = search_brief(item, judge, settings, others if settings.contrast else [])
    best = study.best_trial
    reference = next(t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)) if t.user_attrs.get("source") == "reference")
    plan = base.model_copy(update=best.params)
    kept = write_trajectory(item, plan, palette_path, judge, _worker["out"] / "trajectories" / item.id, settings.seed)
    save_study(
        storage,
        item.id,
        {
            "vibe": item.brief,
            "brief": item.brief,
            "split": item.split,
            "others": others,
            "palette": palette_path.stem,
            "bpm": base.bpm,
            "best_plan": plan.model_dump(mode="json"),
            "reference_value": reference.value,
            **kept,
        },
        study,
    )
    return {
        "id": item.id,
        "skipped": False,
        "best": best.value,
        "reference": reference.value,
        "best_reward": best.user_attrs["parts"]["dj_reward"],
        "reference_reward": reference.user_attrs["parts"]["dj_reward"],
    }
