"""What decides a DJ run (`DJRun`): brief, palette, policy, length, tempo, seed, scorer.

Its own module so the run (`agent.dj.run`) and its summary (`agent.dj.summary`)
both import it without importing each other. Who plays (reference, replay,
random, an LM with its prompt and limits) is the `policy` (reference.policy).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reference.policy import Policy
from tools.mixer.guardrails import GuardrailConfig


@dataclass(frozen=True)
class DJRun:
    """Everything that decides a DJ run (written to the trajectory header and summary)."""

    brief: str
    palette_path: Path
    policy: Policy
    bars: int = 64
    bpm: float | None = None  # None: the palette's tempo
    seed: int = 0
    scorer: str | None = "dsp"
    guardrails: GuardrailConfig | None = None  # None: the session's defaults (studies tune thresholds here)
    brief_choice: dict | None = None  # what the brief picked (palette, tempo) and why: reference.brief_mapper
