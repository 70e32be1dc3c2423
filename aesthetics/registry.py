"""`get_scorer(name)`: the one way to obtain a scorer backend by name.

Heavy backends are imported only when asked for, so the `dsp` default works
without torch, laion-clap or audiobox-aesthetics installed.
"""

from __future__ import annotations

from typing import Any

from aesthetics.base import Scorer
from tools.errors import ConfigError

BACKENDS = ("dsp", "vibe", "dj", "audiobox", "clap", "remote:URL")


def get_scorer(name: str = "dsp", **opts: Any) -> Scorer:
    """Build a scorer: "dsp" | "vibe" (text-aware CLAP proxy) | "dj" (brief-aware DJ-set proxy) | "audiobox" | "clap"
    | "remote:URL" (options go to its constructor)."""
    if name == "dsp":
        from aesthetics.dsp import DspScorer

        return DspScorer(**opts)
    if name == "vibe":
        from aesthetics.vibe import VibeScorer

        return VibeScorer(**opts)
    if name == "dj":
        from aesthetics.dj.scorer import DjScorer

        return DjScorer(**opts)
    if name == "audiobox":
        from aesthetics.audiobox import AudioboxScorer

        return AudioboxScorer(**opts)
    if name == "clap":
        from aesthetics.clap import ClapScorer

        return ClapScorer(**opts)
    if name.startswith("remote:"):
        from aesthetics.remote import RemoteScorer

        return RemoteScorer(name.removeprefix("remote:"), **opts)
    raise ConfigError(f"unknown scorer backend {name!r}; use one of: {', '.join(BACKENDS)}")
