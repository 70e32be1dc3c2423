"""Every use of a private DSPy name, in one place (dspy==3.4.1; see tests/test_agent_dspy_compat.py).

DSPy gives no public hook for these; each is checked by a contract test that
fails loudly when dspy changes, so an upgrade breaks here and nowhere else.

- `RLMWithoutFacade`: `dspy.RLM` without its in-sandbox dspy facade
  (overrides `RLM._setup_facade`);
- `ContractTool`: a `dspy.Tool` that shows the tool's argument types to the LM
  but lets the tool validate what it is sent (overrides
  `Tool._validate_and_parse_args`): a mixer tool answers a bad argument with
  `{"error", "valid"}` data, records the call, and never raises;
- `deno_executable()`: dspy's lookup of the Deno binary
  (`python_interpreter._find_deno_executable`);
- `RUNNER_JS`: the `runner.js` dspy ships beside its PythonInterpreter;
- `reregister_tools(interpreter)`: make a `PythonInterpreter` send its tools
  to the sandbox again (`PythonInterpreter._tools_registered`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dspy
import dspy.primitives.python_interpreter as _interpreter_module
from dspy.primitives.python_interpreter import PythonInterpreter

RUNNER_JS = Path(_interpreter_module.__file__).resolve().parent / "runner.js"


class RLMWithoutFacade(dspy.RLM):
    """`dspy.RLM` without the in-sandbox dspy facade (sub-programs built in the REPL).

    A DJ set needs direct tool calls, not sub-programs (seeds/002: teach one
    interaction pattern); leaving the facade out also drops its instructions
    from the prompt and keeps the sandbox surface small.
    """

    def _setup_facade(self, repl: Any, budget: Any, interpreter_factory: Any) -> str:
        return ""


class ContractTool(dspy.Tool):
    """A tool whose documented argument schema is shown, not enforced: the tool checks its own arguments."""

    def _validate_and_parse_args(self, **kwargs: Any) -> dict[str, Any]:
        return kwargs


def deno_executable() -> str:
    """The Deno binary dspy would run (the `dspy[deno]` wheel's, else one on PATH)."""
    return _interpreter_module._find_deno_executable()


def reregister_tools(interpreter: PythonInterpreter) -> None:
    """Send `interpreter.tools` to the sandbox again before the next code block."""
    interpreter._tools_registered = False


def action_instructions(program: dspy.RLM) -> str:
    """The instructions the RLM's code-writing step shows the LM (task, tools, rules)."""
    return program.generate_action.signature.instructions
