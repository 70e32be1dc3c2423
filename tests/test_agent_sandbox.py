"""The real Deno/Pyodide sandbox: offline start, escape battery, runaway code, crash recovery."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

import agent  # noqa: F401  (sets LITELLM_LOCAL_MODEL_COST_MAP before dspy loads)
from agent.sandbox import ResilientInterpreter, SandboxLimits, deno_command, deno_dir
from agent.sandbox.launch import IMPORT_MAP, RUNNER

from sandbox_support import needs_sandbox

pytestmark = needs_sandbox

REPO = Path(__file__).resolve().parents[1]


class Counter:
    def __init__(self) -> None:
        self.calls: list[dict] = []

    def bump(self, by: int = 1) -> str:
        self.calls.append({"by": by})
        return json.dumps({"total": sum(c["by"] for c in self.calls)})


@pytest.fixture(scope="module")
def sandbox():
    counter = Counter()
    interpreter = ResilientInterpreter(tools={"bump": counter.bump}, limits=SandboxLimits(block_seconds=5))
    interpreter.counter = counter
    yield interpreter
    interpreter.shutdown()


def test_launch_is_offline_and_unprivileged():
    command = deno_command()
    joined = " ".join(command)
    assert "--cached-only" in command and "--no-prompt" in command
    assert f"--import-map={IMPORT_MAP}" in command
    for grant in ("--allow-net", "--allow-write", "--allow-run", "--allow-env", "--allow-ffi", "--allow-sys", "--allow-all", " -A "):
        assert grant not in joined
    (read_flag,) = [arg for arg in command if arg.startswith("--allow-read=")]
    assert read_flag.removeprefix("--allow-read=").split(",") == [str(RUNNER), str(deno_dir())]
    assert json.loads(IMPORT_MAP.read_text())["imports"]["https://deno.land/std@0.186.0/io/mod.ts"]


def test_tools_are_called_on_the_host(sandbox):
    output = sandbox.execute("import json\nprint(json.loads(bump(by=2))['total'])\nprint(bump(3))")
    assert output.splitlines() == ["2", '{"total": 5}']
    assert sandbox.counter.calls == [{"by": 2}, {"by": 3}]


ESCAPES = {
    "python reads a host file": "open('/etc/passwd').read()",
    "deno reads a host file": "from js import Deno\nDeno.readTextFileSync('/etc/passwd')",
    "deno reads the repository": f"from js import Deno\nDeno.readTextFileSync({str(REPO / 'pyproject.toml')!r})",
    "deno reads the pyodide cache after start": (f"from js import Deno\nDeno.readTextFileSync({str(deno_dir() / 'dep_analysis_cache_v2')!r})"),
    "deno writes a host file": "from js import Deno\nDeno.writeTextFileSync('{target}', 'x')",
    "deno opens a socket": "from js import Deno\nawait Deno.connect(hostname='127.0.0.1', port={port})",
    "fetch reaches the network": "from js import fetch\nawait fetch('http://127.0.0.1:{port}/')",
    "pyodide http reaches the network": "from pyodide.http import pyfetch\nawait pyfetch('http://127.0.0.1:{port}/')",
    "deno starts a process": "from js import Deno\nDeno.Command.new('/bin/sh').outputSync()",
    "python starts a process": "import subprocess\nsubprocess.run(['/bin/sh', '-c', 'touch {target}'])",
    "os.system starts a process": "import os\nassert os.system('touch {target}') == 0",
    "deno reads the environment": "from js import Deno\nDeno.env.get('VIBESYNTH_SECRET')",
    "python sees the host environment": "import os\nassert 'VIBESYNTH_SECRET' in os.environ",
    "deno loads native code": "from js import Deno\nDeno.dlopen('/lib/x86_64-linux-gnu/libc.so.6', {{}})",
    "deno asks for more permissions": (
        "from js import Deno, Object\nimport pyodide.ffi\n"
        "state = (await Deno.permissions.request(pyodide.ffi.to_js({{'name': 'read'}}, dict_converter=Object.fromEntries))).state\n"
        "assert state == 'granted', state"
    ),
    "pip fetches a package": "import micropip",
    "numpy is fetched": "import numpy",
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_escape_battery_is_contained(sandbox, name, tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_SECRET", "hunter2")
    target = tmp_path / "escaped"
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.2)
        code = ESCAPES[name].format(target=target, port=listener.getsockname()[1])
        wrapped = "try:\n" + "".join(f"    {line}\n" for line in code.splitlines())
        wrapped += "    print('ESCAPED')\nexcept BaseException as err:\n    print('BLOCKED', type(err).__name__, str(err)[:200])\n"
        output = sandbox.execute(wrapped)
        with pytest.raises(socket.timeout):
            listener.accept()
    # contained = refused inside the sandbox, or the sandbox died trying (and was replaced)
    assert "ESCAPED" not in output, output
    assert "BLOCKED" in output or output.startswith("[Error] the sandbox crashed"), output
    assert "hunter2" not in output and "root:" not in output
    assert not target.exists()


def test_runaway_code_is_stopped_and_the_session_goes_on(sandbox):
    sandbox.execute("kept = 41")
    restarts = sandbox.restarts
    output = sandbox.execute("while True:\n    pass")
    assert output.startswith("[Error] the code block ran past 5 s")
    assert sandbox.restarts == restarts + 1 and sandbox.events[-1]["kind"] == "sandbox_timeout"
    # a fresh sandbox with the tools registered again; Python state is gone, host state is not
    calls = len(sandbox.counter.calls)
    assert "NameError" in sandbox.execute("try:\n    kept\nexcept NameError as e:\n    print('NameError')")
    assert json.loads(sandbox.execute("print(bump(1))"))["total"] == sum(c["by"] for c in sandbox.counter.calls)
    assert len(sandbox.counter.calls) == calls + 1


def test_a_crash_is_survived_and_host_time_is_not_counted(sandbox):
    sandbox.execute("print(1)")
    sandbox._inner.deno_process.kill()  # what a Deno crash looks like from the host
    output = sandbox.execute("print(bump(1))")
    assert output.startswith("[Error] the sandbox crashed")
    assert sandbox.events[-1]["kind"] == "sandbox_crash"
    assert "total" in sandbox.execute("print(bump(1))")


def test_output_is_clipped(sandbox):
    output = sandbox.execute("print('x' * 50_000)")
    assert len(output) < SandboxLimits().max_output_chars + 100
    assert output.rstrip().endswith(f"[output cut at {SandboxLimits().max_output_chars} characters]")


def test_too_many_failures_end_the_run_cleanly():
    interpreter = ResilientInterpreter(output_fields=[{"name": "summary"}], limits=SandboxLimits(block_seconds=1, max_restarts=0))
    try:
        result = interpreter.execute("while True:\n    pass")
    finally:
        interpreter.shutdown()
    assert result.output == {"summary": "run ended: the sandbox failed 1 times (timeout)"}
    assert interpreter.ended


def test_hard_stop_turns_into_final_output():
    stop: list[str] = []

    def play(bars: int = 1) -> str:
        stop.append("set complete: 8 bars played")
        raise RuntimeError("SetComplete")

    interpreter = ResilientInterpreter(
        tools={"play": play},
        output_fields=[{"name": "summary"}],
        stop_reason=lambda: stop[0] if stop else None,
        refuse_submit=lambda: "8 bars left",
    )
    try:
        early = interpreter.execute("SUBMIT(summary='done already')")
        result = interpreter.execute("play(8)\nprint('never')")
        again = interpreter.execute("print('after the stop')")
    finally:
        interpreter.shutdown()
    assert early == "[Error] SUBMIT refused: 8 bars left"
    assert result.output == {"summary": "set complete: 8 bars played"}
    assert again.output == result.output
