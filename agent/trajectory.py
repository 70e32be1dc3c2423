"""Trajectories: one JSON line per step of an agent run, written as it happens.

Record kinds (every record has `run_id`, `step`, `kind`, `t` = seconds since start):
- `run`: the run's configuration (first line);
- `lm`: one LM call: `messages` in, `outputs` out, `wall_s`;
- `code`: one code block run in the sandbox: `code`, `output` or `error`, `wall_s`;
- `tool`: one tool call: `tool`, `args`, `result`, `bars` (bars played after it), `wall_s`;
- `event`: a guardrail, sandbox or LM event;
- `submit`: the RLM's final summary when the run ended without the hard stop;
- `end`: how the run ended and the sha256 of its audio.

Lines are appended and flushed one by one, so a crashed run leaves a usable
file; a truncated final line is dropped on reading. Replaying the `tool`
records in order through a fresh session reproduces the run's audio.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from tools import safe_json
from tools.errors import AgentError, InputError
from tools.files import dumps_json


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


class TrajectoryWriter:
    """Appends records to a JSONL file, flushing after each one."""

    def __init__(self, path: Path, run_id: str | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.run_id = run_id or new_run_id()
        self.step = 0
        self.counts: Counter[str] = Counter()  # records written, by kind
        self._start = time.perf_counter()
        self._file = self.path.open("w", encoding="utf-8")

    def write(self, kind: str, **fields: Any) -> dict:
        record = {
            "run_id": self.run_id,
            "step": self.step,
            "kind": kind,
            "t": round(time.perf_counter() - self._start, 6),
            **fields,
        }
        self._file.write(dumps_json(record, default=str) + "\n")
        self._file.flush()
        self.step += 1
        self.counts[kind] += 1
        return record

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()

    def __enter__(self) -> TrajectoryWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Trajectory:
    """A trajectory read back from disk."""

    def __init__(self, path: Path, records: list[dict], truncated: bool) -> None:
        self.path = path
        self.records = records
        self.truncated = truncated  # the last line was cut off (the run crashed mid-write)

    @property
    def header(self) -> dict:
        first = self.records[0] if self.records else {}
        if first.get("kind") != "run":
            raise AgentError(f"{self.path} does not start with a `run` record; it is not a vibesynth trajectory")
        return first

    def tool_calls(self) -> list[tuple[str, dict]]:
        calls = []
        for record in self.of_kind("tool"):
            name, args = record.get("tool"), record.get("args", {})
            if not isinstance(name, str) or not isinstance(args, dict):
                raise AgentError(
                    f"{self.path} step {record.get('step')!r}: a tool record needs a `tool` name and "
                    "`args` object; the file is damaged or not a vibesynth trajectory"
                )
            calls.append((name, args))
        return calls

    def of_kind(self, kind: str) -> list[dict]:
        return [r for r in self.records if r.get("kind") == kind]


MAX_TRAJECTORY_BYTES = 512 * 1024 * 1024


def read_trajectory(path: Path) -> Trajectory:
    """Read a trajectory; malformed lines other than a cut-off last line are an error naming the line."""
    path = Path(path)
    try:
        data = safe_json.read_bytes(path, "trajectory", MAX_TRAJECTORY_BYTES)
    except InputError as err:
        raise AgentError(f"{err}; pass the trajectory.jsonl written by an earlier run") from None
    lines = data.split(b"\n")
    while lines and not lines[-1].strip():
        lines.pop()
    records: list[dict] = []
    truncated = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = safe_json.loads(line, f"line {number}", allow_nan=True)
        except InputError as err:
            if number == len(lines):
                truncated = True
                break
            raise AgentError(f"{path} {err}; the file is damaged or not a trajectory") from None
        if not isinstance(record, dict):
            raise AgentError(f"{path} line {number} is a JSON {type(record).__name__}, not a record object; it is not a vibesynth trajectory")
        records.append(record)
    if not records:
        raise AgentError(f"{path} is empty; the run wrote no steps")
    return Trajectory(path, records, truncated)
