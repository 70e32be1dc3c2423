"""`clap`: LAION-CLAP text-audio similarity and the penalized reward (seeds/000 section 5).

Audio is mixed to mono, resampled to 48 kHz and cut into 10 s windows
(hop 10 s; a short last window is repeat-padded as laion-clap does, one
under 0.5 s is dropped, a clip under 10 s is one repeat-padded window). Window embeddings are averaged and
re-normalised: one embedding per clip, deterministic. The reward maths is
in `aesthetics.clap.reward`. Scores carry no CE/CU/PC/PQ/OBJ; `extra` has
`clap_sim`, `clap_reward` and intermediates. Every clip needs a text (the
brief): without one there is no similarity and no reward, so that is an
error (`TextRequired`), not a Scores with the reward missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

from aesthetics.base import Item, Scorer, TextRequired, prepare_audio
from aesthetics.checkpoints import require_checkpoint, require_torch
from aesthetics.clap.model import CLAP_RATE, CLIP_SAMPLES, ClapEncoder
from aesthetics.clap.reward import BAD_CONCEPTS, bad_embedding, penalized_reward
from aesthetics.scores import Scores


def require_text(text: str | None) -> str:
    """The text a clap score is measured against; TextRequired when it is missing or blank."""
    if text is None or not text.strip():
        raise TextRequired(
            "the clap backend needs --text (the brief the audio is scored against; "
            "for the scoring service, the `text` form field): clap_sim and clap_reward compare audio with that text"
        )
    return text


def windows_48k(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """float32 (frames, 2) -> (n_windows, 480000) mono 48 kHz windows, repeat-padded like laion-clap."""
    mono = audio.mean(axis=1, dtype=np.float64)
    if sample_rate != CLAP_RATE:
        g = np.gcd(int(sample_rate), CLAP_RATE)
        mono = resample_poly(mono, CLAP_RATE // g, int(sample_rate) // g)
    starts = range(0, max(1, mono.shape[0] - CLIP_SAMPLES // 20), CLIP_SAMPLES)
    return np.stack([_repeat_pad(mono[s : s + CLIP_SAMPLES]) for s in starts]).astype(np.float32)


def _repeat_pad(chunk: np.ndarray) -> np.ndarray:
    if chunk.shape[0] >= CLIP_SAMPLES:
        return chunk[:CLIP_SAMPLES]
    repeated = np.tile(chunk, CLIP_SAMPLES // max(chunk.shape[0], 1))
    return np.pad(repeated, (0, CLIP_SAMPLES - repeated.shape[0]))


class ClapScorer(Scorer):
    """LAION-CLAP scorer from a checkpoint path (or an already built ClapEncoder)."""

    backend = "clap"
    text_aware = True

    def __init__(
        self,
        checkpoint: str | Path | None = None,
        amodel: str = "HTSAT-tiny",
        tmodel: str = "roberta",
        device: str | None = None,
        batch_size: int = 8,
        encoder: ClapEncoder | None = None,
    ):
        if encoder is None:
            path = require_checkpoint("clap", checkpoint)
            require_torch("clap")
            encoder = ClapEncoder.from_checkpoint(path, amodel, tmodel, device)
            self.version = f"laion-clap-1.1.7/{amodel}/{tmodel}/{path.name}"
        else:
            self.version = f"laion-clap-1.1.7/{type(encoder.model).__name__}/in-memory"
        self.encoder = encoder
        self.batch_size = batch_size
        self._bad: np.ndarray | None = None

    def bad_embedding(self) -> np.ndarray:
        """Mean embedding of BAD_CONCEPTS (computed once)."""
        if self._bad is None:
            self._bad = bad_embedding(self.encoder.text_embeddings(list(BAD_CONCEPTS)))
        return self._bad

    def audio_embeddings(self, clips: Sequence[tuple[np.ndarray, int]]) -> np.ndarray:
        """One pooled unit embedding per clip; all windows go through the model in batches."""
        windows = [windows_48k(prepare_audio(a, r), r) for a, r in clips]
        flat = np.concatenate(windows)
        embeds = np.concatenate([self.encoder.audio_embeddings(flat[i : i + self.batch_size]) for i in range(0, len(flat), self.batch_size)])
        bounds = np.cumsum([0] + [len(w) for w in windows])
        pooled = np.stack([embeds[lo:hi].mean(axis=0) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)])
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def score_batch(self, items: Sequence[Item]) -> list[Scores]:
        texts = [require_text(t) for _a, _r, t in items]
        audio = self.audio_embeddings([(a, r) for a, r, _t in items])
        unique = sorted(set(texts))
        text_embeds = dict(zip(unique, self.encoder.text_embeddings(unique), strict=True)) if unique else {}
        return [self._scores(embed, text_embeds[text]) for embed, text in zip(audio, texts, strict=True)]

    def audio_features(self, audio: np.ndarray, sample_rate: int) -> dict:
        return {"embedding": self.audio_embeddings([(audio, sample_rate)])[0].tolist()}

    def judge_features(self, features: dict, text: str | None) -> Scores:
        text_embed = self.encoder.text_embeddings([require_text(text)])[0]
        return self._scores(np.asarray(features["embedding"], dtype=np.float32), text_embed)

    def _scores(self, audio_embed: np.ndarray, text_embed: np.ndarray) -> Scores:
        r = penalized_reward(audio_embed, text_embed, self.bad_embedding())
        extra = {
            "clap_sim": r.audio_text_sim,
            "clap_reward": r.reward,
            "clap_bad_sim": r.audio_bad_sim,
            "clap_text_bad_sim": r.text_bad_sim,
            "clap_penalty": r.penalty,
            "clap_raw": r.raw_score,
        }
        return Scores(backend=self.backend, version=self.version, extra=extra)
