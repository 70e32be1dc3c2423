"""The `vibe` judge itself: reading, measuring and the reward (see the package docstring of `aesthetics.vibe`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from aesthetics.base import Item, Scorer, TextRequired, prepare_audio
from aesthetics.clap.reward import BAD_CONCEPTS, penalized_from_sims
from aesthetics.embed import embed_texts
from aesthetics.scores import Scores
from aesthetics.vibe.audio import measure, measure_fingerprint
from aesthetics.vibe.audio_probe import DESCRIPTORS, MIX, audio_probe_fingerprint, probe_readings
from aesthetics.vibe.axes import AXES
from aesthetics.vibe.calibration import table, to_unit
from aesthetics.vibe.reader import SOURCES, read, reader_fingerprint

VERSION = "vibe-proxy-8"  # 6 was a variant measured and not kept (docs/results/2026-12-07-judge-v5.md)
MIN_COVERAGE = 1e-6
POLE_SPAN = 0.25  # a target this far from the middle (or further) asks for its pole


def require_text(text: str | None) -> str:
    if text is None or not text.strip():
        raise TextRequired(
            "the vibe backend needs --text (the vibe the audio is judged against; "
            "for the scoring service, the `text` form field): it compares the audio with that text"
        )
    return text.strip()


@lru_cache(maxsize=1)
def _bad_vector() -> np.ndarray:
    mean = embed_texts(list(BAD_CONCEPTS)).mean(axis=0)
    return mean / np.linalg.norm(mean)


def text_badness(text: str) -> float:
    """MiniLM cosine of the text with the mean of BAD_CONCEPTS (the penalty's text side; the dj judge uses it too)."""
    return float(embed_texts([text])[0] @ _bad_vector())


def descriptor_ranks(audio: np.ndarray, sample_rate: int) -> tuple[dict[str, float], float]:
    """Every descriptor's calibrated rank in [0, 1] and the technical quality (0..1)."""
    raw = measure(prepare_audio(audio, sample_rate), int(sample_rate))
    return {d: to_unit(d, raw[d]) for d in DESCRIPTORS}, raw["quality"]


def measured_axes(audio: np.ndarray, sample_rate: int) -> tuple[dict[str, float], float]:
    """Each axis's measurement in [0, 1] and the technical quality (0..1).

    An axis is MIX of the audio probe's cross-talk-free reading and (1 - MIX) of the mean calibrated rank of
    its own descriptors (`aesthetics.vibe.audio_probe`)."""
    ranks, quality = descriptor_ranks(audio, sample_rate)
    probe = probe_readings(ranks)
    return {axis.name: float(MIX * probe[axis.name] + (1.0 - MIX) * np.mean([ranks[d] for d in axis.descriptors]))
            for axis in AXES}, quality


def axis_agreement(target: float, measured: float) -> float:
    """How well a measured axis fits a text's target, in [0, 1].

    A text mostly says which way an axis goes ("slow"), and the calibrated
    measurement of a beatless ambient clip sits low on the corpus scale whatever
    its tempo: plain closeness to 0.25 would prefer a faster clip that happens to
    measure 0.2 over a very slow one at 0.05. So a target away from the middle
    (strength = |target - 0.5| / POLE_SPAN, capped at 1) asks for its pole, and a
    middle target ("mid tempo", "neither bright nor dark") asks for closeness.
    """
    strength = min(1.0, abs(target - 0.5) / POLE_SPAN)
    pole = 1.0 if target > 0.5 else 0.0
    return strength * (1.0 - abs(pole - measured)) + (1.0 - strength) * (1.0 - abs(target - measured))


def judge(text: str, measured: dict[str, float], quality: float, sources: Iterable[str] = SOURCES) -> dict[str, float]:
    """Reward and every intermediate from the text and the measured axes (pure; no audio).

    `sources` picks the reader's sources (all by default; fewer for ablations)."""
    targets = read(text, sources).axes
    extra: dict[str, float] = {}
    num = den = 0.0
    for axis in AXES:
        t = targets[axis.name]
        m = measured[axis.name]
        num += t.confidence * axis_agreement(t.target, m)
        den += t.confidence
        extra[f"axis_{axis.name}_target"] = round(t.target, 6)
        extra[f"axis_{axis.name}_measured"] = round(m, 6)
        extra[f"axis_{axis.name}_weight"] = round(t.confidence, 6)
    agreement = num / den if den > MIN_COVERAGE else 0.5
    gate = float(np.clip(0.3 + 0.7 * quality / 0.8, 0.0, 1.0))
    text_bad = text_badness(text)
    reward = penalized_from_sims(2.0 * gate * agreement - 1.0, 1.0 - quality, text_bad)
    extra.update({
        "vibe_reward": round(reward.reward, 6),
        "vibe_sim": round(reward.audio_text_sim, 6),
        "vibe_agreement": round(agreement, 6),
        "vibe_quality": round(quality, 6),
        "vibe_gate": round(gate, 6),
        "vibe_coverage": round(den, 6),
        "vibe_text_bad": round(text_bad, 6),
        "vibe_penalty": round(reward.penalty, 6),
    })
    return extra


class VibeScorer(Scorer):
    """Text-aware CLAP PROXY: axis agreement between a vibe and audio (see module docstring)."""

    backend = "vibe"
    text_aware = True

    def __init__(self) -> None:
        audio_side = f"{table()['version']}+audio-{audio_probe_fingerprint()}"
        self.version = f"{VERSION}+{audio_side}+reader-{reader_fingerprint()}"
        # The audio side alone, with the measuring code: a change to the reader leaves every cached measurement
        # valid, so a teacher rebuilt after one re-renders nothing it rendered before.
        self._features_version = f"{audio_side}+measure-{measure_fingerprint()}"

    def features_version(self) -> str:
        return self._features_version

    def audio_features(self, audio: np.ndarray, sample_rate: int) -> dict:
        measured, quality = measured_axes(audio, sample_rate)
        return {"axes": measured, "quality": float(quality)}

    def judge_features(self, features: dict, text: str | None) -> Scores:
        extra = judge(require_text(text), features["axes"], features["quality"])
        return Scores(backend=self.backend, version=self.version, extra=extra)

    def score_batch(self, items: Sequence[Item]) -> list[Scores]:
        texts = [require_text(text) for _audio, _rate, text in items]
        return [self.judge_features(self.audio_features(audio, rate), text)
                for (audio, rate, _text), text in zip(items, texts, strict=True)]
