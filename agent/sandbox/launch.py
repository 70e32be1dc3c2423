"""How the Deno/Pyodide sandbox is launched: offline, with the fewest permissions.

dspy's stock `runner.js` imports `readLines` from deno.land, which these machines
cannot reach; `deno/import_map.json` points that URL at our local shim. Pyodide
comes from the npm registry into a project `DENO_DIR`, filled once by `warm()`
(`make setup`), after which every launch runs with `--cached-only`.

Memory: the V8 heap is capped here (`--max-old-space-size`); the process as a
whole by an rlimit when it is spawned (agent.sandbox.bridge).

Permissions: read access to the runner and the Pyodide cache only (the runner
revokes the cache after start-up); no write, net, run, env, ffi or sys grants.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from agent.dspy_compat import RUNNER_JS, deno_executable
from tools.errors import SandboxError
from tools.paths import cache_root

_HERE = Path(__file__).resolve().parent
IMPORT_MAP = _HERE / "deno" / "import_map.json"
RUNNER = RUNNER_JS
V8_HEAP_MB = 512  # JS heap of one sandbox (Pyodide's wasm memory and ArrayBuffers are capped by an rlimit, see bridge)


def deno_dir() -> Path:
    return (cache_root() / "deno").resolve()


def _deno_env() -> dict[str, str]:
    return {"DENO_DIR": str(deno_dir()), "DENO_NO_PACKAGE_JSON": "1", "NO_COLOR": "1"}


def _common_flags() -> list[str]:
    return ["--no-config", "--no-lock", "--node-modules-dir=false", f"--import-map={IMPORT_MAP}"]


def is_warm() -> bool:
    """True when the Pyodide npm package is in the project cache."""
    return any((deno_dir() / "npm").glob("registry.npmjs.org/pyodide/*/pyodide.asm.wasm"))


def deno_command() -> list[str]:
    """The command that starts one sandbox (env vars passed through `env`)."""
    if not is_warm():
        raise SandboxError(
            f"the Pyodide cache in {deno_dir()} is empty, so the sandbox cannot start offline; "
            "run `make setup` (or `python -m agent.sandbox.warm`) once with access to the npm registry"
        )
    cache = str(deno_dir())
    env = [f"{key}={value}" for key, value in _deno_env().items()]
    return [
        "env",
        *env,
        deno_executable(),
        "run",
        *_common_flags(),
        "--cached-only",
        "--no-prompt",
        f"--v8-flags=--max-old-space-size={V8_HEAP_MB}",
        f"--allow-read={RUNNER},{cache}",
        str(RUNNER),
        "",  # runner.js reads its env-var allow-list here: none
        f"--dspy-deno-dir={cache}",
    ]


def warm() -> float:
    """Fetch Pyodide into the project cache unless it is there; returns seconds taken."""
    deno_dir().mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if is_warm():
        return 0.0
    result = subprocess.run(
        [deno_executable(), "cache", *_common_flags(), str(RUNNER)],
        env={**os.environ, **_deno_env()},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not is_warm():
        raise SandboxError(
            f"could not cache Pyodide into {deno_dir()} (deno said: {result.stderr.strip()[-400:]}); "
            "check access to https://registry.npmjs.org and run `python -m agent.sandbox.warm` again"
        )
    return time.perf_counter() - start
