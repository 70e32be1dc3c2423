"""Compile the vibe -> config program (agent.vibe.VibeProgram) with BootstrapFewShot (also its random
search over demo sets), MIPROv2 or GEPA.

The metric is the one metric (agent.metric via optimize.compile.judge): the
config is rendered and judged against its vibe. The result is saved the DSPy
way (`program.save(OUT/program.json)`, JSON state, no pickles) with the
sidecar `run.json` (optimizer, LM, split hashes, metric version, what
changed). GEPA returns the program unchanged when the reflection LM's answers
cannot be parsed: that is an error here, never a silently saved copy.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

import dspy

from agent.compiled import PROGRAM_FILE
from agent.lm import LMSpec, build_lm
from agent.vibe import DEFAULT_RETRIES, VibeProgram
from optimize.compile.data import split_examples
from optimize.compile.judge import ConfigJudge
from optimize.eval.teacher import load_teacher
from tools.errors import ConfigError
from tools.files import write_atomic
from tools.run_record import write_run

OPTIMIZERS = ("bootstrap", "random-search", "mipro", "gepa")


@dataclass(frozen=True)
class VibeCompileSettings:
    optimizer: str
    split: str = "train"
    valset: str = "val"
    train_limit: int = 16
    val_limit: int = 8
    judge: str = "vibe"
    duration: float = 4.0
    threshold: float = 0.5  # bootstrap keeps demos whose reward reaches this
    max_demos: int = 4
    budget: int = 60  # GEPA metric calls; MIPROv2 trials; random-search candidate demo sets
    teacher: str | None = None  # teacher dataset: train vibes labeled with its configs (labeled demos)
    seed: int = 0
    retries: int = DEFAULT_RETRIES

    def check(self) -> None:
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(f"unknown optimizer {self.optimizer!r}; use one of: {', '.join(OPTIMIZERS)}")
        for name in ("train_limit", "val_limit", "budget"):
            if getattr(self, name) < 1:
                raise ConfigError(f"--{name.replace('_', '-')} must be at least 1, not {getattr(self, name)}")
        if not 0.0 <= self.threshold <= 1.0:
            raise ConfigError(f"--threshold {self.threshold} is out of range; rewards are in [0, 1]")
        if not 0.5 <= self.duration <= 30.0:
            raise ConfigError(f"--duration {self.duration} is out of range; use 0.5 to 30 seconds per judged clip")


def instructions(program: dspy.Module) -> dict[str, str]:
    return {name: predictor.signature.instructions for name, predictor in program.named_predictors()}


def demos(program: dspy.Module) -> dict[str, list[str]]:
    """The vibes of each predictor's demos (what bootstrapping picked)."""
    return {name: [getattr(d, "vibe", None) or d.get("vibe") for d in predictor.demos] for name, predictor in program.named_predictors()}


def optimize(
    settings: VibeCompileSettings,
    student: VibeProgram,
    judge: ConfigJudge,
    trainset,
    valset,
    lm: dspy.BaseLM,
    reflection_lm: dspy.BaseLM | None,
    log_dir: Path,
) -> VibeProgram:
    labeled = settings.max_demos if settings.teacher else 0
    if settings.optimizer == "bootstrap":
        optimizer = dspy.BootstrapFewShot(
            metric=judge, max_bootstrapped_demos=settings.max_demos, max_labeled_demos=labeled, max_rounds=1, max_errors=len(trainset) + 1
        )
        return optimizer.compile(student, trainset=trainset)
    if settings.optimizer == "random-search":
        # Candidate demo sets (zero-shot, labeled only, bootstrapped, shuffled), each scored on the valset.
        optimizer = dspy.BootstrapFewShotWithRandomSearch(
            metric=judge,
            max_bootstrapped_demos=settings.max_demos,
            max_labeled_demos=labeled,
            max_rounds=1,
            num_candidate_programs=settings.budget,
            num_threads=1,
            max_errors=len(trainset) + len(valset) + 1,
        )
        return optimizer.compile(student, trainset=trainset, valset=valset)
    if settings.optimizer == "mipro":
        optimizer = dspy.MIPROv2(
            metric=judge,
            prompt_model=reflection_lm or lm,
            task_model=lm,
            auto=None,
            num_candidates=3,
            max_bootstrapped_demos=settings.max_demos,
            max_labeled_demos=0,
            num_threads=1,
            seed=settings.seed,
            verbose=False,
            log_dir=str(log_dir),
            max_errors=len(trainset) + len(valset) + 1,
        )
        return optimizer.compile(
            student, trainset=trainset, valset=valset, num_trials=settings.budget, minibatch=len(valset) > 4, minibatch_size=min(4, len(valset))
        )
    if reflection_lm is None:
        raise ConfigError("GEPA needs a reflection LM: pass --reflection-lm MODEL (a strong model writes the new instruction)")
    optimizer = dspy.GEPA(
        metric=judge.feedback,
        reflection_lm=reflection_lm,
        max_metric_calls=settings.budget,
        reflection_minibatch_size=min(3, len(trainset)),
        num_threads=1,
        seed=settings.seed,
        log_dir=str(log_dir),
        track_stats=True,
        use_merge=False,
        perfect_score=1.0,
        add_format_failure_as_feedback=True,
    )
    return optimizer.compile(student, trainset=trainset, valset=valset)


def compile_vibe(
    settings: VibeCompileSettings,
    lm_spec: LMSpec,
    out: Path,
    reflection: LMSpec | None = None,
    lm: dspy.BaseLM | None = None,
    reflection_lm: dspy.BaseLM | None = None,
    command: str = "",
) -> dict:
    """Compile, check, save program.json + run.json into `out`; returns the sidecar.

    `lm`/`reflection_lm` replace the models built from the specs (scripted LMs in tests).
    """
    settings.check()
    teacher = load_teacher(settings.teacher) if settings.teacher else None
    trainset, train_info = split_examples(settings.split, settings.train_limit, teacher)
    valset, val_info = split_examples(settings.valset, settings.val_limit)
    judge = ConfigJudge(settings.judge, duration=settings.duration, seed=settings.seed, threshold=settings.threshold)
    lm = lm or build_lm(lm_spec)
    if reflection_lm is None and reflection is not None:
        reflection_lm = build_lm(reflection)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    student = VibeProgram(settings.retries, strict=False)
    before = instructions(student)
    started = time.perf_counter()
    with dspy.context(lm=lm):
        compiled = optimize(settings, student, judge, trainset, valset, lm, reflection_lm, out / "optimizer_log")
    after = instructions(compiled)
    picked = demos(compiled)
    changed = {"instructions": after != before, "demos": any(picked.values())}
    if settings.optimizer == "gepa" and not changed["instructions"]:
        raise ConfigError(
            "GEPA returned the program unchanged (no proposed instruction beat the seed, or the "
            "reflection LM's answers could not be parsed); nothing saved: raise --budget or use "
            "another --reflection-lm"
        )
    if settings.optimizer == "random-search" and not changed["demos"]:
        raise ConfigError(
            "the random search kept the zero-shot program (no demo set beat it on the valset); "
            "nothing saved: give more --val-limit vibes, a --teacher file or a larger --budget"
        )
    if settings.optimizer == "bootstrap" and not changed["demos"]:
        raise ConfigError(
            f"BootstrapFewShot found no demo reaching reward {settings.threshold}; nothing saved: lower --threshold or give more --train-limit vibes"
        )
    save_program(compiled, out / PROGRAM_FILE)
    sidecar = {
        "program": "vibe",
        "optimizer": settings.optimizer,
        "settings": asdict(settings),
        "lm": {"model": lm_spec.model, **lm_spec.settings()},
        "reflection_lm": reflection.settings() if reflection else None,
        "split": {"train": train_info, "val": val_info},
        "metric": {"name": judge.__name__, "version": judge.version, "calls": judge.calls},
        "dspy": dspy.__version__,
        "retries": settings.retries,
        "changed": changed,
        "instructions": after,
        "demos": picked,
        "wall_s": round(time.perf_counter() - started, 3),
        "command": command,
    }
    write_run(out, sidecar)
    return sidecar


def save_program(program: dspy.Module, path: Path) -> Path:
    """`program.save` (DSPy's JSON state) written atomically: DSPy picks the format by the .json suffix."""

    def write(tmp: Path) -> None:
        staged = tmp.with_suffix(".json")
        program.save(str(staged))
        staged.replace(tmp)

    return write_atomic(path, write)
