"""The ambient search space, shared by the teacher and the ambient study: MusicConfig fields as Optuna categoricals."""

from __future__ import annotations

from collections.abc import Sequence

import optuna

from tools.schema import MusicConfig, choices


def suggest_config(trial: optuna.Trial, fields: Sequence[str], base: dict[str, object]) -> MusicConfig:
    """Draw one config: each of `fields` from its schema choices, in that order (the sampler's), the rest from `base`."""
    return MusicConfig.parse({**base, **{field: trial.suggest_categorical(field, list(choices(field))) for field in fields}})
