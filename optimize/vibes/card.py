"""Write the vibe sets with their dataset card (HF-datasets README with a YAML header) and build record."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from optimize.vibes import taxonomy as tx
from optimize.vibes.generate import BuildStats, HoldOut
from tools.files import write_json, write_jsonl, write_text

FIELDS_DOC = """| field | type | meaning |
|---|---|---|
| `id` | string | `<split>-NNNNN`, unique within the split |
| `split` | string | `train`, `val` or `test` |
| `vibe` | string | the text a user would type |
| `template` | string | which template made it (`mood_place`, `time_in_place`, ..., `target*`) |
| `mood`, `mood2` | string or null | mood concepts used (seeds/000 section 3 moods, widened) |
| `place` | string or null | place concept |
| `time` | string or null | time of day or season |
| `era` | string or null | era adjective (retro, ancient, ...) |
| `activity` | string or null | activity or event |
| `target_field`, `target_value` | string or null | for targeted vibes: the rare MusicConfig value the phrase asks for (booleans as `true`) |"""


def card(splits: dict[str, list[dict]], holdout: HoldOut, stats: BuildStats, config: dict) -> str:
    sizes = {name: len(records) for name, records in splits.items()}
    templates = Counter(r["template"] for records in splits.values() for r in records)
    targets = Counter((r["target_field"], r["target_value"]) for r in splits.get("train", []) if r["target_field"])
    held = holdout.as_dict()
    lines = [
        "---",
        "license: gpl-3.0",
        "language: [en]",
        "pretty_name: vibesynth vibe sets",
        "size_categories: [1K<n<10K]",
        "configs:",
        "- config_name: default",
        "  data_files:",
        *[f"  - split: {name}\n    path: {name}.jsonl" for name in splits],
        "---",
        "",
        "# vibesynth vibe sets",
        "",
        'Short texts describing a mood, place, time or activity ("melancholic forest at dusk",',
        '"3am in an empty office"), the inputs of the vibe -> MusicConfig task. Generated',
        "from the taxonomy of seeds/000 section 3 by `scripts/make_vibe_sets.py`",
        f"(seed {config['seed']}); deterministic: the same seed and embedder give the same files.",
        "Synthetic and template-made: the phrasing is narrower than what people type.",
        "",
        "## Splits",
        "",
        "| split | vibes |",
        "|---|---|",
        *[f"| {name} | {n} |" for name, n in sizes.items()],
        "",
        "**Test holds out whole concepts**: the moods and places below never occur in train or",
        "val (neither as a concept field nor as words in a vibe text), so test measures",
        "generalisation to unseen concepts. Val holds out its own, separate concepts the same way.",
        "Times, eras and activities are shared by all splits.",
        "",
        f"- test-only moods: {', '.join(held['test_moods'])}",
        f"- test-only places: {', '.join(held['test_places'])}",
        f"- val-only moods: {', '.join(held['val_moods'])}",
        f"- val-only places: {', '.join(held['val_places'])}",
        "",
        "## Records",
        "",
        FIELDS_DOC,
        "",
        "## How it was built",
        "",
        f"- {stats.candidates} candidates from {len(templates)} templates and "
        f"{sum(len(p) for p in tx.TARGETS.values())} targeted phrases for {len(tx.TARGETS)} rare values;",
        f"- {stats.exact_duplicates} exact duplicates dropped (normalised text: lowercase, punctuation off);",
        f"- {stats.dropped_two_holdouts} dropped for mixing a test and a val concept, "
        f"{stats.dropped_surface_leak} for naming a held-out concept's words outside its split;",
        f"- {stats.near_duplicates} near-duplicates dropped: cosine >= {config['threshold']} between "
        f"{config['embedder']} embeddings, across all splits (the first in a seeded order is kept);",
        "- each split then cut to its size, targeted vibes first.",
        "",
        "Templates in the files: " + ", ".join(f"`{t}` {n}" for t, n in sorted(templates.items())) + ".",
        "",
        "Targeted rare values in train (field=value: vibes): " + ", ".join(f"{f}={v}: {n}" for (f, v), n in sorted(targets.items())) + ".",
        "",
        'Load with `datasets.load_dataset("json", data_files={"train": "train.jsonl", "val": "val.jsonl", '
        '"test": "test.jsonl"})` or `optimize.vibes.data.load_split("test")`. `controllability.jsonl` beside them',
        "is a separate labelled set of vibe pairs (see `optimize/eval/controllability.py`).",
        "",
    ]
    return "\n".join(lines)


def write_sets(out_dir: Path, splits: dict[str, list[dict]], holdout: HoldOut, stats: BuildStats, config: dict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, records in splits.items():
        write_jsonl(out_dir / f"{name}.jsonl", records)
    write_json(out_dir / "build.json", {"config": config, "holdout": holdout.as_dict(), "stats": stats.__dict__})
    write_text(out_dir / "README.md", card(splits, holdout, stats, config))
