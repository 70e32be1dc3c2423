"""DX7 refine on factory voices: does each edit move the sound's descriptor the asked way? (issue #26 item 3)

The mappings of `reference/dx7_refiner.py` were written from FM design rules, without measuring
any factory voice; every voice here is held out. Writes OUT/results.json (settings, summary,
per-case rows), OUT/report.md and OUT/dx7-refine.png.

    .venv/bin/python scripts/dx7_refine_check.py --out docs/results/2026-12-07-dx7-refine
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

from optimize.eval.dx7_edits import INSTRUCTIONS, NOTE, check, summary
from tools.dx7.factory import factory_entries
from tools.files import write_atomic, write_json, write_text


def report(result: dict) -> str:
    lines = [
        f"# DX7 refine: descriptors on factory voices ({result['settings']['date']})",
        "",
        f"Each of the {result['settings']['voices']} factory voices, edited by each instruction with "
        "`reference/dx7_refiner.py` (mappings written from FM design rules, no voice measured while writing them), "
        f"one note (MIDI {NOTE.note}, velocity {NOTE.velocity}, held {NOTE.hold} s + {NOTE.release} s release) "
        "rendered raw before and after. Right: the descriptor moved strictly the asked way. Skipped: the edit could "
        "not move any parameter (already at its end) or the voice is silent. Rates with Wilson 95% CIs.",
        "",
        "| instruction | descriptor | right | skipped |",
        "|---|---|---|---|",
    ]
    for key, row in result["summary"].items():
        descriptor = INSTRUCTIONS[key][0] if key in INSTRUCTIONS else "all"
        low, high = row["ci95"]
        lines.append(f"| {key} | {descriptor} | {row['rate']:.3f} [{low:.3f}, {high:.3f}] (n = {row['n']}) | {row['skipped']} |")
    lines += [
        "",
        "Descriptors (`optimize/eval/dx7_edits.py`): spectral centroid; temporal centroid of the envelope "
        "after its peak (decay); time to within 6 dB of the peak (attack, 10 ms frames).",
        "",
        "![right rate per instruction](dx7-refine.png)",
        "",
    ]
    return "\n".join(lines)


def plot(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = [k for k in result["summary"] if k != "all"]
    rates = [result["summary"][k]["rate"] for k in keys]
    errors = [[r - result["summary"][k]["ci95"][0] for k, r in zip(keys, rates)], [result["summary"][k]["ci95"][1] - r for k, r in zip(keys, rates)]]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.bar(keys, rates, yerr=errors, capsize=3, color="#2f4f8f")
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("descriptor moved the asked way")
    ax.set_title("DX7 refine on factory voices (95% Wilson CI)")
    plt.setp(ax.get_xticklabels(), rotation=20, ha="right")
    fig.tight_layout()
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("runs/dx7-refine"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N factory voices")
    args = parser.parse_args()
    console = Console()
    voices = [(i, e.voice) for i, e in enumerate(factory_entries(), start=1)][: args.limit]
    rows = check(voices, progress=lambda xs: track(xs, description="rendering voices", console=console))
    result = {
        "settings": {"voices": len(voices), "note": NOTE.note, "instructions": list(INSTRUCTIONS), "date": datetime.date.today().isoformat()},
        "summary": summary(rows),
        "rows": rows,
    }
    write_json(args.out / "results.json", result)
    plot(result, args.out / "dx7-refine.png")
    write_text(args.out / "report.md", report(result))
    table = Table(title="DX7 refine: descriptor moved the asked way")
    for column in ("instruction", "right [95% CI]", "n", "skipped"):
        table.add_column(column)
    for key, row in result["summary"].items():
        table.add_row(key, f"{row['rate']:.3f} [{row['ci95'][0]:.3f}, {row['ci95'][1]:.3f}]", str(row["n"]), str(row["skipped"]))
    console.print(table)


if __name__ == "__main__":
    main()
