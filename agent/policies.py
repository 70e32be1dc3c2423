"""Who plays a set, from one option string: `parse_policy("--lm value", ...)` -> Policy.

- `reference`: a set planned from the brief by rules (reference.set_rules, through the one reader);
- `fixed`: the palette's reference arrangement whatever the brief (the old oracle, for bit-for-bit checks);
- `random`: a random DJ through the same tools;
- `replay:TRAJECTORY.jsonl`: re-issues a recorded run's tool calls (same palette file required);
- `package.module:attribute`: a Policy object or a function `fn(tools, bars, rng)`;
- anything else: a litellm model string, played by `agent.dj.lm_policy.LMPolicy`.

The Policy interface itself lives in `reference.policy`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.dj.replay import REPLAY_PREFIX, replay_policy
from agent.lm import parse_lm
from reference.policies import NAMED, load_policy
from reference.policy import Policy
from tools.errors import AgentError, ConfigError


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
    text = value.strip()
    if not text:
        raise AgentError("--lm is empty; give PROVIDER/MODEL (e.g. openai/gpt-4o-mini), `reference`, `random`, "
                         "or `replay:TRAJECTORY.jsonl`")
    if text in NAMED:
        return NAMED[text]()
    if text.startswith(REPLAY_PREFIX):
        return replay_policy(Path(text[len(REPLAY_PREFIX):]))
    if ":" in text and "/" not in text:
        try:
            return load_policy(text)
        except ConfigError as err:
            raise AgentError(str(err)) from None
    from agent.dj.lm_policy import LMPolicy

    spec = parse_lm(text, api_base=api_base, temperature=temperature, seed=seed, cache=cache, max_tokens=max_tokens)
    return LMPolicy(spec, **lm_options)

