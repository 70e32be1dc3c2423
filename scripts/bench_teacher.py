"""Benchmark: teacher search throughput, this teacher against teacher v1 (commit REFERENCE), in one run.

    .venv/bin/python scripts/bench_teacher.py [--vibes 24] [--budget 32] [--workers 2]

Both teachers run the same command on the same vibes (the first N of the test
split), with the same judge, budget, clip and worker count, each from a cold
output folder (no cache, no storage). Teacher v1 runs from a `git archive` of
REFERENCE in a temporary folder, so the reference is measured here, now, on
this machine, not quoted. Throughput is candidates rendered and judged per
minute of wall time (vibes x budget / seconds). Prints a table and the ratio
new / v1; nothing is asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from optimize.vibes.data import load_split

REFERENCE = "d85e015"  # the last commit of teacher v1 (per-trial commits to a shared SQLite study)
ROOT = Path(__file__).resolve().parents[1]


def _extract(commit: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True).stdout
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def _run(tree: Path, vibes: Path, out: Path, budget: int, workers: int, extra: list[str]) -> float:
    command = [
        sys.executable,
        "-m",
        "vibesynth",
        "teacher",
        "--split",
        str(vibes),
        "--budget",
        str(budget),
        "--workers",
        str(workers),
        "--no-export",
        "-o",
        str(out),
        *extra,
    ]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=tree, capture_output=True, text=True)  # cwd first on sys.path: that tree's code
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} (in {tree}) failed:\n{result.stderr[-2000:]}")
    return time.perf_counter() - start


def main(
    vibes: int = typer.Option(24, min=1, help="First N vibes of the test split."),
    budget: int = typer.Option(32, min=2, help="Candidates per vibe, both teachers."),
    workers: int = typer.Option(2, min=1, help="Worker processes, both teachers."),
) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench_teacher_"))
    path = work / "vibes.jsonl"
    path.write_text("".join(json.dumps({"id": r["id"], "vibe": r["vibe"], "split": "test"}) + "\n" for r in load_split("test", vibes)))
    reference = _extract(REFERENCE, work / "v1")
    seconds = {
        f"teacher v1 ({REFERENCE})": _run(reference, path, work / "out-v1", budget, workers, []),
        "teacher v2 (this tree)": _run(ROOT, path, work / "out-v2", budget, workers, []),
    }
    candidates = vibes * budget
    table = Table(title=f"teacher throughput: {vibes} test vibes x budget {budget}, {workers} workers, judge vibe, cold caches")
    for column in ("teacher", "wall s", "candidates / min"):
        table.add_column(column, justify="left" if column == "teacher" else "right")
    for name, wall in seconds.items():
        table.add_row(name, f"{wall:.1f}", f"{candidates / wall * 60:.0f}")
    console = Console()
    console.print(table)
    old, new = seconds.values()
    console.print(f"throughput ratio v2 / v1 = {old / new:.2f}x (same vibes, budget, judge and workers, measured in this run)")


if __name__ == "__main__":
    typer.run(main)
