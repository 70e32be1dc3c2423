"""Where the project keeps generated files that never go into git."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def cache_root() -> Path:
    """`$VIBESYNTH_CACHE` if set and non-empty, else `.cache/vibesynth` in the repository root."""
    override = os.environ.get("VIBESYNTH_CACHE")
    return Path(override) if override else REPO_ROOT / ".cache" / "vibesynth"
