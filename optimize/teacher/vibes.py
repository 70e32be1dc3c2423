"""The vibes a teacher job works through: shipped splits (optimize/data/vibes), `control` (both sides of every
controllability pair) or a JSONL file."""

from __future__ import annotations

import re
from pathlib import Path

from optimize.eval.controllability import check_pairs
from optimize.teacher.job import VibeItem
from optimize.vibes.data import CONTROL_PATH, SPLITS, load_split, read_jsonl

CONTROL = "control"


def split_label(name: str) -> str:
    """A split's name as a file name: a JSONL path gives its stem (`my_vibes.jsonl` -> `my_vibes`)."""
    stem = Path(name).name.removesuffix(".gz").removesuffix(".jsonl") if name.endswith((".jsonl", ".jsonl.gz")) else name
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).strip("._") or "vibes"


def load_vibes(splits: str, limit: int | None = None) -> list[VibeItem]:
    """`train`, `val`, `test`, `all`, `control`, several joined by commas, or a .jsonl path (records with vibe, id,
    split)."""
    names = list(SPLITS) if splits == "all" else [name.strip() for name in splits.split(",") if name.strip()]
    items = []
    for name in names:
        if name == CONTROL:
            items += control_vibes()
            continue
        for record in load_split(name):
            items.append(VibeItem(str(record["id"]), record["vibe"].strip(), split_label(str(record.get("split", name)))))
    return items[:limit] if limit else items


def control_vibes() -> list[VibeItem]:
    """Each controllability pair's low then high vibe (`<pair id>-low`, `-high`): what the control dataset is built on."""
    return [
        VibeItem(f"{pair['id']}-{side}", pair[side].strip(), CONTROL)
        for pair in check_pairs(read_jsonl(CONTROL_PATH, "controllability set"))
        for side in ("low", "high")
    ]
