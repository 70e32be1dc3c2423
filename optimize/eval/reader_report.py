"""Print and plot a `reader_check` run on a frozen vibe set (judge 2AFC, ablation, mapper match, audio ends)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from optimize.eval.plots import pyplot, save_png

TARGETS = {"judge 2AFC": 0.80, "mapper exact match": 0.75, "audio side: field ends ordered": 0.95}


def _ci(r: dict) -> str:
    return f"{r['rate']:.3f} [{r['ci95'][0]:.3f}, {r['ci95'][1]:.3f}] (n={r['n']})" if r["n"] else "n=0"


def print_summary(u: dict) -> None:
    print(f"== {u['set']} ({u['items']} vibes): the judge's 2AFC, matching vs one-field-flipped render (Wilson 95% CI)")
    for key, r in u["two_afc"]["summary"].items():
        print(f"2AFC {key:11s} {_ci(r)}")
    for label, r in u["ablation"].items():
        print(f"ablation {label:40s} {_ci(r)}")
    for key, causes in u.get("misses", {}).items():
        print(f"misses {key:11s} " + ", ".join(f"{cause} {n}" for cause, n in causes.items()))
    for kind in ("exact", "within_one"):
        for key, r in u["mapper"][kind].items():
            print(f"mapper {kind:10s} {key:10s} {_ci(r)}")
    ends = u["audio_ends"]
    for key, r in ends["summary"].items():
        print(f"audio ends {key:11s} {_ci(r)} ({ends['configs']} configs of {ends['split']} x seeds {ends['seeds']})")
    if "paired" in u:
        p = u["paired"]
        print(
            f"paired 2AFC vs {p['judge_version']} on the same trials: before {_ci(p['before'])} after {_ci(p['after'])} "
            f"difference {p['difference']:+.3f}, gained {p['trials_gained']} lost {p['trials_lost']}, "
            f"exact McNemar p={p['mcnemar_exact_p']:.2g}"
        )


def plot(u: dict, path: Path) -> Path:
    plt = pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.5))
    panels = (u["two_afc"]["summary"], u["mapper"]["exact"], u["audio_ends"]["summary"])
    for ax, rows, (title, target) in zip(axes, panels, TARGETS.items(), strict=True):
        keys = [k for k in rows if rows[k]["n"]]
        rates = [rows[k]["rate"] for k in keys]
        err = np.array([[r - rows[k]["ci95"][0], rows[k]["ci95"][1] - r] for k, r in zip(keys, rates)]).T
        ax.bar(keys, rates, yerr=err, capsize=3, color=["tab:orange" if k == "all" else "tab:blue" for k in keys])
        ax.axhline(target, ls="--", color="k", lw=1, label=f"target {target:.2f}")
        ax.set_ylim(0, 1.02)
        ax.set_title(f"{title} (Wilson 95 % CI)")
        ax.tick_params(axis="x", rotation=60)
        ax.legend(loc="lower right")
    fig.suptitle(f"{u['set']}: words the project was not written for ({u['items']} vibes)")
    fig.tight_layout()
    return save_png(fig, path)
