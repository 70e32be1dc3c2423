"""The `dj` judge: a brief-aware PROXY score of a DJ set, offline and weight-light.

It is not a listener. It reads the brief with the project's one reader (plus
the DJ-only `variation` axis, `aesthetics.dj.reading`), measures the set on the
same axes with descriptors calibrated on a corpus of DJ renders
(`aesthetics.dj.audio`, one calibration table per version), and scores their agreement the
way the ambient `vibe` judge does (`aesthetics.vibe.scorer.axis_agreement`):

- agreement = sum(conf * fit(target, measured)) / sum(conf) over `DJ_AXES`
  (0.5 when the brief names no axis; `dj_coverage` = sum(conf));
- gate = the dsp proxy's quality gate, clip(0.3 + 0.7 * quality / 0.8, 0, 1):
  a broken set (clipped, silent, DC, ...) cannot score high;
- reward: the penalized shape of seeds/000 section 5 with audio_text_sim =
  2 * gate * agreement - 1, as the vibe judge: `dj_reward` in [0, 1].

Versions (`aesthetics.dj.axes.AXES`): dj-proxy-2 (the default; calibration
dj-cal-2) and dj-proxy-1 (calibration dj-cal-1, kept for paired comparisons:
`DjScorer(version="dj-proxy-1")`). They differ in the descriptors per axis only.

Scores: backend "dj", no CE/CU/PC/PQ/OBJ; `extra` holds `dj_reward`,
`dj_agreement`, `dj_quality`, `dj_gate`, `dj_coverage`, `dj_penalty` and per
axis `axis_<name>_target`, `axis_<name>_measured`, `axis_<name>_weight`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aesthetics.base import Item, Scorer, TextRequired
from aesthetics.clap.reward import penalized_from_sims
from aesthetics.dj.audio import measure
from aesthetics.dj.axes import AXES, LATEST
from aesthetics.dj.calibration import table, to_unit
from aesthetics.dj.reading import read_set
from aesthetics.scores import Scores
from aesthetics.vibe.reader import reader_fingerprint
from aesthetics.vibe.scorer import MIN_COVERAGE, axis_agreement, text_badness
from tools.errors import ScorerError

VERSION = LATEST


def require_text(text: str | None) -> str:
    if text is None or not text.strip():
        raise TextRequired(
            "the dj backend needs --text (the brief the set is judged against; for the scoring "
            "service, the `text` form field): it compares the set with that brief"
        )
    return text.strip()


def calibrated_axes(raw: dict[str, float], version: str = VERSION) -> dict[str, float]:
    """Each axis's calibrated measurement in [0, 1] from the raw descriptors (`aesthetics.dj.audio.measure`)."""
    return {axis: float(np.mean([to_unit(d, raw[d], version) for d in names])) for axis, names in AXES[version].items()}


def measured_axes(audio: np.ndarray, sample_rate: int, version: str = VERSION) -> tuple[dict[str, float], float]:
    """Each DJ axis's calibrated measurement in [0, 1] and the dsp quality (0..1)."""
    raw = measure(audio, int(sample_rate))
    return calibrated_axes(raw, version), raw["quality"]


def judge(text: str, measured: dict[str, float], quality: float) -> dict[str, float]:
    """Reward and every intermediate from a brief and the measured axes (pure; no audio; the axes `measured` names)."""
    targets = read_set(text)
    extra: dict[str, float] = {}
    num = den = 0.0
    for axis in measured:
        t, m = targets[axis], measured[axis]
        num += t.confidence * axis_agreement(t.target, m)
        den += t.confidence
        extra[f"axis_{axis}_target"] = round(t.target, 6)
        extra[f"axis_{axis}_measured"] = round(m, 6)
        extra[f"axis_{axis}_weight"] = round(t.confidence, 6)
    agreement = num / den if den > MIN_COVERAGE else 0.5
    gate = float(np.clip(0.3 + 0.7 * quality / 0.8, 0.0, 1.0))
    bad = text_badness(text)
    reward = penalized_from_sims(2.0 * gate * agreement - 1.0, 1.0 - quality, bad)
    extra.update(
        {
            "dj_reward": round(reward.reward, 6),
            "dj_agreement": round(agreement, 6),
            "dj_quality": round(quality, 6),
            "dj_gate": round(gate, 6),
            "dj_coverage": round(den, 6),
            "dj_text_bad": round(bad, 6),
            "dj_penalty": round(reward.penalty, 6),
        }
    )
    return extra


class DjScorer(Scorer):
    """Brief-aware DJ-set PROXY: axis agreement between a brief and a set (see the module docstring)."""

    backend = "dj"
    text_aware = True

    def __init__(self, version: str = VERSION) -> None:
        if version not in AXES:
            raise ScorerError(f"unknown dj judge version {version!r}; use one of: {', '.join(AXES)}")
        self.judge_version = version
        self.version = f"{version}+{table(version)['version']}+reader-{reader_fingerprint()}"

    def audio_features(self, audio: np.ndarray, sample_rate: int) -> dict:
        measured, quality = measured_axes(audio, sample_rate, self.judge_version)
        return {"axes": measured, "quality": float(quality)}

    def judge_features(self, features: dict, text: str | None) -> Scores:
        return Scores(backend=self.backend, version=self.version, extra=judge(require_text(text), features["axes"], features["quality"]))

    def score_batch(self, items: Sequence[Item]) -> list[Scores]:
        texts = [require_text(text) for _audio, _rate, text in items]
        return [self.judge_features(self.audio_features(audio, rate), text) for (audio, rate, _text), text in zip(items, texts, strict=True)]
