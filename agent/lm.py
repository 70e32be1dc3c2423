"""What drives an agent run: a language model, the reference policy, or a replayed trajectory.

`--lm` takes one string:
- any litellm model (`openai/gpt-4o-mini`, `anthropic/...`, `ollama_chat/...`), with
  `--api-base` for an OpenAI-compatible local server (`--lm openai/NAME --api-base URL`;
  its key, if it needs one, in `VIBESYNTH_API_KEY`);
- `reference`: no LM; the palette's reference arrangement played through the same tools;
- `replay:TRAJECTORY.jsonl`: re-issues a recorded run's tool calls.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tools.errors import AgentError

if TYPE_CHECKING:
    import dspy

REFERENCE = "reference"
API_KEY_ENV = "VIBESYNTH_API_KEY"  # the key sent to an --api-base server
REPLAY_PREFIX = "replay:"


@dataclass(frozen=True)
class LMSpec:
    """A parsed `--lm` option with the sampling options that go with it."""

    kind: Literal["model", "reference", "replay"]
    model: str | None = None
    replay_path: Path | None = None
    api_base: str | None = None
    temperature: float | None = None
    seed: int | None = None
    cache: bool = False  # experiment runs keep the LM cache off so replicas are independent
    max_tokens: int | None = None

    @property
    def label(self) -> str:
        if self.kind == "model":
            return self.model or ""
        if self.kind == "replay":
            return f"{REPLAY_PREFIX}{self.replay_path}"
        return REFERENCE

    def describe(self) -> dict:
        return {
            "lm": self.label,
            "api_base": self.api_base,
            "temperature": self.temperature,
            "seed": self.seed,
            "cache": self.cache,
        }


def parse_lm(
    value: str,
    api_base: str | None = None,
    temperature: float | None = None,
    seed: int | None = None,
    cache: bool = False,
    max_tokens: int | None = None,
) -> LMSpec:
    """Parse `--lm`; bad values raise AgentError naming the accepted forms."""
    value = value.strip()
    if not value:
        raise AgentError("--lm is empty; give PROVIDER/MODEL (e.g. openai/gpt-4o-mini), `reference`, or `replay:TRAJECTORY.jsonl`")
    if temperature is not None and not 0.0 <= temperature <= 2.0:
        raise AgentError(f"--temperature {temperature} is out of range; use a value from 0 to 2")
    if value == REFERENCE:
        return LMSpec(kind="reference")
    if value.startswith(REPLAY_PREFIX):
        path = Path(value[len(REPLAY_PREFIX):]).expanduser()
        if not path.is_file():
            raise AgentError(f"no trajectory at {path}; pass --lm replay:PATH/trajectory.jsonl from an earlier run")
        return LMSpec(kind="replay", replay_path=path)
    provider, slash, name = value.partition("/")
    if not slash or not provider or not name:
        raise AgentError(
            f"--lm {value!r} is not a model string; use PROVIDER/MODEL (e.g. openai/gpt-4o-mini, "
            "ollama_chat/llama3.2, or openai/NAME with --api-base http://127.0.0.1:PORT/v1), "
            "`reference`, or `replay:TRAJECTORY.jsonl`"
        )
    return LMSpec(
        kind="model", model=value, api_base=api_base, temperature=temperature, seed=seed,
        cache=cache, max_tokens=max_tokens,
    )


def build_lm(spec: LMSpec) -> dspy.LM:
    """A `dspy.LM` for a model spec (the cache stays off unless asked for)."""
    import dspy

    if spec.kind != "model" or spec.model is None:
        raise AgentError(f"`{spec.label}` is a policy without a language model; it has no dspy.LM")
    kwargs: dict = {}
    if spec.api_base:
        # Local servers take any key; a real one goes in VIBESYNTH_API_KEY, so a provider key
        # (OPENAI_API_KEY, ...) is never sent to a server it was not meant for.
        kwargs["api_base"] = spec.api_base
        kwargs["api_key"] = os.environ.get(API_KEY_ENV, "unused")
    if spec.seed is not None:
        kwargs["seed"] = spec.seed
    return dspy.LM(
        spec.model, temperature=spec.temperature, max_tokens=spec.max_tokens, cache=spec.cache, **kwargs
    )
