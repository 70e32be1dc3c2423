"""`run.json`: the record a job keeps beside its results, under one name whatever the job.

The teacher, the DJ teacher, a study's report, a compile job, every distill
stage, the MusicGen LoRA, an eval run, an A/B run, a listening report and the
measurement scripts write their settings (and what they ran on) to
`OUT/run.json`; a resumed job reads it back and refuses other settings. Before
2026-12-08 each job named it its own way (`teacher.json`, `settings.json`,
`study.json`, `compile.json`, `config.json`); a folder that holds only its old
name is refused with the rename that fixes it, never started afresh over it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tools import safe_json
from tools.errors import ConfigError
from tools.files import write_json

RUN_FILE = "run.json"


def run_path(folder: str | Path) -> Path:
    return Path(folder) / RUN_FILE


def read_run(folder: str | Path, what: str, old_name: str | None = None) -> Any:
    """The folder's run.json parsed (None where it has none); `old_name`: what this job called it before."""
    path = run_path(folder)
    if path.is_file():
        return safe_json.read_file(path, what)
    if old_name:
        refuse_old_name(folder, old_name, what)
    return None


def refuse_old_name(folder: str | Path, old_name: str, what: str) -> None:
    """A ConfigError with the rename that fixes it, where the folder holds its record under the old name."""
    old = Path(folder) / old_name
    if old.is_file():
        raise ConfigError(f"{old} is the {what} an older vibesynth wrote; rename it to {RUN_FILE} (mv {old} {run_path(folder)}) and run again")


def write_run(folder: str | Path, record: dict) -> Path:
    return write_json(run_path(folder), record)
