"""The vibes a teacher job works through: shipped splits (optimize/data/vibes) or a JSONL file."""

from __future__ import annotations

import re
from pathlib import Path

from optimize.teacher.job import VibeItem
from optimize.vibes.data import SPLITS, load_split


def split_label(name: str) -> str:
    """A split's name as a file name: a JSONL path gives its stem (`my_vibes.jsonl` -> `my_vibes`)."""
    stem = Path(name).name.removesuffix(".gz").removesuffix(".jsonl") if name.endswith((".jsonl", ".jsonl.gz")) else name
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).strip("._") or "vibes"


def load_vibes(splits: str, limit: int | None = None) -> list[VibeItem]:
    """`train`, `val`, `test`, `all`, several joined by commas, or a .jsonl path (records with vibe, id, split)."""
    names = list(SPLITS) if splits == "all" else [name.strip() for name in splits.split(",") if name.strip()]
    items = []
    for name in names:
        for record in load_split(name):
            items.append(VibeItem(str(record["id"]), record["vibe"].strip(), split_label(str(record.get("split", name)))))
    return items[:limit] if limit else items
