"""Build the refiner's instruction memory (`reference/refine_memory.npz`) from the edit tuning sets.

Every frozen edit set of optimize/data/edits except the held-out one of the day
(`optimize.eval.edits.HELD_OUT`, refused even when named) is embedded with MiniLM,
instruction by instruction, with its writer's label. The recall threshold is chosen
leave-one-set-out: each tuning set is recalled against a memory of the others, and the
threshold is the lowest cosine at which the nearest instruction's label equals the
item's own label in at least PRECISION of the items it recalls. The table of every
tried threshold is printed and written beside the memory as JSON.

    .venv/bin/python scripts/build_refine_memory.py            # the shipped memory
    .venv/bin/python scripts/build_refine_memory.py --sets dev-v1,dev-v2 -o /tmp/memory.npz
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aesthetics.embed import embed_texts  # noqa: E402
from optimize.eval.edits import EDIT_SETS, HELD_OUT, load_edit_set  # noqa: E402
from reference.refine_memory import MEMORY, Memory  # noqa: E402
from tools.files import file_sha256, write_json  # noqa: E402

PRECISION = 0.6  # a recalled edit must be the asked one at least 3 times in 5
THRESHOLDS = [round(0.40 + 0.05 * k, 2) for k in range(10)]


def label(expect: list[dict]) -> frozenset:
    return frozenset((e["field"], str(e.get("value", e.get("move"))), e.get("steps")) for e in expect)


def leave_one_set_out(sets: dict[str, list[dict]], vectors: dict[str, np.ndarray]) -> list[dict]:
    """Per threshold: items recalled and how many of them got their own label, each set against the others."""
    nearest = []  # (cosine, right) per item of every set
    for name, items in sets.items():
        others = [item for other in sets if other != name for item in sets[other]]
        cosines = vectors[name] @ np.vstack([vectors[o] for o in sets if o != name]).T
        for item, row in zip(items, cosines):
            best = int(np.argmax(row))
            nearest.append((float(row[best]), label(others[best]["expect"]) == label(item["expect"])))
    table = []
    for threshold in THRESHOLDS:
        recalled = [right for cosine, right in nearest if cosine >= threshold]
        table.append(
            {
                "threshold": threshold,
                "items": len(nearest),
                "recalled": len(recalled),
                "right": sum(recalled),
                "precision": sum(recalled) / len(recalled) if recalled else None,
            }
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", help="comma-separated tuning sets (default: every frozen set but the held-out one)")
    parser.add_argument("-o", "--out", type=Path, default=MEMORY)
    args = parser.parse_args()
    names = args.sets.split(",") if args.sets else sorted(p.stem for p in EDIT_SETS.glob("*.jsonl") if p.stem not in (HELD_OUT, "start-configs"))
    if HELD_OUT in names:
        raise SystemExit(f"{HELD_OUT} is the held-out edit set of the day: it is never put in the memory")
    sets = {name: load_edit_set(name) for name in names}
    vectors = {name: embed_texts([item["instruction"] for item in items]) for name, items in sets.items()}
    table = leave_one_set_out(sets, vectors)
    for row in table:
        print(
            f"cosine >= {row['threshold']:.2f}: recalled {row['recalled']:4d} of {row['items']}, "
            f"right {row['right']:4d}, precision {row['precision']:.3f}"
        )
    chosen = next((row for row in table if row["precision"] is not None and row["precision"] >= PRECISION), None)
    if chosen is None:
        raise SystemExit(f"no threshold reaches precision {PRECISION}; the memory was not written")
    memory = Memory(
        [item["instruction"] for items in sets.values() for item in items],
        [item["expect"] for items in sets.values() for item in items],
        np.vstack(list(vectors.values())),
        chosen["threshold"],
    )
    memory.save(args.out, {name: file_sha256(EDIT_SETS / f"{name}.jsonl") for name in names})
    write_json(
        args.out.with_suffix(".json"),
        {"sets": names, "held_out": HELD_OUT, "precision_target": PRECISION, "threshold": chosen["threshold"], "leave_one_set_out": table},
    )
    print(
        f"wrote {args.out} ({len(memory.instructions)} instructions from {', '.join(names)}; "
        f"threshold {chosen['threshold']}, leave-one-set-out precision {chosen['precision']:.3f})"
    )


if __name__ == "__main__":
    main()
