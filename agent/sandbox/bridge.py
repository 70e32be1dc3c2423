"""The host end of the sandbox's JSON-RPC pipe, read as hostile input.

Code in the sandbox can write anything to Deno's stdout (`js.Deno.stdout`,
`console.log`), so every line the host reads is untrusted. `GuardedInterpreter`
is dspy's `PythonInterpreter` with the reading side hardened:

- bytes that are not UTF-8 become U+FFFD instead of a UnicodeDecodeError;
- a line longer than `max_line_chars` is drained without being kept and ends
  the session (the block's output is over budget), never filling host memory;
- JSON lines go through `tools.safe_json` (nesting, huge integers, duplicate
  keys): an unusable message ends the session instead of raising
  RecursionError/ValueError into the run;
- a `tool_call` without a usable id or with non-object params (which the
  runner never sends) is ignored and recorded; one with an oversized
  argument or past the per-block call budget gets an error reply the LM
  sees, and the cut is recorded;
- Deno's memory is capped (V8 heap flag in the command, an address-space
  rlimit here) and its stderr is drained into a bounded tail;
- `shutdown()` always returns: Deno gets a moment to exit, then is killed
  (a pending timer, interval, Worker or asyncio task keeps it alive otherwise).

Every problem becomes a `CodeInterpreterError` (the sandbox restarts, see
`ResilientInterpreter`) or an event passed to `on_event`.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import threading
from collections import deque
from typing import Any, Callable, NoReturn

from dspy.primitives.code_interpreter import CodeInterpreterError
from dspy.primitives.python_interpreter import JSONRPC_PROTOCOL_ERRORS, PythonInterpreter, _jsonrpc_error, _jsonrpc_notification

from agent.sandbox.limits import BridgeLimits
from tools import safe_json
from tools.errors import InputError

SHUTDOWN_GRACE_S = 2.0
MESSAGE_DEPTH = 100  # nesting accepted in one bridge message


class GuardedInterpreter(PythonInterpreter):
    """`PythonInterpreter` that treats everything Deno writes as hostile (see module doc)."""

    def __init__(
        self,
        *args: Any,
        limits: BridgeLimits = BridgeLimits(),
        on_event: Callable[[dict], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.bridge_limits = limits
        self.on_event = on_event or (lambda event: None)
        self.calls_this_block = 0
        self._stderr_tail: deque[str] = deque(maxlen=64)

    # -- process --------------------------------------------------------------------

    def _spawn_process(self) -> None:
        memory = self.bridge_limits.memory_mb * 2**20

        def limit_memory() -> None:
            resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))

        try:
            self.deno_process = subprocess.Popen(
                self.deno_command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
                preexec_fn=limit_memory,
                start_new_session=True,
            )
        except OSError as err:
            raise CodeInterpreterError(f"Deno could not start ({err})") from None
        threading.Thread(target=self._drain_stderr, args=(self.deno_process,), daemon=True).start()
        self._health_check()

    def _drain_stderr(self, process: subprocess.Popen) -> None:
        for line in iter(lambda: process.stderr.readline(4096), ""):
            self._stderr_tail.append(line)

    def _stop(self, grace: float) -> None:
        process = self.deno_process
        if process is None or process.poll() is not None:
            return
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def _raise_terminal_error(self, message: str, cause: Exception | None = None) -> NoReturn:
        self._session_ended = True
        process = self.deno_process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        raise CodeInterpreterError(message) from cause

    def pause(self) -> None:
        """Stop Deno (and anything it started) while no block runs: leftover timers and tasks burn no CPU."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def _signal(self, sig: signal.Signals) -> None:
        process = self.deno_process
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, sig)  # its own session (start_new_session): the group is Deno's
            except ProcessLookupError:
                pass

    def shutdown(self) -> None:
        self.resume()  # a paused Deno cannot read the shutdown notice
        was_active = not self._session_ended
        self._session_ended = True
        process = self.deno_process
        if process is not None and process.poll() is None:
            if was_active:
                try:
                    process.stdin.write(_jsonrpc_notification("shutdown") + "\n")
                    process.stdin.close()
                except (OSError, ValueError):
                    pass
            self._stop(SHUTDOWN_GRACE_S if was_active else 0.0)
        self.deno_process = None
        self._owner_thread = None

    # -- reading ----------------------------------------------------------------------

    def _read_response_line(self, context: str) -> str:
        stdout = self.deno_process.stdout
        limit = self.bridge_limits.max_line_chars
        line = stdout.readline(limit + 1)
        if not line:
            exit_code = self.deno_process.poll()
            tail = "".join(self._stderr_tail)[-400:]
            self._raise_terminal_error(f"Deno exited (code {exit_code}) {context}: {tail}")
        if len(line) > limit and not line.endswith("\n"):
            size = len(line)
            while (more := stdout.readline(1 << 16)) and not more.endswith("\n"):
                size += len(more)
            size += len(more)
            self._record("output_over_budget", chars=size, limit=limit)
            self._raise_terminal_error(
                f"the sandbox wrote {size:,}+ characters in one message (limit {limit:,}) {context}; print less per code block"
            )
        return line.strip() or "(blank line)"

    def _parse_response_line(self, response_line: str, context: str) -> dict | None:
        if not response_line.startswith("{"):
            return None  # Pyodide's own chatter and stray prints: skipped, as dspy does
        try:
            message = safe_json.loads(response_line, "sandbox message", max_depth=MESSAGE_DEPTH)
        except InputError as err:
            self._record("bad_message", problem=str(err)[:300])
            self._raise_terminal_error(f"{err} {context}")
        return message

    # -- tool calls -------------------------------------------------------------------

    def _handle_tool_call(self, request: dict) -> None:
        request_id = request.get("id")
        if isinstance(request_id, bool) or not isinstance(request_id, (str, int)):
            self._record("forged_tool_call", problem="no usable id", id=repr(request_id)[:80])
            return  # nobody waits for an answer to a call without an id
        params = request.get("params")
        name = params.get("name") if isinstance(params, dict) else None
        kwargs = params.get("kwargs", {}) if isinstance(params, dict) else None
        if not isinstance(name, str) or not isinstance(kwargs, dict):
            # The runner never sends these, so nobody waits for the answer: a reply would only desynchronise the pipe.
            self._record("forged_tool_call", problem="params is not {name: str, kwargs: object}", params=repr(params)[:200])
            return
        self.calls_this_block += 1
        budget = self.bridge_limits.max_calls_per_block
        if self.calls_this_block > budget:
            if self.calls_this_block == budget + 1:
                self._record("tool_calls_over_budget", tool=name, limit=budget)
            self._refuse(request_id, f"this code block made more than {budget} tool calls; end the block and continue in the next one")
            return
        size = len(json.dumps(kwargs))
        if size > self.bridge_limits.max_arg_chars:
            self._record("tool_args_over_budget", tool=name, chars=size, limit=self.bridge_limits.max_arg_chars, head=json.dumps(kwargs)[:200])
            self._refuse(request_id, f"the arguments of {name}() are {size:,} characters of JSON; the limit is {self.bridge_limits.max_arg_chars:,}")
            return
        super()._handle_tool_call({"id": request_id, "params": {"name": name, "kwargs": kwargs}})

    def _refuse(self, request_id: str | int, message: str) -> None:
        response = _jsonrpc_error(JSONRPC_PROTOCOL_ERRORS["InvalidRequest"], message, request_id, {"type": "ValueError"})
        self._write_message(response, "while refusing a tool call")

    def _record(self, kind: str, **details: Any) -> None:
        self.on_event({"kind": f"bridge_{kind}", **details})
