"""Contracts of the private DSPy names agent/dspy_compat.py relies on: these fail loudly when dspy changes."""

from __future__ import annotations

import inspect
from pathlib import Path

import dspy
import pytest
from dspy.primitives.python_interpreter import PythonInterpreter

from agent import dspy_compat


def test_rlm_still_calls_setup_facade_with_the_signature_we_override():
    assert "_setup_facade" in vars(dspy.RLM), "dspy.RLM._setup_facade is gone: update RLMWithoutFacade"
    ours = list(inspect.signature(dspy_compat.RLMWithoutFacade._setup_facade).parameters)
    theirs = list(inspect.signature(dspy.RLM._setup_facade).parameters)
    assert ours == theirs, f"dspy.RLM._setup_facade now takes {theirs}"
    assert "self._setup_facade(" in inspect.getsource(dspy.RLM.forward)


def test_the_overridden_rlm_leaves_the_facade_out_of_the_instructions():
    def status() -> str:
        """Report."""
        return "{}"

    plain = dspy.RLM("brief -> summary", tools=[status])
    ours = dspy_compat.RLMWithoutFacade("brief -> summary", tools=[status])
    assert dspy_compat.action_instructions(ours) and "`status()` - Report." in dspy_compat.action_instructions(ours)
    assert dspy_compat.action_instructions(plain)  # the public path we read still exists


def test_tool_validation_is_the_hook_contract_tool_overrides():
    def play(bars: int) -> str:
        """Play."""
        return repr(bars)

    schema = {"bars": {"type": "integer"}}
    with pytest.raises(ValueError):  # stock Tool enforces the schema through _validate_and_parse_args
        dspy.Tool(play, args=schema)(bars="8")
    assert dspy_compat.ContractTool(play, args=schema, arg_types={"bars": object})(bars="8") == "'8'"
    assert "_validate_and_parse_args" in inspect.getsource(dspy.Tool.__call__)


def test_deno_lookup_and_runner_location():
    assert Path(dspy_compat.deno_executable()).name.startswith("deno")
    assert dspy_compat.RUNNER_JS.is_file() and "tool_call" in dspy_compat.RUNNER_JS.read_text()


def test_python_interpreter_still_gates_registration_on_the_flag():
    interpreter = PythonInterpreter(deno_command=["true"])
    interpreter._tools_registered = True
    dspy_compat.reregister_tools(interpreter)
    assert interpreter._tools_registered is False
    assert "_tools_registered" in inspect.getsource(PythonInterpreter._register_tools)
