"""Replaying a recorded DJ set: its tool calls, re-issued, checked against the palette it was recorded with."""

from __future__ import annotations

from pathlib import Path

from agent.trajectory import read_trajectory
from reference.policies import CallsPolicy
from tools.errors import AgentError
from tools.instruments import DJ

REPLAY_PREFIX = "replay:"


def replay_policy(path: Path) -> CallsPolicy:
    """The recorded tool calls of a trajectory; `check` insists on the palette file it was recorded with."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise AgentError(f"no trajectory at {path}; pass --lm replay:PATH/trajectory.jsonl from an earlier run")
    trajectory = read_trajectory(path)
    header = trajectory.header
    calls = trajectory.tool_calls()
    unknown = sorted({name for name, _ in calls} - set(DJ.tool_names))
    if unknown:
        raise AgentError(f"{path} calls unknown tools {unknown}; it is not a vibesynth trajectory")
    return ReplayPolicy(
        calls,
        label=f"{REPLAY_PREFIX}{path}",
        extra={"trajectory": str(path)},
        path=path,
        recorded_palette=header.get("palette_sha256"),
        palette_path=Path(header["palette_path"]) if header.get("palette_path") else None,
    )


class ReplayPolicy(CallsPolicy):
    """A replayed trajectory: its calls, checked against the palette it was recorded with."""

    def __init__(self, calls, label, extra, path: Path, recorded_palette: str | None, palette_path: Path | None):
        super().__init__(calls, label=label, extra=extra)
        self.path = path
        self.recorded_palette = recorded_palette
        self.palette_path = palette_path

    def check(self, bars: int, palette_sha256: str | None) -> None:
        """The same calls over other samples are another set: the palette's sha256 must match the recording."""
        if self.recorded_palette is None:
            raise AgentError(f"{self.path} records no palette_sha256 (written before palettes were pinned); record the run again to replay it")
        if palette_sha256 is None:
            raise AgentError(f"no palette at {self.palette_path}, the one {self.path} was recorded with; restore it to replay")
        if palette_sha256 != self.recorded_palette:
            raise AgentError(
                f"the palette changed since {self.path} was recorded (sha256 differs); restore the recorded palette file to replay the run"
            )
