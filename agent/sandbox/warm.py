"""`python -m agent.sandbox.warm`: fill the project Pyodide cache (run by `make setup`)."""

from __future__ import annotations

import sys

from agent.sandbox.launch import deno_dir, warm
from tools.errors import SandboxError


def main() -> None:
    try:
        seconds = warm()
    except SandboxError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    print(f"sandbox cache ready in {deno_dir()} ({seconds:.1f} s)")


if __name__ == "__main__":
    main()
