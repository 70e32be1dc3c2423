"""The DJ-set program: `dspy.RLM` over the mixer tools, run in our sandbox.

The LM sees the brief, a palette menu, the set length and tempo, and the
instructions of a prompt file; it writes short Python blocks that call the
mixer tools. The session's hard stop ends the run (see agent.sandbox).
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable

import dspy
from dspy.utils.exceptions import AdapterParseError

from agent.sandbox import SandboxFactory, SandboxLimits
from tools.mixer import PATTERNS, MixerSession


class DJSet(dspy.Signature):
    """Play a DJ set on the mixer tools."""

    brief: str = dspy.InputField(desc="what the set should feel like")
    palette: str = dspy.InputField(desc="the samples per role (loop or oneshot), alternatives, patterns, gain caps")
    bars: int = dspy.InputField(desc="length of the set in bars; the mixer stops the set at this bar")
    bpm: float = dspy.InputField(desc="tempo")
    summary: str = dspy.OutputField(desc="one or two sentences on the set you played")


class DJRLM(dspy.RLM):
    """`dspy.RLM` without the in-sandbox dspy facade.

    A DJ set needs direct tool calls, not sub-programs built in the REPL
    (seeds/002: teach one interaction pattern); leaving the facade out also
    drops its instructions from the prompt and keeps the sandbox surface small.
    """

    max_format_errors = 3  # LM replies in a row not in the field format before the run is ended

    def _setup_facade(self, repl: Any, budget: Any, interpreter_factory: Any) -> str:
        return ""

    def _execute_iteration(self, repl: Any, variables: Any, history: Any, iteration: int, *args: Any) -> Any:
        """One iteration; an LM reply dspy cannot parse into fields becomes an error the LM sees, not a crash."""
        try:
            result = super()._execute_iteration(repl, variables, history, iteration, *args)
        except AdapterParseError as err:
            self.format_errors = getattr(self, "format_errors", 0) + 1
            on_record = getattr(self, "on_record", None)
            if on_record is not None:
                on_record("event", {"source": "lm", "event": {"kind": "lm_format_error", "count": self.format_errors,
                                                              "detail": str(err)[:300]}})
            if self.format_errors >= self.max_format_errors:
                raise
            return history.append(
                reasoning="", code="",
                output="[Error] your reply was not in the required format: give the fields `reasoning` and "
                       "`code` exactly as the instructions show.",
            )
        self.format_errors = 0
        return result


def palette_menu(session: MixerSession) -> str:
    """What the LM is told about the palette: JSON it can also parse in code."""
    menu = {
        "roles": {role: sample.describe() for role, sample in sorted(session.samples.items())},
        "alternatives": {role: [s.id for s in options] for role, options in sorted(session.alternatives.items())},
        "patterns": sorted(PATTERNS),
        "gain_caps": {role: session.config.gain_caps.get(role, 1.0) for role in sorted(session.samples)},
    }
    return json.dumps(menu, indent=1)


def build_program(
    instructions: str,
    tools: list[Callable[..., str]],
    stop_reason: Callable[[], str | None],
    on_record: Callable[[str, dict], None],
    refuse_submit: Callable[[], str | None],
    limits: SandboxLimits,
    max_iters: int,
    max_llm_calls: int,
) -> tuple[DJRLM, SandboxFactory]:
    """The program and the sandbox factory it runs on (which keeps the interpreters it made)."""
    factory = SandboxFactory(limits=limits, stop_reason=stop_reason, on_record=on_record, refuse_submit=refuse_submit)
    program = DJRLM(
        DJSet.with_instructions(instructions.strip()),
        max_iters=max_iters,
        max_llm_calls=max_llm_calls,
        max_output_chars=limits.max_output_chars,
        tools=tools,
        interpreter_factory=factory,
    )
    program.on_record = on_record
    return program, factory


class LMRecorder(dspy.utils.callback.BaseCallback):
    """Writes every LM call (messages in, outputs out) as a trajectory `lm` record."""

    def __init__(self, write: Callable[..., dict]) -> None:
        self.write = write
        self.calls = 0
        self._pending: dict[str, tuple[float, Any]] = {}

    def on_lm_start(self, call_id: str, instance: Any, inputs: dict[str, Any]) -> None:
        self._pending[call_id] = (time.perf_counter(), inputs.get("messages") or inputs.get("prompt"))

    def on_lm_end(self, call_id: str, outputs: Any, exception: Exception | None = None) -> None:
        start, messages = self._pending.pop(call_id, (time.perf_counter(), None))
        self.calls += 1
        self.write(
            "lm",
            messages=messages,
            outputs=outputs,
            error=repr(exception) if exception else None,
            wall_s=round(time.perf_counter() - start, 6),
        )
