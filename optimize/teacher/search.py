"""Search one vibe's config space: an in-memory Optuna study, saved to the shared storage when done.

A vibe's search runs in memory and its candidates go to the shared RDB
storage at the end, as one user attribute of the vibe's study (one commit:
writing them as Optuna trials costs a query per parameter, 2 s per vibe of 32,
a third of the search). Which worker searches a vibe is decided by the storage
itself: the first to create the vibe's study holds it (the database's unique
study name), the others skip it. A study whose candidates are saved is done;
one whose holder is gone (a dead process on this host, or a claim older than
STALE_CLAIM_S from any host) is searched again from scratch, so a killed job
resumes without losing a finished vibe or duplicating one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import optuna
from optuna.samplers import TPESampler
from optuna.trial import TrialState

from optimize.teacher.judging import Judgement
from optimize.teacher.space import suggest_config
from tools.schema import FIELDS, MusicConfig

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
STALE_CLAIM_S = 900.0  # a vibe takes seconds; a claim this old from another host is a dead worker's


@dataclass(frozen=True)
class WarmStart:
    config: MusicConfig
    source: str  # "rule" | "lm"


def study_name(vibe_id: str) -> str:
    return f"{STUDY_PREFIX}{vibe_id}"


def _sampler_seed(vibe_id: str, seed: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{vibe_id}".encode()).digest()[:4], "little")


def finished(study: optuna.Study) -> int:
    """Candidates saved in a vibe's study (0 while it is being searched)."""
    return len(study.user_attrs.get("candidates", []))


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _stale(attrs: dict) -> bool:
    """Whether the worker that claimed a study is gone."""
    host, _, pid = str(attrs.get("claimed_by", ":")).rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    return time.time() - float(attrs.get("claimed_at", 0.0)) > STALE_CLAIM_S


def claim(storage: optuna.storages.BaseStorage, vibe_id: str, budget: int) -> str:
    """ "claimed" (this worker searches the vibe now), "done" (its study holds the budget) or "taken"."""
    name = study_name(vibe_id)
    for _attempt in range(2):
        try:
            study = optuna.create_study(study_name=name, storage=storage, direction="maximize")
        except optuna.exceptions.DuplicatedStudyError:
            study = optuna.load_study(study_name=name, storage=storage)
            if finished(study) >= budget:
                return "done"
            if not _stale(study.user_attrs):
                return "taken"
            try:
                optuna.delete_study(study_name=name, storage=storage)
            except KeyError:  # another worker took the stale claim over first
                pass
            continue
        study.set_user_attr("claimed_by", _holder())
        study.set_user_attr("claimed_at", time.time())
        return "claimed"
    return "taken"


def search_vibe(
    vibe_id: str,
    objective: Callable[[MusicConfig], Judgement],
    budget: int,
    seed: int = 0,
    warm: Sequence[WarmStart] = (),
    fixed: dict[str, object] | None = None,
) -> optuna.Study:
    """`budget` trials in an in-memory study: the warm starts first (with the fixed fields set), then TPE."""
    fixed = dict(fixed or {})
    tuned = [field for field in FIELDS if field not in fixed]
    study = optuna.create_study(
        direction="maximize",
        sampler=TPESampler(seed=_sampler_seed(vibe_id, seed), multivariate=True, n_startup_trials=4),
    )
    for start in warm:
        free = {key: value for key, value in start.config.model_dump().items() if key not in fixed}
        study.enqueue_trial(free, user_attrs={"source": start.source}, skip_if_exists=True)

    def run(trial: optuna.Trial) -> float:
        config = suggest_config(trial, tuned, fixed)
        trial.set_user_attr("source", trial.user_attrs.get("source", "search"))
        judgement = objective(config)
        trial.set_user_attr("parts", judgement.parts)
        return judgement.reward

    study.optimize(run, n_trials=budget)
    return study


def save_study(storage: optuna.storages.BaseStorage, vibe_id: str, attrs: dict, searched: optuna.Study) -> None:
    """Write a finished in-memory search into the vibe's claimed study; `candidates` last (it marks it done)."""
    study = optuna.load_study(study_name=study_name(vibe_id), storage=storage)
    for key, value in attrs.items():
        study.set_user_attr(key, value)
    study.set_user_attr(
        "candidates",
        [
            {
                "number": trial.number,
                "params": trial.params,
                "value": trial.value,
                "source": trial.user_attrs.get("source", "search"),
                "parts": trial.user_attrs.get("parts", {}),
            }
            for trial in searched.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
        ],
    )
