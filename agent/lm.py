"""A language model for the agent: a parsed `--lm` model string and the `dspy.LM` built from it.

A model is any litellm model string (`openai/gpt-4o-mini`, `anthropic/...`,
`ollama_chat/...`), with `--api-base` for an OpenAI-compatible local server
(`--lm openai/NAME --api-base URL`; its key, if it needs one, in
`VIBESYNTH_API_KEY`), or `student:PATH`, a distilled model run in-process. The
forms are those of `tools.specs.LM`; who plays a set (an LM, the reference, a
replay, ...) is a Policy: see `agent.policies.parse_policy`, which hands LM specs here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tools.errors import AgentError
from tools.specs import LM, STUDENT, Spec

if TYPE_CHECKING:
    import dspy

API_KEY_ENV = "VIBESYNTH_API_KEY"  # the key sent to an --api-base server


@dataclass(frozen=True)
class LMSpec:
    """A parsed model string with the sampling options that go with it."""

    model: str
    api_base: str | None = None
    temperature: float | None = None
    seed: int | None = None
    cache: bool = False  # experiment runs keep the LM cache off so replicas are independent
    max_tokens: int | None = None

    @property
    def label(self) -> str:
        return self.model

    def settings(self) -> dict:
        """The LM settings as recorded in trajectory headers and summaries."""
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
    """Parse a model string; bad values raise AgentError naming the accepted forms."""
    return lm_spec(LM.parse(value), api_base, temperature, seed, cache, max_tokens)


def lm_spec(
    spec: Spec,
    api_base: str | None = None,
    temperature: float | None = None,
    seed: int | None = None,
    cache: bool = False,
    max_tokens: int | None = None,
) -> LMSpec:
    """The LMSpec of a parsed model or student spec (a student runs in-process: no server)."""
    if temperature is not None and not 0.0 <= temperature <= 2.0:
        raise AgentError(f"--temperature {temperature} is out of range; use a value from 0 to 2")
    if spec.kind == STUDENT.kind:
        api_base = None
    return LMSpec(
        model=spec.text,
        api_base=api_base,
        temperature=temperature,
        seed=seed,
        cache=cache,
        max_tokens=max_tokens,
    )


def build_lm(spec: LMSpec) -> dspy.LM:
    """A `dspy.LM` for a model spec (the cache stays off unless asked for)."""
    import dspy

    if spec.model == STUDENT.kind or spec.model.startswith(f"{STUDENT.kind}:"):
        return _student_lm(spec.model.removeprefix(STUDENT.kind).removeprefix(":"))
    kwargs: dict = {}
    if spec.api_base:
        # Local servers take any key; a real one goes in VIBESYNTH_API_KEY, so a provider key
        # (OPENAI_API_KEY, ...) is never sent to a server it was not meant for.
        kwargs["api_base"] = spec.api_base
        kwargs["api_key"] = os.environ.get(API_KEY_ENV, "unused")
    if spec.seed is not None:
        kwargs["seed"] = spec.seed
    return dspy.LM(spec.model, temperature=spec.temperature, max_tokens=spec.max_tokens, cache=spec.cache, **kwargs)


def _student_lm(path: str) -> dspy.LM:
    """The shipped student (no path) or an adapter folder on llama.cpp; a merged model folder in torch."""
    import importlib.util
    import sys

    from agent.student import shipped
    from agent.student.lm import StudentLM
    from tools.paths import resolve_recorded

    folder = resolve_recorded(path) if path else None
    if folder is not None and not folder.is_dir():
        raise AgentError(
            f"--lm student:{path}: no such folder; pass a distill run's model/ folder or an adapter "
            "folder, or --lm student for the student that ships with vibesynth"
        )
    if folder is not None and not shipped.is_adapter_folder(folder) and importlib.util.find_spec("torch") is None:
        raise AgentError(
            f"--lm student:{path}: a merged model folder runs in torch, which this environment "
            f"({sys.prefix}) does not have; run `make train-env` and use .venv-train/bin/vibesynth, or "
            "export the folder as an adapter (`vibesynth export --formats adapter`), which runs here"
        )
    return StudentLM(str(folder) if folder else "")
