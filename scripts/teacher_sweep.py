"""Choose the teacher's objective defaults by measurement, on the reader's *dev* set (never the unseen set).

    .venv/bin/python scripts/teacher_sweep.py [--vibes 40] [--budget 32] [--workers 2] [-o docs/teacher-v2/sweep]

For each setting (contrast weight, K others, prior weight) the teacher searches
the first N vibes of `optimize/data/reader/dev-v1.jsonl` (the reader's tuning
set, with expected axis directions and field values), sharing one feature
cache. Per setting it reports, with 95% CIs:

- judge reward of the best config (the `vibe` judge, a CLAP proxy);
- specificity: that config's judge reward for its vibe minus its mean under a
  fixed panel of 8 other dev vibes (the same panel for every setting);
- field exact match and axis direction of the best configs against the set's
  expectations (the rule mapper's numbers alongside);
- distinct best configs (share of vibes whose config no other vibe has).

Writes results.json, run.json and sweep.png to the output folder; the
searches (one Optuna storage per setting, one shared feature cache) go to
--work, so a rerun with more settings only searches the new ones.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from aesthetics.vibe.reader import field_level
from agent.ab.stats import mean_ci
from optimize.eval.plots import pyplot, save_png
from optimize.eval.reader_check import DRIVERS, load_frozen, mapper_match, wilson
from optimize.teacher.dataset import distinct_share, study_records
from optimize.teacher.job import TeacherSettings, VibeItem, run_teacher
from optimize.teacher.judging import CandidateJudge
from optimize.teacher.reward import other_vibes
from reference.vibe_mapper import map_vibe
from tools.files import write_json
from tools.run_record import write_run
from tools.schema import MusicConfig

SETTINGS = {  # name -> (contrast, others, prior)
    "v1-like (0, -, 0)": (0.0, 8, 0.0),
    "prior only (0, -, 0.1)": (0.0, 8, 0.1),
    "contrast 0.5, K 8, prior 0.1": (0.5, 8, 0.1),
    "contrast 1, K 8, prior 0.1": (1.0, 8, 0.1),
    "contrast 1, K 4, prior 0.1": (1.0, 4, 0.1),
    "contrast 1, K 8, prior 0.3": (1.0, 8, 0.3),
    "contrast 1, K 8, prior 0.6": (1.0, 8, 0.6),
    "contrast 1, K 8, prior 1.0": (1.0, 8, 1.0),
    "contrast 0.5, K 8, prior 0.6": (0.5, 8, 0.6),
}
PANEL = 8


def direction(items: list[dict], config_of) -> dict:
    """Expected axis directions the config's driving field follows (field level above/below the middle)."""
    hits = []
    for item in items:
        config = config_of(item["text"])
        for axis, way in item["axes"].items():
            field = DRIVERS[axis][0] if axis in DRIVERS else None
            level = field_level(field, getattr(config, field)) if field else None
            if level is not None and level[1] != 0.5:
                hits.append((level[1] > 0.5) == (way == "high"))
    return wilson(sum(hits), len(hits))


def main(
    vibes: int = typer.Option(40, min=4),
    budget: int = typer.Option(32, min=2),
    workers: int = typer.Option(2, min=1),
    out: Path = typer.Option(Path("docs/teacher-v2/sweep"), "-o", "--out"),
    work: Path = typer.Option(Path("runs/teacher-sweep"), help="Searches and their feature cache."),
) -> None:
    items = load_frozen("dev-v1")[:vibes]
    vibe_items = [VibeItem(item["id"], item["text"], "dev") for item in items]
    texts = [item["text"] for item in items]
    cache = work / "feature_cache.sqlite"
    judge = CandidateJudge("vibe", TeacherSettings().clip, cache)
    results = {"rule mapper": {"exact": mapper_match(items)["exact"]["all"], "direction": direction(items, map_vibe)}}
    for name, (contrast, others, prior) in SETTINGS.items():
        settings = TeacherSettings(budget=budget, contrast=contrast, others=others, prior=prior)
        folder = work / name.split(" (")[0].replace(" ", "-").replace(",", "")
        url = run_teacher(vibe_items, folder, settings, workers=workers, cache_path=cache)
        records = {r["vibe"]: r for r in study_records(url, settings.record(url, "sweep", folder))}
        best = {text: MusicConfig.parse(records[text]["config"]) for text in texts}
        own, specific = [], []
        for item in vibe_items:
            features = judge.features(best[item.vibe])
            mine = judge.judge(item.vibe, features).reward
            panel = other_vibes(item.id, item.vibe, texts, PANEL, seed=12345)
            own.append(mine)
            specific.append(mine - float(np.mean([judge.judge(text, features).reward for text in panel])))
        results[name] = {
            "contrast": contrast,
            "others": others,
            "prior": prior,
            "judge_reward": mean_ci(own),
            "specificity": mean_ci(specific),
            "exact": mapper_match(items, lambda text: best[text])["exact"]["all"],
            "direction": direction(items, lambda text: best[text]),
            "distinct": distinct_share(list(records.values())),
        }
        Console().print(f"{name}: done")
    write_run(out, {"vibes": vibes, "set": "dev-v1", "budget": budget, "workers": workers, "panel": PANEL, "settings": SETTINGS})
    write_json(out / "results.json", results)
    _print(results)
    _plot(results, out / "sweep.png")


def _fmt(entry: dict | None) -> str:
    if entry is None:
        return "-"
    rate = entry.get("rate", entry.get("mean"))
    return f"{rate:.3f} [{entry['ci95'][0]:.3f}, {entry['ci95'][1]:.3f}]"


def _print(results: dict) -> None:
    table = Table(title="teacher objective sweep on dev-v1 (judge = vibe, a CLAP proxy); 95% CIs")
    for column in ("setting", "judge reward", "specificity", "exact match", "direction", "distinct"):
        table.add_column(column)
    for name, r in results.items():
        table.add_row(
            name,
            _fmt(r.get("judge_reward")),
            _fmt(r.get("specificity")),
            _fmt(r["exact"]),
            _fmt(r["direction"]),
            f"{r['distinct']:.0%}" if "distinct" in r else "-",
        )
    Console().print(table)


def _plot(results: dict, path: Path) -> None:
    plt = pyplot()
    names = [name for name in results if "judge_reward" in results[name]]
    metrics = ("judge_reward", "specificity", "exact", "direction")
    fig, axes = plt.subplots(1, len(metrics), figsize=(4 * len(metrics), 0.5 * len(names) + 2), sharey=True)
    for ax, metric in zip(axes, metrics, strict=True):
        for row, name in enumerate(names):
            entry = results[name][metric]
            value = entry.get("rate", entry.get("mean"))
            ax.errorbar(value, row, xerr=[[value - entry["ci95"][0]], [entry["ci95"][1] - value]], fmt="o", capsize=3)
        if metric in ("exact", "direction"):
            rule = results["rule mapper"][metric]["rate"]
            ax.axvline(rule, color="grey", linestyle="--", label="rule mapper")
            ax.legend(loc="lower right", fontsize=7)
        ax.set_title(metric.replace("_", " "))
    axes[0].set_yticks(range(len(names)), names)
    fig.suptitle("Teacher objective sweep, dev-v1 (vibe judge = CLAP proxy), 95% CIs")
    save_png(fig, path)


if __name__ == "__main__":
    typer.run(main)
