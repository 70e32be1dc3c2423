"""Compare one producer across two `vibesynth eval-edits` runs on the same cases (e.g. the refiner before and after a
tuning round): Wilson 95% CIs of each run and McNemar's exact test on the paired cases (all expectations met).

    python scripts/compare_edit_runs.py runs/edits-before runs/edits-after [--producer rule] [--json out.json]

The two runs must pair: same set, configs, seed and per-item count (checked from results.json), so the cases
line up one to one by instruction id and order.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from optimize.eval.edits import mcnemar
from optimize.eval.reader_check import wilson

PAIRED = ("set", "items", "per_item", "seed", "configs")


def cases(run: Path, producer: str) -> dict[tuple[str, int], dict]:
    """(instruction id, nth case of it) -> the case row of `producer`."""
    rows, seen = {}, defaultdict(int)
    for line in (run / "cases.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row["producer"] == producer:
            rows[row["id"], seen[row["id"]]] = row
            seen[row["id"]] += 1
    return rows


def compare(before: Path, after: Path, producer: str) -> dict:
    settings = [json.loads((run / "results.json").read_text())["settings"] for run in (before, after)]
    differ = [key for key in PAIRED if settings[0].get(key) != settings[1].get(key)]
    if differ:
        raise SystemExit(f"the runs do not pair: {', '.join(differ)} differ")
    old, new = cases(before, producer), cases(after, producer)
    if old.keys() != new.keys():
        raise SystemExit("the runs do not pair: their cases differ")
    keys = sorted(old)
    met = {name: [all(rows[k]["direction"]) for k in keys] for name, rows in (("before", old), ("after", new))}
    rates = {
        name: {
            "direction": wilson(*_count(x for k in keys for x in rows[k]["direction"])),
            "all_met": wilson(*_count(met[name])),
            "exact": wilson(*_count(x for k in keys for x in rows[k]["exact"])),
            "locality": wilson(*_count(rows[k]["local"] for k in keys)),
        }
        for name, rows in (("before", old), ("after", new))
    }
    return {"set": settings[0]["set"], "producer": producer, "cases": len(keys), **rates, "after_vs_before": mcnemar(met["before"], met["after"])}


def _count(values) -> tuple[int, int]:
    values = list(values)
    return sum(values), len(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--producer", default="rule")
    parser.add_argument("--json", type=Path, help="also write the comparison here")
    args = parser.parse_args()
    result = compare(args.before, args.after, args.producer)
    for name in ("before", "after"):
        print(
            f"{name:6} "
            + "  ".join(f"{key} {r['rate']:.3f} [{r['ci95'][0]:.3f}, {r['ci95'][1]:.3f}] (n = {r['n']})" for key, r in result[name].items())
        )
    test = result["after_vs_before"]
    print(
        f"{result['set']}, {result['cases']} paired cases: only before right {test['only_first']}, only after right "
        f"{test['only_this']}, McNemar exact p = {test['p']:.2g}"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
