"""Limits on LM-written code in the sandbox (plain data: importing them starts no Deno and loads no dspy)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BridgeLimits:
    max_line_chars: int = 2_000_000  # one message from Deno (a block's whole output travels in one)
    max_arg_chars: int = 10_000  # JSON size of one tool call's arguments
    max_calls_per_block: int = 256
    memory_mb: int = 2048  # Deno's data segment (rlimit), beyond the V8 heap flag


@dataclass(frozen=True)
class SandboxLimits:
    """Per-code-block and per-run limits on LM-written code."""

    block_seconds: float = 20.0  # sandbox wall time of one code block; host tool time not counted
    max_output_chars: int = 10_000  # printed output handed back to the LM
    max_restarts: int = 3  # sandbox restarts before the run is ended
    tool_seconds: float = 120.0  # host time inside tools during one code block
    max_calls_per_block: int = 256
    max_arg_chars: int = 10_000  # JSON size of one tool call's arguments
    memory_mb: int = 2048  # the sandbox process's data segment

    def bridge(self) -> BridgeLimits:
        return BridgeLimits(
            max_line_chars=max(64 * self.max_output_chars, 1_000_000),
            max_arg_chars=self.max_arg_chars,
            max_calls_per_block=self.max_calls_per_block,
            memory_mb=self.memory_mb,
        )
