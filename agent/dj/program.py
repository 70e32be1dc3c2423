"""The DJ-set program: `dspy.RLM` over the mixer tools, run in our sandbox.

The LM sees the brief, a palette menu, the set length and tempo, the
instructions of a prompt file (style and strategy), and the tool contract
taken from the tools themselves (docstrings and argument types); it writes
short Python blocks that call the mixer tools. The session's hard stop ends
the run (see agent.sandbox).
"""

from __future__ import annotations

import inspect
import time
import typing
from typing import Any, Callable

import dspy
from dspy.utils.exceptions import AdapterParseError
from pydantic import TypeAdapter

from agent.dspy_compat import ContractTool, RLMWithoutFacade
from agent.sandbox import SandboxFactory, SandboxLimits


class DJSet(dspy.Signature):
    """Play a DJ set on the mixer tools."""

    brief: str = dspy.InputField(desc="what the set should feel like")
    palette: str = dspy.InputField(desc="the samples per role (loop or oneshot), alternatives, patterns, gain caps")
    bars: int = dspy.InputField(desc="length of the set in bars; the mixer stops the set at this bar")
    bpm: float = dspy.InputField(desc="tempo")
    summary: str = dspy.OutputField(desc="one or two sentences on the set you played")


class DJRLM(RLMWithoutFacade):
    """The DJ program: direct tool calls, no in-sandbox sub-programs; an LM reply not in the field format is an
    error the LM sees (`lm_format_error` event), and only `max_format_errors` in a row end the run."""

    max_format_errors = 3

    def _execute_iteration(self, repl: Any, variables: Any, history: Any, iteration: int, *args: Any) -> Any:
        """One iteration; an LM reply dspy cannot parse into fields becomes an error the LM sees, not a crash."""
        try:
            result = super()._execute_iteration(repl, variables, history, iteration, *args)
        except AdapterParseError as err:
            self.format_errors = getattr(self, "format_errors", 0) + 1
            on_record = getattr(self, "on_record", None)
            if on_record is not None:
                on_record("event", {"source": "lm", "event": {"kind": "lm_format_error", "count": self.format_errors, "detail": str(err)[:300]}})
            if self.format_errors >= self.max_format_errors:
                raise
            return history.append(
                reasoning="",
                code="",
                output="[Error] your reply was not in the required format: give the fields `reasoning` and `code` exactly as the instructions show.",
            )
        self.format_errors = 0
        return result


def contract_tools(functions: list[Callable[..., str]]) -> list[ContractTool]:
    """The tools as the LM sees them: docstring and argument types from each function's own contract."""
    return [
        ContractTool(
            fn,
            name=fn.__name__,
            desc=inspect.getdoc(fn) or "",
            args=argument_schema(fn),
            arg_types={name: Any for name in inspect.signature(fn).parameters},
        )
        for fn in functions
    ]


def argument_schema(fn: Callable[..., Any]) -> dict[str, dict]:
    """JSON schema per argument from the annotations; `X | None = None` shows as X (None means "missing")."""
    hints = typing.get_type_hints(fn)
    schema = {}
    for name in inspect.signature(fn).parameters:
        options = [t for t in typing.get_args(hints[name]) or (hints[name],) if t is not type(None)]
        kinds = [TypeAdapter(option).json_schema().get("type", "object") for option in options]
        schema[name] = {"type": " | ".join(kinds)}
    return schema


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
        tools=contract_tools(tools),
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
