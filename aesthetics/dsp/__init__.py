"""`dsp`: the embedded default scorer — a deterministic, weight-free PROXY.

It measures technical quality and content descriptors with plain DSP and
maps them to CE/CU/PC/PQ-*like* scores on the audiobox 1-10 scale with the
hand-set formulas in `aesthetics.dsp.scoring`. Its numbers are not
audiobox-aesthetics numbers; every Scores it returns says
`backend="dsp"`, `version="dsp-proxy-3"`, and carries all descriptors in
`extra` (`dsp_*`) plus each PQ penalty (`dsp_penalty_*`).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from aesthetics.base import Item, Scorer, prepare_audio
from aesthetics.dsp.analysis import analyse
from aesthetics.dsp.content import content_descriptors
from aesthetics.dsp.scoring import pq_penalties, proxy_scores
from aesthetics.dsp.technical import technical_descriptors
from aesthetics.scores import Scores
from tools.loudness import true_peak_dbtp

VERSION = "dsp-proxy-3"  # bump whenever a formula or descriptor changes


def features(audio, sample_rate: int) -> dict[str, float]:
    """All dsp descriptors of one clip (technical and content), unprefixed."""
    data = prepare_audio(audio, sample_rate)
    # The exact true peak is the costliest measurement; it releases the GIL,
    # so it runs beside the shared analysis.
    with ThreadPoolExecutor(max_workers=1) as pool:
        peak = pool.submit(true_peak_dbtp, data)
        a = analyse(data, int(sample_rate))
        content = content_descriptors(a)
        return {**technical_descriptors(a, peak.result()), **content}


class DspScorer(Scorer):
    """Weight-free proxy scorer (see module docstring); text is ignored."""

    backend = "dsp"
    version = VERSION

    def score_batch(self, items: Sequence[Item]) -> list[Scores]:
        return [self._score_one(audio, rate) for audio, rate, _text in items]

    def _score_one(self, audio, sample_rate: int) -> Scores:
        measured = features(audio, sample_rate)
        parts = proxy_scores(measured)
        extra = {f"dsp_{k}": round(float(v), 6) for k, v in measured.items()}
        extra.update({f"dsp_penalty_{k}": round(v, 6) for k, v in pq_penalties(measured).items()})
        return Scores.from_components(
            self.backend, self.version, parts["CE"], parts["CU"], parts["PC"], parts["PQ"], extra
        )
