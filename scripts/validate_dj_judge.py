"""2AFC validation of `dj` judge versions on a frozen DJ brief set (optimize/data/dj/, sha256 in FROZEN.md).

    .venv/bin/python scripts/validate_dj_judge.py --set dev-v1 [--judges dj-proxy-1,dj-proxy-2] [--bars 32]
        [--workers 2] [--out runs/dj-judge-validation] [--baseline OLD/SET/results.json] [--raw OLD/SET/raw.json]

For every brief of every pair, the brief-reading reference policy plays its set
(palette and tempo from reference.brief_mapper, arrangement from
reference.set_rules) through the mixer, `--bars` long, seed 0; the audio is
kept under $VIBESYNTH_CACHE/dj-sets (optimize.eval.dj_sets), keyed on the brief,
bars and the policy's code, so every set, version and rerun reuses it. Each
set's raw descriptors are kept in OUT/SET/raw-<descriptor code sha>.json (a
rerun resumes from them). Each judge version calibrates the same raw
descriptors and runs the trials (optimize.eval.dj_judge_check): n, hit rate,
Wilson 95 % CI, exact binomial p against chance per axis; exact McNemar of each
version against the first on the paired trials. OUT/SET/results.json holds the
settings (set sha256, judge version strings, calibration tables) beside the
numbers; OUT/SET/hit-rates.png the plot. All written atomically.

`--baseline` pairs each judge version with the same version's trials in an
earlier results.json (for a re-measurement after an upstream change, e.g. the
reader): exact McNemar on the matched trials, kept as `vs_baseline`. `--raw`
scores the raw descriptors of an earlier run (its kept raw.json, the same
descriptor code) instead of playing the sets now: the judge's change alone, on
the earlier audio.
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

from aesthetics.dj.axes import AXES
from optimize.eval.dj_judge_check import compare, compare_to_baseline, descriptor_fingerprint, measure_set, plot, summarise, trials
from optimize.eval.dj_sets import code_fingerprint
from optimize.eval.reader_check import load_frozen
from tools.files import file_sha256, write_json

SET_FOLDER = Path(__file__).resolve().parents[1] / "optimize" / "data" / "dj"
console = Console()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="heldout-v1", help="a frozen set of optimize/data/dj (dev-v1, heldout-v1, heldout-v2)")
    parser.add_argument("--judges", default="dj-proxy-1,dj-proxy-2", help="comma-separated dj judge versions; the first is the baseline")
    parser.add_argument("--bars", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("runs/dj-judge-validation"))
    parser.add_argument("--baseline", type=Path, help="an earlier results.json of this set: McNemar of each version against it")
    parser.add_argument("--raw", type=Path, help="score an earlier run's raw descriptors (raw.json) instead of playing the sets")
    args = parser.parse_args()
    versions = [v.strip() for v in args.judges.split(",") if v.strip()]
    unknown = [v for v in versions if v not in AXES]
    if unknown or not versions:
        raise SystemExit(f"unknown dj judge version(s) {unknown}; use some of: {', '.join(AXES)}")
    if args.bars < 1:
        raise SystemExit(f"--bars must be at least 1, not {args.bars}")
    pairs = load_frozen(args.set, SET_FOLDER)
    out = args.out / args.set
    baseline = json.loads(args.baseline.read_text()) if args.baseline else None
    if baseline and baseline["settings"]["set_sha256"] != file_sha256(SET_FOLDER / f"{args.set}.jsonl"):
        raise SystemExit(f"{args.baseline} was measured on another version of {args.set}")
    cache = args.raw or out / f"raw-{descriptor_fingerprint()}-{code_fingerprint()}-{args.bars}bars.json"
    raw: dict[str, dict] = json.loads(cache.read_text()) if cache.exists() else {}
    todo = sorted({p[side] for p in pairs for side in "ab"} - set(raw))
    if args.raw and todo:
        raise SystemExit(f"{args.raw} lacks {len(todo)} of the {args.set} briefs' sets")
    with ProcessPoolExecutor(args.workers) as pool:
        for brief, values in track(
            pool.map(measure_set, [(b, args.bars) for b in todo]), total=len(todo), description=f"playing and measuring the {args.set} briefs' sets"
        ):
            raw[brief] = values
            write_json(cache, raw)
    from aesthetics.dj.scorer import DjScorer

    results: dict = {
        "settings": {
            "set": f"{args.set}.jsonl",
            "set_sha256": file_sha256(SET_FOLDER / f"{args.set}.jsonl"),
            "bars": args.bars,
            "seed": 0,
            "policy": "reference (reference.set_rules)",
            "set_code": "(from --raw)" if args.raw else code_fingerprint(),
            "descriptor_code": descriptor_fingerprint(),
            "raw": str(cache),
            "baseline": str(args.baseline) if baseline else None,
            "trial": "under brief A, A's set must score above B's; ties are misses",
        },
        "judges": {},
    }
    rows = {}
    for version in versions:
        rows[version] = trials(pairs, raw, version)
        results["judges"][version] = {"version": DjScorer(version).version, "summary": summarise(rows[version]), "trials": rows[version]}
    for version in versions[1:]:
        results["judges"][version]["vs_" + versions[0]] = compare(rows[versions[0]], rows[version])
    for version in versions:
        if baseline and version in baseline["judges"]:
            results["judges"][version]["vs_baseline"] = {
                "baseline_version": baseline["judges"][version]["version"],
                **compare_to_baseline(baseline["judges"][version]["trials"], rows[version]),
            }
    write_json(out / "results.json", results)
    plot(results, out / "hit-rates.png")
    table = Table(
        "judge", "group", "n", "hit rate", "95% CI (Wilson)", "ties", "p (binomial, > 0.5)", f"vs {versions[0]} (McNemar: only first / only this, p)"
    )
    for version in versions:
        entry = results["judges"][version]
        for name, s in entry["summary"].items():
            test = entry.get("vs_" + versions[0], {}).get(name)
            paired = f"{test['only_first']} / {test['only_this']}, p={test['p']:.2g}" if test else ""
            table.add_row(
                version,
                name,
                str(s["n"]),
                f"{s['rate']:.3f}",
                f"[{s['ci95'][0]:.3f}, {s['ci95'][1]:.3f}]",
                str(s["ties"]),
                f"{s['p_vs_chance']:.2g}",
                paired,
            )
    console.print(table)
    if baseline:
        table = Table("judge", "group", "n", "before", "now", f"McNemar vs {args.baseline}: only before / only now, p")
        for version in versions:
            for name, test in results["judges"][version].get("vs_baseline", {}).items():
                if name != "baseline_version":
                    table.add_row(
                        version,
                        name,
                        str(test["n"]),
                        f"{test['rate_first']:.3f}",
                        f"{test['rate_this']:.3f}",
                        f"{test['only_first']} / {test['only_this']}, p={test['p']:.2g}",
                    )
        console.print(table)
    console.print(f"results in {out / 'results.json'}, plot {out / 'hit-rates.png'} (the dj judge is a PROXY)")


if __name__ == "__main__":
    main()
