"""Live rich display of a DJ run: bars, phase, energy, last tool call, guardrail messages."""

from __future__ import annotations

import json
import time
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table

if TYPE_CHECKING:
    from agent.dj import DJRun

MESSAGES_SHOWN = 4


class LiveBoard:
    """Feed it the tool-call records of `MixerTools` (`on_call`); it redraws the panel."""

    def __init__(self, run: DJRun, console: Console) -> None:
        self.run = run
        self.console = console
        self.bars = 0
        self.phase = "-"
        self.energy: float | None = None
        self.last_call = "-"
        self.calls = 0
        self.messages: deque[str] = deque(maxlen=MESSAGES_SHOWN)
        self._start = time.perf_counter()
        self._live = Live(self._render(), console=console, refresh_per_second=8, transient=False)

    def __enter__(self) -> LiveBoard:
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.update(self._render())
        self._live.__exit__(*exc)

    def update(self, record: dict) -> None:
        self.calls += 1
        self.bars = record["bars"]
        args = ", ".join(f"{key}={value!r}" for key, value in record["args"].items() if value is not None)
        self.last_call = f"{record['tool']}({args})"
        result = _parse(record["result"])
        if "phase" in result:
            self.phase = result["phase"]
        if "error" in result:
            self.messages.append(f"[red]{record['tool']}: {result['error']}[/]")
        for note in result.get("notes", []) or []:
            self.messages.append(f"[yellow]{note}[/]")
        for event in record.get("events", []):
            self.messages.append(f"[magenta]bar {event.get('bar', '?')}: {event.get('message', event)}[/]")
        self.energy = record.get("energy", self.energy)
        self._live.update(self._render())

    def _render(self) -> Panel:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        bars = Table.grid(padding=(0, 1))
        bars.add_row(ProgressBar(total=self.run.bars, completed=self.bars, width=40), f"{self.bars}/{self.run.bars}")
        grid.add_row("bars", bars)
        grid.add_row("phase", self.phase)
        grid.add_row("energy", "-" if self.energy is None else f"{self.energy:.2f} (1 = full groove)")
        grid.add_row("tool calls", str(self.calls))
        grid.add_row("last call", self.last_call)
        grid.add_row("elapsed", f"{time.perf_counter() - self._start:.1f} s")
        for message in self.messages:
            grid.add_row("", message)
        return Panel(grid, title=f"vibesynth dj · {self.run.policy.label}", subtitle=self.run.brief[:60])

    def print_summary(self, summary: dict, out_dir: Path) -> None:
        table = Table(title="DJ run", show_header=False)
        table.add_row("bars played", f"{summary['bars_played']}/{summary['bars_requested']} ({summary['ended_by']})")
        table.add_row("tool calls / LM calls", f"{summary['tool_calls']} / {summary['lm_calls']}")
        table.add_row("guardrail events", str(len(summary["guardrail_events"])))
        scores = summary.get("scores")
        if scores:
            shown = "  ".join(f"{k} {scores[k]:.2f}" for k in ("OBJ", "CE", "CU", "PC", "PQ") if scores.get(k) is not None)
            shown = shown or "  ".join(f"{k} {v:.3f}" for k, v in (scores.get("extra") or {}).items() if k.endswith("_reward"))
            table.add_row(f"scores ({scores['backend']} {scores['version']})", shown)
        table.add_row("wall time", f"{summary['wall_s']:.1f} s")
        table.add_row("output", f"{out_dir}/set.wav, trajectory.jsonl, summary.json")
        self.console.print()
        self.console.print(table)


def _parse(result: str) -> dict:
    try:
        parsed = json.loads(result)
    except (TypeError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}
