"""What decides a DJ run (`DJRun`): brief, palette, policy, length, tempo, seed, prompt, limits.

Its own module so the run (`agent.dj.run`) and its summary (`agent.dj.summary`)
both import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from agent.lm import LMSpec
from agent.sandbox import SandboxLimits

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
DEFAULT_PROMPT = PROMPTS_DIR / "v7_hypnotic_peak.txt"


@dataclass(frozen=True)
class DJRun:
    """Everything that decides a DJ run (written to the trajectory header and summary)."""

    brief: str
    palette_path: Path
    lm: LMSpec
    bars: int = 64
    bpm: float | None = None  # None: the palette's tempo
    seed: int = 0
    prompt_path: Path = DEFAULT_PROMPT
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    max_iters: int = 40
    max_llm_calls: int = 20
    scorer: str | None = "dsp"
