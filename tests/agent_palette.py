"""A small palette built from the sample recipes into a temporary library (for agent tests)."""

from __future__ import annotations

import json
from pathlib import Path

from palettes.library import build_library

ROLES = ("kick", "hihat", "clap", "perc", "bassline", "texture", "synth", "fx")


def make_palette(root: Path, bpm: float = 128.0) -> Path:
    """Write `palette.json` (one variant per role) beside its library index; returns its path."""
    manifest = build_library(root=root / "samples", roles=ROLES, variants=1)
    (root / "index.json").write_text(manifest.model_dump_json())
    samples = {entry.role: {"id": entry.id, "sha256": entry.sha256} for entry in manifest.samples.values()}
    palette = {"id": "agent_test", "bpm": bpm, "library": "index.json", "samples": samples}
    path = root / "palette.json"
    path.write_text(json.dumps(palette))
    return path
