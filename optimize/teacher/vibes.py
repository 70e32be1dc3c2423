"""The vibes a teacher job works through: shipped splits (optimize/data/vibes) or a JSONL file."""

from __future__ import annotations

from optimize.teacher.job import VibeItem
from optimize.vibes.data import SPLITS, load_split


def load_vibes(splits: str, limit: int | None = None) -> list[VibeItem]:
    """`train`, `val`, `test`, `all`, several joined by commas, or a .jsonl path (records with vibe, id, split)."""
    names = list(SPLITS) if splits == "all" else [name.strip() for name in splits.split(",") if name.strip()]
    items = []
    for name in names:
        for record in load_split(name):
            items.append(VibeItem(str(record["id"]), record["vibe"].strip(), str(record.get("split", name))))
    return items[:limit] if limit else items
