"""DSPy programs that play the instruments, LM setup, the sandbox and trajectories (the CLI is in vibesynth/)."""

import os

# litellm fetches its model price list over the network at import unless told not to;
# this must be set before anything in `agent` imports dspy or litellm.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
