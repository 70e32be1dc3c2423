"""The Deno/Pyodide sandbox that runs LM-written code: offline launch and crash recovery."""

from agent.sandbox.launch import deno_command, deno_dir, is_warm, warm
from agent.sandbox.resilient import ResilientInterpreter, SandboxFactory, SandboxLimits

__all__ = [
    "ResilientInterpreter",
    "SandboxFactory",
    "SandboxLimits",
    "deno_command",
    "deno_dir",
    "is_warm",
    "warm",
]
