"""The Deno/Pyodide sandbox that runs LM-written code: offline launch and crash recovery.

`SandboxLimits` is plain data; the interpreter and the launcher (which load dspy,
~2 s) are imported when first asked for, so policies without an LM start fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from agent.sandbox.limits import SandboxLimits

_LAZY = {
    "ResilientInterpreter": "agent.sandbox.resilient",
    "SandboxFactory": "agent.sandbox.resilient",
    "deno_command": "agent.sandbox.launch",
    "deno_dir": "agent.sandbox.launch",
    "is_warm": "agent.sandbox.launch",
    "warm": "agent.sandbox.launch",
}

__all__ = ["SandboxLimits", *_LAZY]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'agent.sandbox' has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name]), name)
