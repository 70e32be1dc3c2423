"""Where heavy-backend checkpoints are expected, and the message when one is missing.

Default location: `$VIBESYNTH_CACHE/checkpoints/...` (or `.cache/vibesynth/checkpoints/...`
in the working directory), overridable per backend with an environment
variable or an explicit path (`--checkpoint`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tools.errors import ScorerError
from tools.paths import cache_root

CHECKPOINTS = {
    "clap": {
        "env": "VIBESYNTH_CLAP_CHECKPOINT",
        "file": "clap/630k-audioset-best.pt",
        "obtain": "download 630k-audioset-best.pt from the Hugging Face repo lukewys/laion_clap",
    },
    "audiobox": {
        "env": "VIBESYNTH_AUDIOBOX_CHECKPOINT",
        "file": "audiobox/checkpoint.pt",
        "obtain": "download checkpoint.pt from the Hugging Face repo facebook/audiobox-aesthetics",
    },
}


def default_checkpoint(backend: str) -> Path:
    spec = CHECKPOINTS[backend]
    return Path(os.environ.get(spec["env"]) or cache_root() / "checkpoints" / spec["file"])


def require_checkpoint(backend: str, path: str | Path | None) -> Path:
    """The checkpoint path to load, or ScorerError naming the expected path and how to obtain it."""
    spec = CHECKPOINTS[backend]
    target = Path(path) if path is not None else default_checkpoint(backend)
    if not target.is_file():
        raise ScorerError(
            f"{backend} checkpoint not found at {target}. Weights cannot be downloaded on this machine: "
            f"{spec['obtain']} where there is network, then put it at {target}, "
            f"or pass --checkpoint PATH, or set {spec['env']}."
        )
    return target


def require_torch(backend: str):
    """torch, or ScorerError pointing at the scorer environment where the heavy backends live."""
    try:
        import torch
    except ImportError:
        raise ScorerError(
            f"the {backend} backend needs torch, which this environment ({sys.prefix}) does not have; the heavy "
            f"scorers live in .venv-scorer: run `make scorer-env`, then `.venv-scorer/bin/vibesynth score FILE --backend {backend}`"
        ) from None
    return torch


def load_checkpoint(backend: str, path: Path):
    """`torch.load` of a checkpoint; an unreadable file is a ScorerError naming it, never a traceback."""
    torch = require_torch(backend)
    try:
        # Full pickle load, as the upstream packages do: released checkpoints hold more than tensors.
        return torch.load(path, map_location="cpu", weights_only=False)
    except Exception as err:  # noqa: BLE001  torch.load raises EOFError, UnpicklingError, RuntimeError, zip errors...
        raise ScorerError(
            f"{path} is not a readable {backend} checkpoint ({type(err).__name__}: {err}); "
            f"pass --checkpoint the right file ({CHECKPOINTS[backend]['obtain']})"
        ) from None
