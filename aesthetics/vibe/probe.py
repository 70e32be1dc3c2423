"""The reader's learned source: a linear probe on a whole text's MiniLM embedding, one per axis.

The word tables read what they list; a scene or feeling they have never seen
("oil wells burning on the horizon") is left to the anchors' similarity. The
probe is ridge regression from the text's sentence embedding to each axis's
direction (-1 low pole, +1 high pole), trained by
`scripts/build_reader_probe.py` on the reader's tuning sets (never on a
held-out set) and the concept tables' phrases. Its score becomes an implied
vote: target 0.5 + 0.5 tanh(score / SCALE), confidence MAX |tanh(score / SCALE)|,
so it speaks softly beside concepts and never beats an explicit term.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from aesthetics.vibe.axes import AXIS_NAMES
from tools.errors import ScorerError

PROBE = Path(__file__).with_name("probe.npz")
SCALE = 0.5  # probe score at which tanh reaches 0.76 of its pole
MAX = 0.5  # confidence of a vote at the pole, the concepts' neighbour-vote level
FLOOR = 0.05  # weaker votes are dropped: they only blur the sources that name them
STALE = "rebuild it: .venv/bin/python scripts/build_reader_probe.py"


def probe_digest() -> str:
    """sha256 of what the shipped weights must match at run time: the embedding model and the axes, in order."""
    from aesthetics.embed import EMBED_VERSION

    return hashlib.sha256("\n".join([EMBED_VERSION, *AXIS_NAMES]).encode()).hexdigest()


@lru_cache(maxsize=1)
def _weights() -> np.ndarray:
    """(axes, 385): each axis's weights over the 384 embedding dimensions, then its bias."""
    if not PROBE.exists():
        raise ScorerError(f"the reader's probe {PROBE} is missing; {STALE}")
    with np.load(PROBE) as probe:
        if str(probe["digest"]) != probe_digest():
            raise ScorerError(f"the reader's probe {PROBE} was trained for another embedding model or axis list; {STALE}")
        return probe["weights"]


def probe_scores(text: str) -> dict[str, float]:
    """The raw probe score per axis (negative: the low pole) for a normalised text."""
    from aesthetics.embed import embed_texts

    weights = _weights()
    scores = weights[:, :-1] @ embed_texts([text])[0] + weights[:, -1]
    return dict(zip(AXIS_NAMES, (float(s) for s in scores), strict=True))


def probe_votes(text: str) -> dict[str, tuple[float, float]]:
    """(target, confidence) per axis the probe speaks for."""
    votes = {}
    for axis, score in probe_scores(text).items():
        lean = float(np.tanh(score / SCALE))
        if MAX * abs(lean) >= FLOOR:
            votes[axis] = (0.5 + 0.5 * lean, MAX * abs(lean))
    return votes
