"""Benchmark the agent's sandbox and DJ runs; numbers for docs/results/2026-11-21-agent-speed.md.

    .venv/bin/python scripts/bench_sandbox.py [--palette FILE] [--starts 3] [--calls 300]

Measures (wall clock, this machine): sandbox start (Deno + Pyodide, to the first
result), per-tool-call overhead from inside the sandbox against calling the same
tool on the host, and end-to-end 64-bar DJ runs with the reference policy and
with a scripted LM (dspy DummyLM) driving the real RLM through the sandbox.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

import agent  # noqa: F401  (LITELLM_LOCAL_MODEL_COST_MAP before dspy)
from agent.dj import DJRun, LMPolicy, run_dj
from agent.dj.scripted import code_blocks, scripted_lm
from agent.lm import LMSpec
from agent.sandbox import ResilientInterpreter
from palettes.library import load_palette
from reference.arrangements import reference_calls
from reference.policies import FixedPolicy
from tools.mixer import MixerSession

console = Console()
ROOT = Path(__file__).resolve().parents[1]


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_start(starts: int) -> list[float]:
    times = []
    for _ in range(starts):
        interpreter = ResilientInterpreter()
        times.append(_timed(lambda: interpreter.execute("print(1)")))
        interpreter.shutdown()
    return times


def bench_tool_calls(palette_path: Path, calls: int) -> tuple[float, float]:
    """(seconds per status() call from the sandbox, seconds per direct host call)."""
    palette = load_palette(palette_path)
    session = MixerSession(palette.samples, palette.bpm, 64, alternatives=palette.alternatives)
    interpreter = ResilientInterpreter(tools=session.tools())
    try:
        interpreter.execute("status()")  # start and register outside the timing
        in_sandbox = _timed(lambda: interpreter.execute(f"for _ in range({calls}):\n    status()"))
    finally:
        interpreter.shutdown()
    direct = _timed(lambda: [session.status() for _ in range(calls)])
    return in_sandbox / calls, direct / calls


def bench_runs(palette_path: Path, out: Path) -> dict[str, float]:
    brief = "dark warehouse techno, hypnotic"
    results = {}
    scripted = LMPolicy(LMSpec("scripted/reference"), lm=scripted_lm(code_blocks(reference_calls("64"))))
    for label, policy, scorer in (
        ("fixed reference, scored (dsp)", FixedPolicy(), "dsp"),
        ("fixed reference, not scored", FixedPolicy(), None),
        ("scripted LM via RLM + sandbox, not scored", scripted, None),
    ):
        run = DJRun(brief, palette_path, policy, bars=64, scorer=scorer)
        outcome = None

        def play():
            nonlocal outcome
            outcome = run_dj(run, out / label.split(",")[0].replace(" ", "_"))

        results[label] = _timed(play)
        assert outcome.summary["bars_played"] == 64, outcome.summary["ended_by"]
    return results


def main(
    palette: Path = typer.Option(None, help="Palette JSON; default: the first in palettes/curated/."),
    starts: int = typer.Option(3, min=1, help="Sandbox starts to time."),
    calls: int = typer.Option(300, min=10, help="Tool calls per timing block."),
) -> None:
    palette = palette or sorted((ROOT / "palettes" / "curated").glob("*.json"))[0]
    start_times = bench_start(starts)
    per_call, direct = bench_tool_calls(palette, calls)
    with tempfile.TemporaryDirectory() as tmp:
        runs = bench_runs(palette, Path(tmp))
    table = Table(title=f"agent benchmark · palette {palette.stem}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("against", justify="right")
    table.add_row(
        f"sandbox start to first result (median of {starts})",
        f"{statistics.median(start_times):.2f} s",
        f"min {min(start_times):.2f} s, max {max(start_times):.2f} s",
    )
    table.add_row(
        "tool call from the sandbox (status)", f"{per_call * 1e3:.2f} ms", f"{per_call / direct:.0f}x a direct host call ({direct * 1e3:.3f} ms)"
    )
    reference = runs["fixed reference, not scored"]
    for label, seconds in runs.items():
        table.add_row(f"64-bar DJ run: {label}", f"{seconds:.2f} s", f"{seconds / reference:.1f}x fixed reference, not scored")
    console.print(table)


if __name__ == "__main__":
    typer.run(main)
