"""Who plays a set, from one option string: `parse_policy("--lm value", ...)` -> Policy.

- `reference`: a set planned from the brief by rules (reference.set_rules, through the one reader);
- `fixed`: the palette's reference arrangement whatever the brief (the old oracle, for bit-for-bit checks);
- `random`: a random DJ through the same tools;
- `replay:TRAJECTORY.jsonl`: re-issues a recorded run's tool calls (same palette file required);
- `package.module:attribute`: a Policy object or a function `fn(tools, bars, rng)`;
- a litellm model string (or `student:PATH`), played by `agent.dj.lm_policy.LMPolicy`.

These are the forms of `tools.specs.POLICIES`. The Policy interface itself lives in `reference.policy`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.dj.replay import replay_policy
from agent.lm import lm_spec
from reference.policies import build_policy
from reference.policy import Policy
from tools.errors import AgentError, ConfigError
from tools.specs import MODEL, POLICIES, REPLAY, STUDENT


def parse_policy(
    value: str,
    *,
    api_base: str | None = None,
    temperature: float | None = None,
    seed: int | None = None,
    cache: bool = False,
    max_tokens: int | None = None,
    **lm_options: Any,
) -> Policy:
    """The Policy an `--lm` value names; `lm_options` go to LMPolicy (prompt_path, limits, max_iters, ...)."""
    spec = POLICIES.parse(value)
    if spec.kind == REPLAY.kind:
        return replay_policy(Path(spec.arg))
    if spec.kind in (MODEL.kind, STUDENT.kind):
        from agent.dj.lm_policy import LMPolicy

        lm = lm_spec(spec, api_base=api_base, temperature=temperature, seed=seed, cache=cache, max_tokens=max_tokens)
        return LMPolicy(lm, **lm_options)
    try:
        return build_policy(spec)
    except ConfigError as err:
        raise AgentError(str(err)) from None
