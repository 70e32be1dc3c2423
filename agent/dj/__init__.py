"""The DJ-set agent: a policy (LM in the sandbox, reference, random, replay) playing the mixer."""

from agent.dj.config import DJRun
from agent.dj.lm_policy import DEFAULT_PROMPT, PROMPTS_DIR, LMPolicy
from agent.dj.run import DJOutcome, audio_digest, replay_run, run_dj

__all__ = ["DEFAULT_PROMPT", "PROMPTS_DIR", "DJOutcome", "DJRun", "LMPolicy", "audio_digest", "replay_run", "run_dj"]
