"""A study worker: one Optuna study on a shared RDB storage; any number of workers, resumable.

The storage is optimize.teacher.storage (SQLite on one machine, PostgreSQL for
many; optuna-dashboard reads both). The study's settings are stored as user
attributes on creation; a worker with other settings is refused. The total
number of finished trials is capped across workers (MaxTrialsCallback), so a
killed worker is simply started again.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from typing import Any

import optuna

from agent.metric import AudioMetric
from optimize.teacher.storage import open_storage
from tools.errors import ConfigError

optuna.logging.set_verbosity(optuna.logging.WARNING)  # a line per trial is the caller's to show (a progress bar)
SETTINGS_ATTR = "vibesynth_settings"
DONE = (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED)


def run_worker(
    name: str,
    storage_url: str,
    space: Any,
    settings: dict,
    trials: int,
    metric: AudioMetric,
    seed: int | None = None,
    on_trial: Callable[[optuna.trial.FrozenTrial], None] | None = None,
) -> optuna.Study:
    """Add trials to study `name` until it holds `trials` finished ones (shared with other workers)."""
    if trials < 1:
        raise ConfigError(f"--trials {trials} must be at least 1")
    space.check()
    metric.check()
    storage = open_storage(storage_url)
    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=min(5, trials))
    study = optuna.create_study(study_name=name, storage=storage, direction="maximize", sampler=sampler, load_if_exists=True)
    recorded = study.user_attrs.get(SETTINGS_ATTR)
    wanted = json.loads(json.dumps(settings))
    if recorded is None:
        study.set_user_attr(SETTINGS_ATTR, wanted)
    elif recorded != wanted:
        changed = sorted(k for k in set(recorded) | set(wanted) if recorded.get(k) != wanted.get(k))
        raise ConfigError(
            f"study {name!r} was started with other settings ({', '.join(changed)}); use the same options to resume, or another --study name"
        )
    callbacks: list = [optuna.study.MaxTrialsCallback(trials, states=DONE)]
    if on_trial is not None:
        callbacks.append(lambda _study, trial: on_trial(trial))
    remaining = trials - len(study.get_trials(deepcopy=False, states=DONE))
    if remaining > 0:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            study.optimize(space.objective(metric), n_trials=remaining, callbacks=callbacks, catch=())
    return study
