"""A sandbox that survives its own crashes and stops runaway code.

`ResilientInterpreter` speaks dspy's `CodeInterpreter` protocol around a
`PythonInterpreter` (Deno + Pyodide). Tools run on the host, so the mixer
session outlives any sandbox: when Deno dies (crash, or the watchdog killing a
code block that ran past its time limit) the next code block gets a fresh
sandbox with the same tools registered, and the session carries on.

Budgets the LM code cannot exceed (`SandboxLimits`): sandbox wall time per
block; host time inside tools per block; between blocks the sandbox is paused
(SIGSTOP; SIGCONT when the next block starts), so timers, intervals, asyncio
tasks or Workers the code left running burn no CPU while the LM thinks;
printed output per block (cut inside the sandbox, and the bridge drains any
message over its limit); tool calls per block and argument size per call,
memory (see agent.sandbox.bridge). Every cut is recorded as an event.
Anything the bridge raises that is not the LM's own code error (a hostile
message, a protocol break) restarts the sandbox; it never ends the run.

A hard stop (`stop_reason()` returning a message, e.g. once the mixer raised
`SetComplete`) turns the next result into `FinalOutput`, which ends `dspy.RLM`.
`refuse_submit()` can turn an early `SUBMIT` back into an error for the LM
(a DJ set ends at its last bar, not when the LM says so).
"""

from __future__ import annotations

import functools
import threading
import time
from typing import Any, Callable

from dspy.primitives.code_interpreter import CodeExecutionError, CodeInterpreterError, FinalOutput

from agent.dspy_compat import reregister_tools
from agent.sandbox.bridge import GuardedInterpreter
from agent.sandbox.launch import deno_command
from agent.sandbox.limits import SandboxLimits
from tools.errors import SandboxError

EXECUTION_INSTRUCTIONS = (
    "Python runs in a Pyodide/WebAssembly sandbox: no files, network, processes or numpy. "
    "The tools are plain functions you call directly; they run on the host and return JSON strings. "
    "Variables persist across code blocks unless the sandbox restarts. "
    "A code block that runs past {seconds:g} s is stopped."
)


def _no_stop() -> str | None:
    return None


def output_cap(limit: int) -> str:
    """One line run before each block: stdout/stderr keep at most `limit` characters (a print loop cannot grow them)."""
    setup = f"""import io as _vs_io, sys as _vs_sys
class _VSCapped(_vs_io.StringIO):
    def write(self, text):
        room = {limit} - self.tell()
        if room > 0:
            super().write(text[:room])
            if len(text) > room:
                super().write("\\n[output cut at {limit} characters]")
        return len(text)
buf_stdout = _vs_sys.stdout = _VSCapped()
buf_stderr = _vs_sys.stderr = _VSCapped()
"""
    return f"exec({setup!r})\n"


class ResilientInterpreter:
    """`CodeInterpreter` over a restartable Deno/Pyodide sandbox with a per-block watchdog."""

    def __init__(
        self,
        tools: dict[str, Callable[..., Any]] | None = None,
        output_fields: list[dict] | None = None,
        limits: SandboxLimits = SandboxLimits(),
        stop_reason: Callable[[], str | None] = _no_stop,
        on_record: Callable[[str, dict], None] | None = None,
        refuse_submit: Callable[[], str | None] = _no_stop,
    ) -> None:
        self.tools: dict[str, Callable[..., Any]] = dict(tools or {})
        self.output_fields = output_fields
        self.limits = limits
        self.stop_reason = stop_reason
        self.refuse_submit = refuse_submit
        self.events: list[dict] = []
        self.restarts = 0
        self._on_record = on_record
        self._inner: GuardedInterpreter | None = None
        self._registered: dict[str, Callable[..., Any]] = {}
        self._ended: str | None = None
        self._lock = threading.Lock()
        self._tool_started: float | None = None
        self._tool_seconds = 0.0

    @property
    def ended(self) -> str | None:
        """Why this interpreter ended the run itself (too many sandbox failures), if it did."""
        return self._ended

    # -- CodeInterpreter protocol ------------------------------------------------

    def start(self) -> None:
        self._start(self._ensure_inner())

    def shutdown(self) -> None:
        """Always returns: Deno gets a moment to exit, then is killed (see GuardedInterpreter.shutdown)."""
        if self._inner is not None:
            self._inner.shutdown()
            self._inner = None

    def __call__(self, code: str, variables: dict[str, Any] | None = None) -> Any:
        return self.execute(code, variables)

    def execute(self, code: str, variables: dict[str, Any] | None = None) -> Any:
        start = time.perf_counter()
        try:
            result = self._execute(code, variables)
        except (CodeExecutionError, SyntaxError) as err:
            self._emit("code", code=code, error=f"{type(err).__name__}: {err}", wall_s=time.perf_counter() - start)
            raise
        output = f"FINAL: {result.output}" if isinstance(result, FinalOutput) else result
        self._emit("code", code=code, output=output, wall_s=time.perf_counter() - start)
        return result

    def _execute(self, code: str, variables: dict[str, Any] | None) -> Any:
        if self._ended or self.stop_reason():
            return self._final()
        inner = self._ensure_inner()
        inner.resume()
        self._start(inner)
        timed_out: list[str] = []
        done = threading.Event()
        with self._lock:
            self._tool_seconds = 0.0
        inner.calls_this_block = 0
        started = time.monotonic()
        watchdog = threading.Thread(target=self._watch, args=(inner, started, done, timed_out), daemon=True)
        watchdog.start()
        try:
            result = inner.execute(output_cap(self.limits.max_output_chars) + code, variables)
        except (CodeExecutionError, SyntaxError):
            if self.stop_reason():
                return self._final()
            raise
        except CodeInterpreterError as err:
            return self._recover(timed_out[0] if timed_out else "crash", str(err))
        except Exception as err:  # the bridge must never end the run: whatever it raised restarts the sandbox
            inner.shutdown()
            return self._recover("crash", f"{type(err).__name__}: {err}")
        finally:
            done.set()
            watchdog.join()
            inner.pause()
        if self.stop_reason():
            return self._final()
        refusal = self.refuse_submit() if isinstance(result, FinalOutput) else None
        if refusal:
            return f"[Error] SUBMIT refused: {refusal}"
        return self._clip(result)

    # -- internals ----------------------------------------------------------------

    def _ensure_inner(self) -> GuardedInterpreter:
        if self._inner is None:
            self._inner = GuardedInterpreter(deno_command=deno_command(), limits=self.limits.bridge(), on_event=self._bridge_event)
        if self._registered.keys() != self.tools.keys() or any(self._registered[name] is not fn for name, fn in self.tools.items()):
            self._inner.tools = {name: self._timed(fn) for name, fn in self.tools.items()}
            reregister_tools(self._inner)
            self._registered = dict(self.tools)
        self._inner.output_fields = self.output_fields
        return self._inner

    def _bridge_event(self, event: dict) -> None:
        self.events.append(event)
        self._emit("event", source="sandbox", event=event)

    @staticmethod
    def _start(inner: GuardedInterpreter) -> None:
        try:
            inner.start()
        except CodeInterpreterError as err:
            raise SandboxError(f"the Deno/Pyodide sandbox did not start ({str(err)[:300]}); run `make setup` to repair the cache") from None

    def _timed(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a tool so the watchdog does not count host time spent in it."""

        @functools.wraps(fn)
        def call(**kwargs: Any) -> Any:
            with self._lock:
                self._tool_started = time.monotonic()
            try:
                return fn(**kwargs)
            finally:
                with self._lock:
                    self._tool_seconds += time.monotonic() - self._tool_started
                    self._tool_started = None

        return call

    def _split_seconds(self, started: float) -> tuple[float, float]:
        """(sandbox seconds, host tool seconds) of the running block."""
        now = time.monotonic()
        with self._lock:
            in_tool = now - self._tool_started if self._tool_started is not None else 0.0
            tools = self._tool_seconds + in_tool
        return now - started - tools, tools

    def _watch(self, inner: GuardedInterpreter, started: float, done: threading.Event, timed_out: list[str]) -> None:
        while not done.wait(0.05):
            sandbox, tools = self._split_seconds(started)
            if sandbox > self.limits.block_seconds:
                timed_out.append("timeout")
            elif tools > self.limits.tool_seconds:
                timed_out.append("tool_timeout")
            else:
                continue
            process = inner.deno_process
            if process is not None and process.poll() is None:
                process.kill()
            return

    def _recover(self, kind: str, detail: str) -> Any:
        self._inner = None  # PythonInterpreter already ended its session and reaped Deno
        self._registered = {}
        self.restarts += 1
        event = {"kind": f"sandbox_{kind}", "restart": self.restarts, "detail": detail[-300:]}
        self.events.append(event)
        self._emit("event", source="sandbox", event=event)
        if self.stop_reason():
            return self._final()
        if self.restarts > self.limits.max_restarts:
            self._ended = f"run ended: the sandbox failed {self.restarts} times ({kind})"
            return self._final()
        why = {
            "timeout": f"the code block ran past {self.limits.block_seconds:g} s and was stopped",
            "tool_timeout": f"the code block spent over {self.limits.tool_seconds:g} s inside tools and was stopped",
        }.get(kind, f"the sandbox crashed ({detail[:200]})")
        return (
            f"[Error] {why}. A fresh sandbox is ready: your Python variables are gone (inputs are "
            "set again), the mixer session is unchanged; call status() to see it. Keep code blocks short."
        )

    def _emit(self, kind: str, **payload: Any) -> None:
        if self._on_record is not None:
            self._on_record(kind, payload)

    def _final(self) -> FinalOutput:
        message = self._ended or self.stop_reason() or "run ended"
        names = [field["name"] for field in self.output_fields or [{"name": "output"}]]
        return FinalOutput({name: message for name in names})

    def _clip(self, result: Any) -> Any:
        limit = self.limits.max_output_chars + 100  # the sandbox cuts at max_output_chars and says so
        if isinstance(result, str) and len(result) > limit:
            return result[:limit] + f"\n[output truncated: {len(result) - limit} more characters]"
        return result


class SandboxFactory:
    """Zero-argument interpreter factory for `dspy.RLM`, carrying our runtime description."""

    def __init__(
        self,
        limits: SandboxLimits = SandboxLimits(),
        stop_reason: Callable[[], str | None] = _no_stop,
        on_record: Callable[[str, dict], None] | None = None,
        refuse_submit: Callable[[], str | None] = _no_stop,
    ) -> None:
        self.limits = limits
        self.stop_reason = stop_reason
        self.on_record = on_record
        self.refuse_submit = refuse_submit
        self.execution_instructions = EXECUTION_INSTRUCTIONS.format(seconds=limits.block_seconds)
        self.created: list[ResilientInterpreter] = []

    def __call__(self) -> ResilientInterpreter:
        interpreter = ResilientInterpreter(
            limits=self.limits,
            stop_reason=self.stop_reason,
            on_record=self.on_record,
            refuse_submit=self.refuse_submit,
        )
        self.created.append(interpreter)
        return interpreter
