"""Paired comparison of a `vibesynth teacher-dj` job: each brief's best set vs the brief-reading reference's set.

    .venv/bin/python scripts/teacher_dj_report.py runs/teacher-dj [--json OUT.json]

Reads the job's storage (OUT/optuna.db): per brief, the reference's plan is the
first candidate and the best is the search's maximum, so best >= reference on
the objective BY CONSTRUCTION (the same judge picks and scores it: an in-sample
number, how much the search finds, not a held-out gain). Reports, for the
objective and for the dj reward alone: n, means, the mean paired difference
with its 95 % bootstrap CI and a Wilcoxon signed-rank p (optimize.eval.stats).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import optuna
from rich.console import Console
from rich.table import Table

from optimize.eval.stats import paired_test, summarise
from optimize.teacher.storage import open_storage
from tools.files import write_json


def rows(out: Path) -> list[dict]:
    storage = open_storage(f"sqlite:///{(out / 'optuna.db').resolve()}")
    found = []
    for summary in optuna.get_all_study_summaries(storage):
        candidates = summary.user_attrs.get("candidates") or []
        reference = next((c for c in candidates if c["source"] == "reference"), None)
        if reference is None:
            continue
        best = max(candidates, key=lambda c: c["value"])
        found.append(
            {
                "id": summary.study_name,
                "brief": summary.user_attrs.get("brief"),
                "trials": len(candidates),
                "reference": reference["value"],
                "best": best["value"],
                "reference_reward": reference["parts"]["dj_reward"],
                "best_reward": best["parts"]["dj_reward"],
            }
        )
    return sorted(found, key=lambda r: r["id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if not (args.out / "optuna.db").is_file():
        raise SystemExit(f"no {args.out / 'optuna.db'}; pass the --out folder of a vibesynth teacher-dj job")
    found = rows(args.out)
    if not found:
        raise SystemExit(f"{args.out} holds no finished brief yet; run vibesynth teacher-dj to the end first")
    report = {"n": len(found), "briefs": found, "note": "in-sample: best >= reference on the objective by construction"}
    table = Table("measure", "n", "reference mean", "best mean", "best - reference [95% CI]", "Wilcoxon p")
    for name, ref, best in (("objective", "reference", "best"), ("dj reward", "reference_reward", "best_reward")):
        test = paired_test([r[best] for r in found], [r[ref] for r in found])
        report[name] = {"reference": summarise([r[ref] for r in found]), "best": summarise([r[best] for r in found]), "paired": test}
        ci = test["diff_ci95"]
        table.add_row(
            name,
            str(len(found)),
            f"{report[name]['reference']['mean']:.4f}",
            f"{report[name]['best']['mean']:.4f}",
            f"{test['mean_diff']:+.4f} [{ci[0]:+.4f}, {ci[1]:+.4f}]" if ci else f"{test['mean_diff']:+.4f}",
            "n/a" if test["p"] is None else f"{test['p']:.3g}",
        )
    Console().print(table)
    Console().print("PROXY rewards (dj judge); in-sample: the search's best is chosen by the judge that scores it")
    if args.json:
        write_json(args.json, report)


if __name__ == "__main__":
    main()
