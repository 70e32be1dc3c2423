"""PNG plots of an evaluation run (matplotlib, Agg backend), each written atomically.

- `metrics.png`: one panel per metric, a bar per producer with its 95 % CI;
- `rewards.png`: the distribution of the judge reward per producer;
- `confusion_<producer>.png`: per field, the producer's value against the
  reference (the teacher's config when a teacher file is given, else the baseline's);
- `controllability.png`: share of pairs moved the right way, per axis and producer.
"""

from __future__ import annotations

import re
from pathlib import Path

from optimize.eval import controllability as ctl
from optimize.eval.report import METRICS
from tools.errors import ConfigError
from tools.files import write_atomic
from tools.schema import FIELDS, choices


def pyplot():
    try:
        import matplotlib
    except ImportError:
        raise ConfigError("plots need matplotlib (a core dependency); run `make setup`, or pass --no-plots") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_png(fig, path: Path) -> Path:
    plt = pyplot()
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110, bbox_inches="tight"))
    plt.close(fig)
    return path


def bar_chart(ax, names: list[str], summaries: list[dict], title: str) -> None:
    means = [s["mean"] if s["mean"] is not None else 0.0 for s in summaries]
    low = [m - s["ci95"][0] if s.get("ci95") else 0.0 for m, s in zip(means, summaries)]
    high = [s["ci95"][1] - m if s.get("ci95") else 0.0 for m, s in zip(means, summaries)]
    ax.bar(range(len(names)), means, yerr=[low, high], capsize=4, color="#4c72b0")
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=8)
    ax.set_title(title, fontsize=9)


def plot_metrics(results: dict, out: Path) -> Path:
    plt = pyplot()
    names = list(results["metrics"])
    keys = [k for k in METRICS if any(results["metrics"][n][k]["n"] for n in names)]
    fig, axes = plt.subplots(1, len(keys), figsize=(3.2 * len(keys), 3.4), squeeze=False)
    for ax, key in zip(axes[0], keys):
        bar_chart(ax, names, [results["metrics"][n][key] for n in names], METRICS[key][1].split(" (")[0])
    fig.suptitle(f"split {results['settings']['split']}, judge {results['judge']['judge']}: mean and 95% CI", fontsize=10)
    return save_png(fig, out / "metrics.png")


def plot_rewards(rows: list[dict], names: list[str], out: Path) -> Path:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.4))
    data = [[r["reward"] for r in rows if r["producer"] == n and r.get("reward") is not None] for n in names]
    shown = [(n, d) for n, d in zip(names, data) if d]
    if shown:
        ax.boxplot([d for _, d in shown], showmeans=True)
        ax.set_xticks(range(1, len(shown) + 1), [n for n, _ in shown], rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("judge reward")
    ax.set_title("judge reward per vibe (box: quartiles, triangle: mean)", fontsize=9)
    return save_png(fig, out / "rewards.png")


def plot_confusion(rows: list[dict], name: str, reference: str, out: Path) -> Path:
    """Per field: rows = reference value, columns = producer value, cells = share of the reference row."""
    import numpy as np

    plt = pyplot()
    by_id = {r["id"]: r for r in rows if r["producer"] == reference and r.get("config")}
    mine = [r for r in rows if r["producer"] == name and r.get("config")]
    fig, axes = plt.subplots(4, 5, figsize=(17, 13))
    for ax, field in zip(axes.flat, FIELDS):
        values = [str(v) for v in choices(field)]
        counts = np.zeros((len(values), len(values)))
        for row in mine:
            ref = row.get("teacher_config") or (by_id.get(row["id"]) or {}).get("config")
            if ref is not None:
                counts[values.index(str(ref[field])), values.index(str(row["config"][field]))] += 1
        shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
        ax.imshow(shares, vmin=0, vmax=1, cmap="Blues")
        ax.set_title(f"{field} (n={int(counts.sum())})", fontsize=9)
        ax.set_xticks(range(len(values)), values, rotation=90, fontsize=6)
        ax.set_yticks(range(len(values)), values, fontsize=6)
    axes.flat[-1].axis("off")
    fig.suptitle(f"{name} (columns) against {reference} (rows), share of each row", fontsize=11)
    fig.tight_layout()
    return save_png(fig, out / f"confusion_{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png")


def plot_controllability(results: dict, out: Path) -> Path:
    plt = pyplot()
    control = results["controllability"]["producers"]
    names, axes_names = list(control), list(ctl.AXES)
    fig, ax = plt.subplots(figsize=(1.6 * len(axes_names) + 2, 3.6))
    width = 0.8 / max(1, len(names))
    for i, name in enumerate(names):
        summaries = [control[name]["axes"][a] for a in axes_names]
        means = [s["mean"] or 0.0 for s in summaries]
        err = [
            [m - s["ci95"][0] if s.get("ci95") else 0 for m, s in zip(means, summaries)],
            [s["ci95"][1] - m if s.get("ci95") else 0 for m, s in zip(means, summaries)],
        ]
        ax.bar([j + i * width for j in range(len(axes_names))], means, width, yerr=err, capsize=3, label=name)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(axes_names))], axes_names)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("moved the right way")
    ax.legend(fontsize=8)
    return save_png(fig, out / "controllability.png")


def write_plots(results: dict, rows: list[dict], out: Path) -> list[Path]:
    names = list(results["metrics"])
    paths = [plot_metrics(results, out), plot_rewards(rows, names, out)]
    has_teacher = any(r.get("teacher_config") for r in rows)
    reference = "teacher file" if has_teacher else results["settings"]["baseline"]
    for name in names:
        if name != reference and results["producers"].get(name, {}).get("makes") != "audio":  # an audio producer has no fields
            paths.append(plot_confusion(rows, name, reference, out))
    if results.get("controllability"):
        paths.append(plot_controllability(results, out))
    return paths
