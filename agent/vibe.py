"""Vibe -> MusicConfig: a DSPy signature whose output is a MusicConfig, with validation feedback.

When the LM's config does not validate, the readable errors of
`MusicConfig.parse` (field, bad value, nearest valid value) go back to it as
`feedback` for a bounded number of retries; after that the run fails with
those errors. No silent fallback to the rule-based mapper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import dspy
from dspy.utils.exceptions import AdapterParseError

from agent.lm import LMSpec, build_lm
from tools.errors import AgentError, ConfigError
from tools.schema import FIELDS, MusicConfig, choices

DEFAULT_RETRIES = 2


def field_guide() -> str:
    return "; ".join(f"{name}: {' | '.join(str(v) for v in choices(name))}" for name in FIELDS)


class VibeToConfig(dspy.Signature):
    """Choose the ambient synth configuration that best fits the vibe. Use only the listed values."""

    vibe: str = dspy.InputField(desc="a short description of a mood, place or scene")
    feedback: str = dspy.InputField(desc="problems with your previous answer to fix, or 'none'")
    config: MusicConfig = dspy.OutputField(desc=f"all 19 fields, exactly these values: {field_guide()}")


@dataclass
class VibeResult:
    config: MusicConfig | None  # None only from a non-strict program whose attempts all failed
    attempts: int
    feedback: list[str] = field(default_factory=list)  # the errors fed back, in order


class VibeProgram(dspy.Module):
    """Predict a MusicConfig; on a validation error, retry with the errors as feedback.

    `strict=False` (compile jobs) returns a VibeResult with `config=None` and the
    problems in `feedback` instead of raising, so a failed answer scores 0.
    """

    def __init__(self, retries: int = DEFAULT_RETRIES, strict: bool = True) -> None:
        super().__init__()
        self.retries = retries
        self.strict = strict
        self.predict = dspy.Predict(VibeToConfig)

    def forward(self, vibe: str) -> VibeResult:
        feedback: list[str] = []
        # One adapter, no JSON fallback: each attempt is exactly one LM call.
        with dspy.context(adapter=dspy.ChatAdapter(use_json_adapter_fallback=False)):
            for attempt in range(1, self.retries + 2):
                try:
                    prediction = self.predict(vibe=vibe, feedback=feedback[-1] if feedback else "none")
                    return VibeResult(MusicConfig.parse(config_dict(prediction.config)), attempt, feedback)
                except AdapterParseError as err:
                    feedback.append(explain_reply(err.lm_response))
                except ConfigError as err:
                    feedback.append(str(err))
        if not self.strict:
            return VibeResult(None, self.retries + 1, feedback)
        raise AgentError(
            f"the LM gave no valid MusicConfig for {vibe!r} in {self.retries + 1} attempts; last problems:\n"
            f"{feedback[-1]}\nTry another --lm, or render from the rules with `vibesynth render --vibe` without --lm"
        )


def config_dict(config: MusicConfig | dict) -> dict:
    return config.model_dump() if isinstance(config, MusicConfig) else dict(config)


def explain_reply(response: str, field: str = "config") -> str:
    """Readable problems with the config the LM wrote in its `field` (the adapter's own message is not)."""
    text = str(response)
    section = re.search(rf"\[\[ ## {field} ## \]\]\s*(.*?)(?:\[\[ ## |\Z)", text, flags=re.S)
    body = section.group(1) if section else text
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end < start:
        return f"the reply had no `{field}` JSON object; answer with the {field} field holding one JSON object"
    try:
        MusicConfig.parse(body[start : end + 1])
    except ConfigError as err:
        return str(err)
    return f"the {field} field could not be read; write it as one JSON object with the 19 fields"


def vibe_to_config(vibe: str, lm: dspy.BaseLM, retries: int = DEFAULT_RETRIES, program: VibeProgram | None = None) -> VibeResult:
    """One config from the LM, through `program` (a compiled one, see agent.compiled) or a fresh VibeProgram."""
    try:
        with dspy.context(lm=lm):
            return (program or VibeProgram(retries))(vibe=vibe)
    except dspy.LMError as err:
        raise AgentError(f"the LM call failed: {err}") from None


def config_from_lm(vibe: str, spec: LMSpec, program: VibeProgram | None = None, compiled: dict | None = None) -> tuple[MusicConfig, dict]:
    """`vibesynth render --vibe TEXT --lm MODEL [--program DIR]`: the config and its provenance for the sidecar.
    `program` is a compiled program (`agent.compiled.load_vibe_program`), `compiled` its record for the sidecar."""
    result = vibe_to_config(vibe, build_lm(spec), program=program)
    provenance = {
        "source": "vibe",
        "vibe": vibe,
        "mapper": f"lm:{spec.label}",
        "lm": spec.settings(),
        "attempts": result.attempts,
        "feedback": result.feedback,
        "program": compiled,
    }
    return result.config, provenance
