"""The search space: every MusicConfig field as an Optuna categorical parameter."""

from __future__ import annotations

from typing import Any

import optuna

from tools.schema import FIELDS, MusicConfig, choices


def suggest_config(trial: optuna.Trial) -> MusicConfig:
    """Draw one config: each field from its schema choices, in schema order."""
    return MusicConfig.parse({field: trial.suggest_categorical(field, list(choices(field))) for field in FIELDS})


def params_of(config: MusicConfig) -> dict[str, Any]:
    """The trial parameters that reproduce `config` (for `Study.enqueue_trial`)."""
    return config.model_dump()
