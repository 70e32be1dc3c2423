"""The CLAP penalized reward of seeds/000 section 5, as pure numpy math.

    audio_text_sim = cos(audio, text)
    excess_badness = cos(audio, bad) - cos(text, bad)      # only badness beyond what the brief implies
    penalty        = softplus(excess_badness, beta=5)
    raw_score      = softplus(audio_text_sim, beta=2) - 0.5 * penalty
    reward         = clip(exp(raw_score - 1), 0, 1)

`bad` is the mean text embedding of BAD_CONCEPTS. softplus(x, beta) =
log(1 + exp(beta x)) / beta, computed stably.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict

BAD_CONCEPTS: tuple[str, ...] = (
    "bad",
    "terrible",
    "awful",
    "discordant",
    "unharmonious",
    "cacophony",
    "noise",
    "unpleasant",
    "harsh",
    "grating",
    "off-key",
    "out of tune",
    "distorted badly",
    "broken audio",
    "annoying sound",
    "painful to listen to",
    "low quality audio",
)
SIM_BETA = 2.0
PENALTY_BETA = 5.0
PENALTY_WEIGHT = 0.5


def softplus(x: float, beta: float = 1.0) -> float:
    """log(1 + exp(beta * x)) / beta without overflow."""
    return float(np.logaddexp(0.0, beta * x) / beta)


def cosine_sim(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two embedding vectors (any shape with one non-unit axis)."""
    a, b = np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel()
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-8))


def bad_embedding(concept_embeddings: np.ndarray) -> np.ndarray:
    """Mean of the BAD_CONCEPTS text embeddings, shape (dim,)."""
    return np.asarray(concept_embeddings, np.float64).mean(axis=0)


class ClapReward(BaseModel):
    """Every intermediate of the penalized reward (seeds/000 `benchmark_audio_clap`)."""

    model_config = ConfigDict(frozen=True)

    audio_text_sim: float
    audio_bad_sim: float
    text_bad_sim: float
    excess_badness: float
    penalty: float
    raw_score: float
    reward: float


def penalized_reward(audio_embed: np.ndarray, text_embed: np.ndarray, bad_embed: np.ndarray) -> ClapReward:
    """The penalized CLAP reward in [0, 1] with all its intermediates."""
    return penalized_from_sims(cosine_sim(audio_embed, text_embed), cosine_sim(audio_embed, bad_embed), cosine_sim(text_embed, bad_embed))


def penalized_from_sims(audio_text: float, audio_bad: float, text_bad: float) -> ClapReward:
    """The same penalized reward from the three similarities (the `vibe` proxy supplies its own)."""
    excess = audio_bad - text_bad
    penalty = softplus(excess, PENALTY_BETA)
    raw = softplus(audio_text, SIM_BETA) - PENALTY_WEIGHT * penalty
    return ClapReward(
        audio_text_sim=audio_text,
        audio_bad_sim=audio_bad,
        text_bad_sim=text_bad,
        excess_badness=excess,
        penalty=penalty,
        raw_score=raw,
        reward=float(np.clip(np.exp(raw - 1.0), 0.0, 1.0)),
    )
