"""Retrieval-augmented student input: the k nearest teacher examples of a vibe, never the vibe itself.

An index holds (vibe, config) examples (a teacher dataset's train split) and
their all-MiniLM-L6-v2 vectors (`aesthetics.embed`, the vectors a teacher
export ships in `embeddings.npz`). `nearest(vibe)` ranks the examples by cosine
similarity (ties: index order, so the answer is deterministic) and skips every
example whose vibe is the query's, compared on normalised text: a training
prompt never shows the answer it is trained to write, and an eval prompt never
shows the evaluated vibe. SFT data building and inference use the same index
and the same k: a trained model folder carries its index as `neighbours.npz`.

No torch here: the index is numpy only (core tests run it in .venv).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from tools.errors import ConfigError
from tools.files import write_atomic

FILE = "neighbours.npz"  # beside a model's weights: the index its prompts were built with
K_RANGE = (2, 4)
DEFAULT_K = 3
Example = tuple[str, dict]
Embed = Callable[[list[str]], np.ndarray]


def vibe_key(text: str) -> str:
    """Lowercase, punctuation dropped (except #), whitespace collapsed: how the eval matches vibes
    (optimize.vibes.generate.normalise; tests/test_student_neighbours.py checks they agree)."""
    return " ".join(re.sub(r"[^\w#\s]", " ", text.lower()).split())


def check_k(k: int) -> int:
    low, high = K_RANGE
    if not isinstance(k, int) or not low <= k <= high:
        raise ConfigError(f"neighbours k = {k!r} is out of range; pass an integer from {low} to {high} (default {DEFAULT_K})")
    return k


def _default_embed() -> Embed:
    from aesthetics.embed import embed_texts

    return embed_texts


def _embed_version() -> str:
    from aesthetics.embed import EMBED_VERSION

    return EMBED_VERSION


class Neighbours:
    """k nearest (vibe, config) examples by MiniLM cosine; the query's own vibe is never among them."""

    def __init__(
        self, examples: Sequence[Example], vectors: np.ndarray, k: int = DEFAULT_K, embed: Embed | None = None, version: str | None = None
    ) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if not examples:
            raise ConfigError("the neighbours index is empty; build it from a teacher dataset's train split")
        if vectors.shape != (len(examples), vectors.shape[-1]) or vectors.ndim != 2:
            raise ConfigError(f"the neighbours index has {len(examples)} examples but vectors of shape {vectors.shape}; rebuild it")
        self.k = check_k(k)
        self.examples = [(str(vibe), dict(config)) for vibe, config in examples]
        self.raw = vectors  # saved as given: normalising on load again gives bit-identical unit vectors
        self.vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        self.keys = [vibe_key(vibe) for vibe, _ in self.examples]
        self._row = {key: i for i, key in enumerate(self.keys)}
        self._embed = embed
        self.version = version or _embed_version()

    def __len__(self) -> int:
        return len(self.examples)

    def vector(self, vibe: str) -> np.ndarray:
        """The query's unit vector: the stored one for an indexed vibe (no re-embedding), else embedded."""
        row = self._row.get(vibe_key(vibe))
        if row is not None:
            return self.vectors[row]
        embed = self._embed or _default_embed()
        query = np.asarray(embed([vibe]), dtype=np.float32)[0]
        return query / max(float(np.linalg.norm(query)), 1e-12)

    def nearest(self, vibe: str, k: int | None = None) -> list[Example]:
        """The k most similar examples, most similar first, none with the query's own (normalised) vibe."""
        k = check_k(k) if k is not None else self.k
        sims = self.vectors @ self.vector(vibe)
        own = vibe_key(vibe)
        found: list[Example] = []
        for row in np.argsort(-sims, kind="stable"):
            if self.keys[row] != own:
                found.append(self.examples[row])
                if len(found) == k:
                    break
        return found

    def save(self, path: Path) -> Path:
        """One compressed .npz (vibes, configs as JSON, vectors, k, embedder version), written atomically."""
        path = Path(path)
        arrays = {
            "vibes": np.asarray([v for v, _ in self.examples]),
            "configs": np.asarray([json.dumps(c, sort_keys=True) for _, c in self.examples]),
            "vectors": self.raw,
            "k": np.asarray(self.k),
            "version": np.asarray(self.version),
        }

        def write(tmp: Path) -> None:
            with tmp.open("wb") as handle:  # a file object: np.savez would add .npz to a path
                np.savez_compressed(handle, **arrays)

        write_atomic(path, write)
        return path

    @classmethod
    def load(cls, path: Path, embed: Embed | None = None) -> Neighbours:
        path = Path(path)
        try:
            with np.load(path) as data:
                version = str(data["version"])
                vibes, configs = data["vibes"].tolist(), [json.loads(c) for c in data["configs"].tolist()]
                vectors, k = data["vectors"], int(data["k"])
        except (OSError, KeyError, ValueError) as err:
            raise ConfigError(f"{path} is not a neighbours index ({err}); retrain, or rebuild it from the dataset") from None
        if embed is None and version != _embed_version():
            raise ConfigError(f"{path} was built with embedder {version}, this install has {_embed_version()}; rebuild the index with this embedder")
        return cls(list(zip(vibes, configs, strict=True)), vectors, k, embed=embed, version=version)
