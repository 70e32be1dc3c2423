"""Aesthetics scorers behind one interface, and the scoring service.

    from aesthetics import get_scorer, Scores
    scores = get_scorer("dsp").score(audio, 44100, text=None)

Backends: `dsp` (embedded, weight-free PROXY of CE/CU/PC/PQ), `audiobox`
(audiobox-aesthetics checkpoint), `clap` (LAION-CLAP checkpoint:
clap_sim, clap_reward), `remote:URL` (the scoring service over HTTP).
"""

from aesthetics.base import Scorer
from aesthetics.registry import BACKENDS, get_scorer
from aesthetics.scores import OBJ_WEIGHTS, Scores, objective

__all__ = ["BACKENDS", "OBJ_WEIGHTS", "Scorer", "Scores", "get_scorer", "objective"]
