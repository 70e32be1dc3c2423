"""The DJ-set agent: a policy (LM in the sandbox, reference, random, replay) playing the mixer.

`LMPolicy` (and its prompt paths) load dspy and the sandbox (~2 s): imported when first asked for.
"""

from __future__ import annotations

import importlib
from typing import Any

from agent.dj.config import DJRun
from agent.dj.run import DJOutcome, audio_digest, replay_run, run_dj

_LAZY = {"LMPolicy": "agent.dj.lm_policy", "DEFAULT_PROMPT": "agent.dj.lm_policy", "PROMPTS_DIR": "agent.dj.lm_policy"}

__all__ = ["DJOutcome", "DJRun", "audio_digest", "replay_run", "run_dj", *_LAZY]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'agent.dj' has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name]), name)
