"""Search one vibe's config space against the judge: an Optuna study per vibe.

The study is named after the vibe and lives in a shared RDB storage, so
workers on one machine or many add trials to the same study until it holds
`budget` finished trials (Optuna's MaxTrialsCallback). Warm starts (the
rule-based config, LM samples) are enqueued once with `skip_if_exists`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import optuna
from optuna.samplers import TPESampler
from optuna.study import MaxTrialsCallback
from optuna.trial import TrialState

from optimize.teacher.judging import CandidateJudge
from optimize.teacher.space import params_of, suggest_config
from tools.schema import MusicConfig

optuna.logging.set_verbosity(optuna.logging.WARNING)


class _CtrlCIsNotAFailedTrial(logging.Filter):
    """Drop Optuna's two warnings for a trial stopped by Ctrl+C ("Trial N failed ... KeyboardInterrupt"
    with its traceback, then "Trial N failed with value None."): the command says it stopped, in one line."""

    def __init__(self) -> None:
        super().__init__()
        self._interrupted: str | None = None  # "Trial N failed" of the trial Ctrl+C stopped

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and isinstance(record.exc_info[1], KeyboardInterrupt):
            self._interrupted = message.split(" with ", 1)[0]
            return False
        if self._interrupted is not None and message.startswith(self._interrupted + " with value"):
            self._interrupted = None
            return False
        return True


logging.getLogger("optuna.study._optimize").addFilter(_CtrlCIsNotAFailedTrial())

STUDY_PREFIX = "vibe:"


@dataclass(frozen=True)
class WarmStart:
    config: MusicConfig
    source: str  # "rule" | "lm"


def study_name(vibe_id: str) -> str:
    return f"{STUDY_PREFIX}{vibe_id}"


def _sampler_seed(vibe_id: str, seed: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{vibe_id}".encode()).digest()[:4], "little")


def finished(study: optuna.Study) -> int:
    return len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)))


def open_study(storage: optuna.storages.BaseStorage, vibe_id: str, vibe: str, seed: int) -> optuna.Study:
    study = optuna.create_study(
        study_name=study_name(vibe_id), storage=storage, direction="maximize", load_if_exists=True,
        sampler=TPESampler(seed=_sampler_seed(vibe_id, seed), multivariate=True, constant_liar=True,
                           n_startup_trials=4),
    )
    if "vibe" not in study.user_attrs:
        study.set_user_attr("vibe", vibe)
    return study


def search_vibe(
    storage: optuna.storages.BaseStorage,
    vibe_id: str,
    vibe: str,
    judge: CandidateJudge,
    budget: int,
    seed: int = 0,
    warm: Sequence[WarmStart] = (),
) -> optuna.Study:
    """Run trials on this vibe's study until it holds `budget` finished ones (none if it already does)."""
    study = open_study(storage, vibe_id, vibe, seed)
    if finished(study) >= budget:
        return study
    for start in warm:
        study.enqueue_trial(params_of(start.config), user_attrs={"source": start.source}, skip_if_exists=True)

    def objective(trial: optuna.Trial) -> float:
        config = suggest_config(trial)
        trial.set_user_attr("source", trial.user_attrs.get("source", "search"))
        judgement = judge(vibe, config)
        trial.set_user_attr("parts", judgement.parts)
        return judgement.reward

    study.optimize(
        objective, n_trials=budget - finished(study),
        callbacks=[MaxTrialsCallback(budget, states=(TrialState.COMPLETE,))],
    )
    return study
