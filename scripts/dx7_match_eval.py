"""Sound matching over held-out DX7 factory voices: how much closer than the starting voice?

For each held-out voice (factory numbers n with n % 10 == 3: 13 voices, never
used to develop the matcher), search from INIT VOICE to match its renders
on the search probe (3 notes/velocities), then measure start and matched
voice on a held-out probe (4 other notes/velocities) with all four audio
distances and the seeds/003 parameter distance. Prints per-metric n, means,
mean improvement with 95% CI, paired t and Wilcoxon p. Resumable: one JSON
line per voice in OUT/results.jsonl; the config is written beside it.

    nice python scripts/dx7_match_eval.py --trials 100 --out runs/dx7-match-eval
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: threads only contend on a shared machine
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402

from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402
from rich.table import Table  # noqa: E402

from optimize.dx7_match import evaluate, match, target_from_voice  # noqa: E402
from optimize.dx7_report import paired_summary  # noqa: E402
from tools.dx7.distance import HELD_OUT_PROBE, METRICS, Probe  # noqa: E402
from tools.dx7.engine import Engine  # noqa: E402
from tools.dx7.factory import factory_entries  # noqa: E402
from tools.dx7.seed_form import parameter_distance  # noqa: E402
from tools.dx7.voice import Voice  # noqa: E402
from tools.files import write_json  # noqa: E402
from tools.run_record import read_run, run_path, write_run  # noqa: E402

HELD_OUT = tuple(n for n in range(1, 129) if n % 10 == 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--sampler", default="tpe")
    parser.add_argument("--metric", default="mrstft", choices=METRICS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=len(HELD_OUT), help="use the first N held-out voices")
    parser.add_argument("--out", type=Path, default=Path("runs/dx7-match-eval"))
    args = parser.parse_args()
    config = {
        "trials": args.trials,
        "sampler": args.sampler,
        "metric": args.metric,
        "seed": args.seed,
        "voices": list(HELD_OUT[: args.limit]),
        "start": "INIT VOICE",
        "search_probe": Probe().pairs,
        "held_out_probe": HELD_OUT_PROBE.pairs,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    before = read_run(args.out, "evaluation settings", old_name="config.json")
    if before is not None and before != json.loads(json.dumps(config)):
        raise SystemExit(f"{run_path(args.out)} differs from these options; use another --out or the same options to resume")
    write_run(args.out, config)
    results_path = args.out / "results.jsonl"
    done = {json.loads(line)["voice"]: json.loads(line) for line in results_path.read_text().splitlines()} if results_path.exists() else {}
    entries, engine, start = factory_entries(), Engine(), Voice()
    todo = [n for n in config["voices"] if n not in done]
    with Progress() as progress:
        task = progress.add_task("matching", total=len(todo) * args.trials)
        for number in todo:
            target = entries[number - 1].voice
            result = match(
                target_from_voice(target, Probe(), engine),
                start,
                args.trials,
                args.seed,
                args.sampler,
                args.metric,
                engine,
                progress=lambda: progress.advance(task),
            )
            row = {
                "voice": number,
                "name": target.name,
                "search_start": result.start_distance,
                "search_best": result.best_distance,
                "start": evaluate(start, target, HELD_OUT_PROBE, engine),
                "matched": evaluate(result.voice, target, HELD_OUT_PROBE, engine),
                "param_start": parameter_distance(start, target),
                "param_matched": parameter_distance(result.voice, target),
                "patch": result.voice.model_dump(mode="json"),
            }
            with results_path.open("a") as f:
                f.write(json.dumps(row) + "\n")
            done[number] = row
    rows = [done[n] for n in config["voices"] if n in done]
    summary = {m: paired_summary([r["start"][m] for r in rows], [r["matched"][m] for r in rows]) for m in METRICS}
    summary["search_objective"] = paired_summary([r["search_start"] for r in rows], [r["search_best"] for r in rows])
    summary["param_distance"] = paired_summary([r["param_start"] for r in rows], [r["param_matched"] for r in rows])
    write_json(args.out / "summary.json", summary)
    table = Table(title=f"DX7 matching from INIT VOICE, {args.sampler} {args.trials} trials on {args.metric}; held-out probe")
    for col in ("distance", "n", "start", "matched", "improvement [95% CI]", "rel.", "t p", "Wilcoxon p"):
        table.add_column(col)
    for name, s in summary.items():
        table.add_row(
            name,
            str(s["n"]),
            f"{s['start_mean']:.4g}",
            f"{s['matched_mean']:.4g}",
            f"{s['improvement_mean']:.4g} [{s['ci95_low']:.4g}, {s['ci95_high']:.4g}]",
            f"{100 * s['relative_improvement']:.1f}%",
            f"{s['t_p']:.3g}",
            f"{s['wilcoxon_p']:.3g}",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
