"""The edit benchmark's report: a Markdown table with Wilson CIs and McNemar tests, and one PNG."""

from __future__ import annotations

from pathlib import Path

METRICS = (
    ("direction", "asked field moved the right way (per expectation)"),
    ("all_met", "every expectation of the instruction met (per case)"),
    ("exact", "exact steps / value (per expectation)"),
    ("locality", "no other field moved (per case)"),
    ("audio", "the axis descriptor (DSP PROXY) moved the right way (per expectation, rendered subset)"),
)


def cell(rate: dict) -> str:
    if not rate or rate.get("rate") is None:
        return "n = 0"
    low, high = rate["ci95"]
    return f"{rate['rate']:.3f} [{low:.3f}, {high:.3f}] (n = {rate['n']})"


def markdown(summary: dict, settings: dict) -> str:
    names = list(summary)
    lines = [
        f"# Edit benchmark: {settings['set']} ({settings['date']})",
        "",
        f"{summary[names[0]]['cases']} cases: {settings['items']} held-out instructions x up to {settings['per_item']} "
        f"held-out configs each (the teacher v2's best configs for test vibes) on which every expectation can be met. "
        f"Audio: the first {settings['audio_cases']} cases rendered ({settings['duration']:g} s at {settings['sample_rate']} Hz, "
        f"seed {settings['seed']}), descriptors of the `vibe` judge (a DSP PROXY). Rates: mean [Wilson 95% CI] (n). "
        "Targets (issue #26): direction >= 0.95, locality >= 0.90.",
        "",
        "| metric | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for key, label in METRICS:
        lines.append(f"| {label} | " + " | ".join(cell(summary[n][key]) for n in names) + " |")
    lines += ["", f"Paired against `{names[0]}` on the same cases (all expectations met, McNemar exact):", ""]
    for name in names[1:]:
        test = summary[name][f"vs_{names[0]}"]
        lines.append(f"- `{name}`: {test['only_first']} cases only `{names[0]}` got right, {test['only_this']} only `{name}`; p = {test['p']:.2g}")
    lines += ["", "Every expectation met, by category:", "", "| category | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for category in summary[names[0]]["all_met_by_category"]:
        lines.append(f"| {category} | " + " | ".join(cell(summary[n]["all_met_by_category"].get(category, {})) for n in names) + " |")
    lines += [
        "",
        "Audio descriptor moved the right way, by axis (DSP PROXY):",
        "",
        "| axis | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for axis in summary[names[0]]["audio_by_axis"]:
        lines.append(f"| {axis} | " + " | ".join(cell(summary[n]["audio_by_axis"].get(axis, {})) for n in names) + " |")
    lines += ["", "![edit benchmark](edits.png)", ""]
    return "\n".join(lines)


def plot(summary: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from tools.files import write_atomic

    names = list(summary)
    keys = [k for k, _ in METRICS]
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        rates = [summary[name][k]["rate"] or 0.0 for k in keys]
        errors = np.array([[r - (summary[name][k]["ci95"] or [r, r])[0], (summary[name][k]["ci95"] or [r, r])[1] - r] for k, r in zip(keys, rates)]).T
        ax.bar(np.arange(len(keys)) + i * width, rates, width, yerr=errors, capsize=3, label=name)
    ax.axhline(0.95, color="grey", lw=0.8, ls="--")
    ax.axhline(0.90, color="grey", lw=0.8, ls=":")
    ax.set_xticks(np.arange(len(keys)) + width * (len(names) - 1) / 2, ["direction", "all met", "exact", "locality", "audio (proxy)"])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("rate (95% Wilson CI)")
    ax.set_title("Edit benchmark: held-out instructions x held-out configs")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    plt.close(fig)
