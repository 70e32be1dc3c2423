"""The reader's weakest source (`anchors`): MiniLM similarity of a vibe to each axis's anchor phrases.

Until vibe-proxy-4 this was the whole text side of the `vibe` judge; the reader
(`aesthetics.vibe.reader`) now uses it only for axes nothing else in the text speaks to.

For each axis a text's MiniLM embedding is compared with the anchor phrases
of both poles (`aesthetics.vibe.axes`); a pole's similarity is the mean of its
TOP_K best anchors, `d = sim(high) - sim(low)`. MiniLM puts most texts nearer
one pole of some axes and spreads some axes more than others, so `d` is
standardised per axis on NEUTRAL_TEXTS (plain places, objects and times that
say nothing about any axis): `z = (d - median) / spread`.

A vibe is read clause by clause (split at commas, semicolons, " and ", " with ",
" but "): "slow, dark, no drums" speaks of three axes, and the whole text's
embedding blurs them. For each axis the text or clause nearest to any of the
axis's anchors (either pole) speaks for that axis:

    target     = 1 / (1 + exp(-z / TEMPERATURE))        # 0 = low pole, 1 = high pole
    confidence = clip((|z| - Z_FLOOR) / Z_SPAN, 0, 1)    # 0 = the vibe says nothing about this axis

Embeddings are cached on disk (`aesthetics.embed`); anchors and neutral
statistics are built once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from aesthetics.embed import embed_texts
from aesthetics.vibe.axes import AXES

TOP_K = 2
TEMPERATURE = 1.0
Z_FLOOR = 2.0
Z_SPAN = 3.0
MIN_SPREAD = 0.01
CLAUSE_SPLIT = re.compile(r"\s*(?:[,;.!?]|\band\b|\bwith\b|\bbut\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class AxisTarget:
    target: float
    confidence: float


NEUTRAL_TEXTS = (
    "a forest", "the city", "in the morning", "an office", "a kitchen", "the afternoon", "a street",
    "a train station", "an old house", "a garden", "the weekend", "a library", "a hotel room",
    "the countryside", "a bus stop", "music for a video", "a song", "background music",
    "a table", "on tuesday", "a parking lot", "the museum", "a bicycle", "my neighbour's house",
    "a school", "the harbour", "a supermarket", "an airport", "the river", "a mountain",
    "a bridge", "the village", "a car", "a bakery", "the park", "a farm", "an island", "a window",
    "a letter", "the evening", "a shop", "a road trip", "the beach", "a hospital", "the roof",
)


@lru_cache(maxsize=1)
def _anchor_embeddings() -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    return tuple((embed_texts(list(axis.low)), embed_texts(list(axis.high))) for axis in AXES)


def _pole(vectors: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """(texts,) mean of each text's TOP_K best similarities to the anchors."""
    sims = np.sort(vectors @ anchors.T, axis=1)[:, ::-1]
    return sims[:, :TOP_K].mean(axis=1)


def _raw_d(vectors: np.ndarray) -> np.ndarray:
    """(texts, axes) high-pole minus low-pole similarity."""
    return np.stack([_pole(vectors, high) - _pole(vectors, low) for low, high in _anchor_embeddings()], axis=1)


def _relevance(vectors: np.ndarray) -> np.ndarray:
    """(texts, axes) the best similarity to any anchor of the axis, either pole."""
    return np.stack([np.maximum(_pole(vectors, high), _pole(vectors, low)) for low, high in _anchor_embeddings()], axis=1)


@lru_cache(maxsize=1)
def _neutral() -> tuple[np.ndarray, np.ndarray]:
    d = _raw_d(embed_texts(list(NEUTRAL_TEXTS)))
    centre = np.median(d, axis=0)
    spread = np.maximum(1.4826 * np.median(np.abs(d - centre), axis=0), MIN_SPREAD)
    return centre, spread


def clauses(text: str) -> list[str]:
    """The text itself and, when it has several, its clauses."""
    parts = [p for p in CLAUSE_SPLIT.split(text) if p.strip()]
    return [text] + (parts if len(parts) > 1 else [])


@lru_cache(maxsize=4096)
def anchor_targets(text: str, by_clause: bool = True) -> dict[str, AxisTarget]:
    """Target and confidence per axis for one vibe text (from the whole text alone when not `by_clause`)."""
    centre, spread = _neutral()
    vectors = embed_texts(clauses(text) if by_clause else [text])
    z = (_raw_d(vectors) - centre) / spread  # (texts, axes)
    best = z[np.argmax(_relevance(vectors), axis=0), np.arange(z.shape[1])]
    return {
        axis.name: AxisTarget(
            target=float(1.0 / (1.0 + np.exp(-zi / TEMPERATURE))),
            confidence=float(np.clip((abs(zi) - Z_FLOOR) / Z_SPAN, 0.0, 1.0)),
        )
        for axis, zi in zip(AXES, best, strict=True)
    }
