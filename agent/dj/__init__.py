"""The DJ-set agent: a policy (LM in the sandbox, reference, replay) playing the mixer."""

from agent.dj.config import DEFAULT_PROMPT, PROMPTS_DIR, DJRun
from agent.dj.run import DJOutcome, audio_digest, replay_run, run_dj

__all__ = ["DEFAULT_PROMPT", "PROMPTS_DIR", "DJOutcome", "DJRun", "audio_digest", "replay_run", "run_dj"]
