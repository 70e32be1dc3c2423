"""The search space: every MusicConfig field as an Optuna categorical parameter, bar those the text fixes."""

from __future__ import annotations

import optuna

from tools.schema import FIELDS, MusicConfig, choices


def suggest_config(trial: optuna.Trial, fixed: dict[str, object]) -> MusicConfig:
    """Draw one config: each free field from its schema choices (schema order), the fixed ones as given."""
    return MusicConfig.parse({field: fixed[field] if field in fixed else trial.suggest_categorical(field, list(choices(field)))
                              for field in FIELDS})
