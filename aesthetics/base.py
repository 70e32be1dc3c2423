"""What every scorer is: score a batch of (audio, sample rate, optional text) into Scores."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np

from aesthetics.scores import Scores
from tools.errors import AudioError, ScorerError

MIN_SECONDS = 0.5
MIN_RATE, MAX_RATE = 8_000, 192_000

Item = tuple[np.ndarray, int, str | None]


class TextRequired(ScorerError):
    """A text-aware backend (clap) was asked to score audio without a text."""


def prepare_audio(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Check audio and return it as float32 (frames, 2); mono is duplicated to both channels."""
    data = np.asarray(audio)
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2 or data.shape[1] not in (1, 2):
        raise AudioError(
            f"audio has shape {data.shape}; pass (frames,), (frames, 1) or (frames, 2) samples"
        )
    if not MIN_RATE <= int(sample_rate) <= MAX_RATE:
        raise AudioError(
            f"sample rate {sample_rate} Hz is out of range; use {MIN_RATE}..{MAX_RATE} Hz (44100 is the default)"
        )
    if data.shape[0] < MIN_SECONDS * sample_rate:
        raise AudioError(
            f"audio is {data.shape[0] / sample_rate:.2f} s long; scoring needs at least {MIN_SECONDS} s"
        )
    data = data.astype(np.float32, copy=False)
    if not np.all(np.isfinite(data)):
        raise AudioError("audio contains NaN or infinity; fix the renderer before scoring")
    if data.shape[1] == 1:
        data = np.repeat(data, 2, axis=1)
    return data


class Scorer(ABC):
    """A scoring backend. Subclasses set `backend`, `version` and implement `score_batch`."""

    backend: str = ""
    version: str = ""
    text_aware: bool = False  # whether the text changes the score (vibe, clap) or is ignored (dsp)

    def score(self, audio: np.ndarray, sample_rate: int, text: str | None = None) -> Scores:
        """Score one clip (`text` is the brief, used by text-aware backends such as clap)."""
        return self.score_batch([(audio, sample_rate, text)])[0]

    @abstractmethod
    def score_batch(self, items: Sequence[Item]) -> list[Scores]:
        """Score clips in order; one Scores per item."""

    def features_version(self) -> str:
        """What `audio_features` depends on, for caches of them: the whole version, unless a backend knows better."""
        return self.version

    def audio_features(self, audio: np.ndarray, sample_rate: int) -> dict[str, Any]:
        """The text-free part of a score, JSON-able: measure a render once, then judge it against any
        number of texts with `judge_features` (the teacher's cache and its contrastive reward).
        A backend that ignores the text measures everything here; a text-aware one must split itself."""
        if self.text_aware:
            raise ScorerError(f"the {self.backend} judge cannot measure audio apart from the text; use the vibe judge")
        return self.score(audio, sample_rate).model_dump()

    def judge_features(self, features: dict[str, Any], text: str | None) -> Scores:
        """Scores from `audio_features` and a text; the same as `score` on the audio they came from."""
        if self.text_aware:
            raise ScorerError(f"the {self.backend} judge cannot measure audio apart from the text; use the vibe judge")
        return Scores(**features)
