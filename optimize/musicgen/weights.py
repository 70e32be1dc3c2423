"""Where MusicGen weights are looked up, and the one line when they are missing.

As the scorer's checkpoints: an explicit path (`--checkpoint`), else
`$VIBESYNTH_MUSICGEN_CHECKPOINT`, else `<cache root>/checkpoints/musicgen-small`.
A checkpoint is a transformers folder (config.json, model weights, processor
files): what `save_pretrained` writes, what `huggingface-cli download
facebook/musicgen-small --local-dir DIR` fetches, or a LoRA run's `model/`.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from tools.errors import ConfigError
from tools.paths import cache_root

ENV = "VIBESYNTH_MUSICGEN_CHECKPOINT"
DEFAULT_REPO = "facebook/musicgen-small"
CACHE_NAME = "musicgen-small"
STACK = ("torch", "transformers")


def default_checkpoint() -> Path:
    """The folder used when no --checkpoint is given: the environment variable, else the cache."""
    return Path(os.environ.get(ENV) or cache_root() / "checkpoints" / CACHE_NAME)


def require_checkpoint(path: str | Path | None = None) -> Path:
    """The checkpoint folder to load, or ConfigError naming where it was expected and how to get it."""
    target = Path(path).expanduser() if path is not None else default_checkpoint()
    if not (target / "config.json").is_file():
        raise ConfigError(
            f"musicgen checkpoint not found at {target} (no config.json there). Weights cannot be downloaded on this "
            f"machine: where there is network, run `huggingface-cli download {DEFAULT_REPO} --local-dir {target}` "
            f"(or copy that folder here), or pass --checkpoint DIR, or set {ENV}=DIR"
        )
    return target


def require_stack(what: str = "musicgen") -> None:
    """One line when torch/transformers are missing: MusicGen runs in .venv-train, never in the core .venv."""
    missing = [name for name in STACK if importlib.util.find_spec(name) is None]
    if missing:
        raise ConfigError(
            f"{what} needs {' and '.join(missing)}, which this environment ({sys.prefix}) lacks; MusicGen runs in "
            "the training environment: run `make train-env`, then use .venv-train/bin/vibesynth "
            "(or pass --remote modal to generate on Modal's GPU)"
        )
