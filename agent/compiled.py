"""Compiled DSPy programs on disk: `program.json` (DSPy's own `save`, no pickles) and its `run.json` sidecar.

`vibesynth compile vibe` writes both into one folder; `--program PATH` (the
folder or the program.json) loads them in `render`, `eval` and the agent.
The sidecar names the optimizer, LM, data split hashes and metric version.
"""

from __future__ import annotations

import json
from pathlib import Path

from agent.vibe import VibeProgram
from tools.errors import AgentError, InputError
from tools.run_record import read_run, run_path

PROGRAM_FILE = "program.json"


def program_file(path: Path) -> Path:
    """The program.json a --program value names (a compile folder or the file itself)."""
    path = Path(path).expanduser()
    file = path / PROGRAM_FILE if path.is_dir() else path
    if not file.is_file():
        raise AgentError(
            f"no compiled program at {file}; pass --program a folder written by `vibesynth compile vibe` (it holds {PROGRAM_FILE}) or that file"
        )
    return file


def read_sidecar(path: Path) -> dict:
    """The run.json beside a program.json; an error names it when it is missing or unreadable."""
    folder = program_file(path).parent
    try:
        sidecar = read_run(folder, "compile record", old_name="compile.json")
    except InputError as err:
        raise AgentError(f"{err}; recompile the program") from None
    if sidecar is None:
        raise AgentError(f"{run_path(folder)} is missing: a program without its provenance is refused; recompile it")
    return sidecar


def load_vibe_program(path: Path, strict: bool = True):
    """A VibeProgram with the compiled instructions and demos, and its sidecar."""
    file = program_file(path)
    sidecar = read_sidecar(file)
    if sidecar.get("program") != "vibe":
        raise AgentError(
            f"{file} is a {sidecar.get('program')!r} program, not the vibe -> config program; pass a folder from `vibesynth compile vibe`"
        )
    program = VibeProgram(retries=int(sidecar.get("retries", 2)), strict=strict)
    try:
        program.load(str(file))
    except (KeyError, ValueError, json.JSONDecodeError) as err:
        raise AgentError(f"{file} is not a saved vibe program ({type(err).__name__}: {err}); recompile it") from None
    return program, sidecar


def load_for_sidecar(path: Path) -> tuple[VibeProgram, dict]:
    """The compiled vibe program and the record a render's sidecar keeps of it (its path and run.json)."""
    program, compiled = load_vibe_program(path)
    return program, {"path": str(program_file(path)), **compiled}
