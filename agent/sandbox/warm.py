"""`python -m agent.sandbox.warm`: fill the project Pyodide cache and check an offline start (`make setup`)."""

from __future__ import annotations

import sys
import time

from agent.sandbox.launch import deno_dir, warm
from agent.sandbox.resilient import ResilientInterpreter
from tools.errors import SandboxError


def check() -> float:
    """Start a sandbox from the cache alone and run one line; returns seconds taken."""
    start = time.perf_counter()
    interpreter = ResilientInterpreter()
    try:
        output = interpreter.execute("print(1 + 1)")
    finally:
        interpreter.shutdown()
    if str(output).strip() != "2":
        raise SandboxError(f"the sandbox started but answered {output!r} to print(1 + 1); run `make setup` again")
    return time.perf_counter() - start


def main() -> None:
    try:
        fetched = warm()
        started = check()
    except SandboxError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    source = f"fetched in {fetched:.1f} s" if fetched else "already cached"
    print(f"sandbox ready: Pyodide in {deno_dir()} ({source}); offline start {started:.1f} s")


if __name__ == "__main__":
    main()
