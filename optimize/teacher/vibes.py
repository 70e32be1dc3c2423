"""Read the vibes a teacher job works through (JSONL records with id, vibe and split)."""

from __future__ import annotations

import json
from pathlib import Path

from optimize.teacher.job import VibeItem
from tools.errors import ConfigError

SPLITS = ("train", "val", "test", "all")


def load_vibes(path: Path, split: str = "all") -> list[VibeItem]:
    """Vibes of one split, in file order; each record needs a non-empty `vibe` (id and split have defaults)."""
    if split not in SPLITS:
        raise ConfigError(f"--split {split!r} is not a split; use one of {', '.join(SPLITS)}")
    if not path.is_file():
        raise ConfigError(f"no vibe set at {path}; pass --vibes FILE.jsonl (records with id, vibe, split)")
    items, seen = [], set()
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise ConfigError(f"{path}:{number} is not JSON ({err.msg}); one JSON object per line") from None
        if not isinstance(record, dict) or not str(record.get("vibe", "")).strip():
            raise ConfigError(f"{path}:{number} has no `vibe` text; each line needs {{\"vibe\": ...}}")
        item = VibeItem(str(record.get("id", f"line{number}")), record["vibe"].strip(), str(record.get("split", "train")))
        if item.id in seen:
            raise ConfigError(f"{path}:{number} repeats id {item.id!r}; ids must be unique")
        seen.add(item.id)
        if split in ("all", item.split):
            items.append(item)
    return items
