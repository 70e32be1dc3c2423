"""Refine with an LM: a DSPy program given the config and the instruction returns the edited config.

The LM's answer is validated like every config (`MusicConfig.parse`); its
readable errors go back to it as feedback for a bounded number of retries,
then the run fails with them. No silent fallback to the rule-based refiner.
"""

from __future__ import annotations

import json

import dspy
from dspy.utils.exceptions import AdapterParseError

from agent.lm import LMSpec, build_lm
from agent.vibe import DEFAULT_RETRIES, config_dict, explain_reply, field_guide
from reference.refiner import Change, Edit
from tools.errors import AgentError, ConfigError
from tools.schema import FIELDS, MusicConfig


class RefineConfig(dspy.Signature):
    """Edit the ambient synth configuration as the instruction asks. Relative words ("slower", "a bit brighter")
    move a field one step along its listed values ("much" two steps); absolute words ("in D minor", "no drums")
    set a field. Keep every field the instruction does not mention exactly as it is."""

    current: str = dspy.InputField(desc="the current configuration, as JSON (`config` is a reserved DSPy keyword)")
    instruction: str = dspy.InputField(desc="what to change, in words")
    feedback: str = dspy.InputField(desc="problems with your previous answer to fix, or 'none'")
    edited: MusicConfig = dspy.OutputField(desc=f"all 19 fields, exactly these values: {field_guide()}")


def refine_with_lm(config: MusicConfig, instruction: str, spec: LMSpec, retries: int = DEFAULT_RETRIES) -> Edit:
    """The LM's edit of `config`; the changes are the fields whose value it moved."""
    if not instruction.strip():
        raise ConfigError('give an instruction in words, e.g. "slower, darker, no drums"')
    predict = dspy.Predict(RefineConfig)
    current = json.dumps(config.model_dump(mode="json"))
    feedback: list[str] = []
    try:
        with dspy.context(lm=build_lm(spec), adapter=dspy.ChatAdapter(use_json_adapter_fallback=False)):
            for _ in range(retries + 1):
                try:
                    answer = predict(current=current, instruction=instruction, feedback=feedback[-1] if feedback else "none")
                    edited = MusicConfig.parse(config_dict(answer.edited))
                    break
                except AdapterParseError as err:
                    feedback.append(explain_reply(err.lm_response, "edited"))
                except ConfigError as err:
                    feedback.append(str(err))
            else:
                raise AgentError(
                    f"the LM gave no valid config for {instruction!r} in {retries + 1} attempts; last "
                    f"problems:\n{feedback[-1]}\nTry another --lm, or refine by the rules (leave out --lm)"
                )
    except dspy.LMError as err:
        raise AgentError(f"the LM call failed: {err}") from None
    changes = tuple(
        Change(name, getattr(config, name), getattr(edited, name), instruction, "set by the LM")
        for name in FIELDS
        if getattr(edited, name) != getattr(config, name)
    )
    notes = () if changes else (f"the LM changed no field for {instruction!r}",)
    return Edit(edited, changes, notes, f"lm:{spec.label}", instruction)
