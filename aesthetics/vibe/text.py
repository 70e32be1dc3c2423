"""Text side of the `vibe` judge: a vibe -> a target in [0, 1] and a confidence per axis.

For each axis the vibe's MiniLM embedding is compared with the anchor phrases
of both poles (`aesthetics.vibe.axes`); a pole's similarity is the mean of its
TOP_K best anchors. With `d = sim(high) - sim(low)`:

    target     = 1 / (1 + exp(-d / TEMPERATURE))          # 0 = low pole, 1 = high pole
    confidence = clip((|d| - D_FLOOR) / D_SPAN, 0, 1)      # 0 = the vibe says nothing about this axis

where `d` is first centred by the axis's median over NEUTRAL_TEXTS (plain
places and times that say nothing about the axis: MiniLM puts most texts
nearer one pole of some axes, e.g. "wide"), so "rainy afternoon" is judged on brightness and pace but not on width.
Embeddings are cached on disk (`aesthetics.embed`); the anchors' are built once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from aesthetics.embed import embed_texts
from aesthetics.vibe.axes import AXES

TOP_K = 2
TEMPERATURE = 0.04
D_FLOOR = 0.03
D_SPAN = 0.10


@dataclass(frozen=True)
class AxisTarget:
    target: float
    confidence: float


NEUTRAL_TEXTS = (
    "a forest", "the city", "in the morning", "an office", "a kitchen", "the afternoon", "a street",
    "a train station", "an old house", "a garden", "the weekend", "a library", "a hotel room",
    "the countryside", "a bus stop", "music for a video", "a song", "background music",
)


@lru_cache(maxsize=1)
def _anchor_embeddings() -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    return tuple((embed_texts(list(axis.low)), embed_texts(list(axis.high))) for axis in AXES)


def _pole(vector: np.ndarray, anchors: np.ndarray) -> float:
    sims = np.sort(anchors @ vector)[::-1]
    return float(sims[:TOP_K].mean())


def _raw_d(vector: np.ndarray) -> np.ndarray:
    return np.array([_pole(vector, high) - _pole(vector, low) for low, high in _anchor_embeddings()])


@lru_cache(maxsize=1)
def _centre() -> np.ndarray:
    return np.median(np.stack([_raw_d(v) for v in embed_texts(list(NEUTRAL_TEXTS))]), axis=0)


@lru_cache(maxsize=4096)
def text_targets(text: str) -> dict[str, AxisTarget]:
    """Target and confidence per axis for one vibe text."""
    out = {}
    for axis, d in zip(AXES, _raw_d(embed_texts([text])[0]) - _centre(), strict=True):
        out[axis.name] = AxisTarget(
            target=float(1.0 / (1.0 + np.exp(-d / TEMPERATURE))),
            confidence=float(np.clip((abs(d) - D_FLOOR) / D_SPAN, 0.0, 1.0)),
        )
    return out
