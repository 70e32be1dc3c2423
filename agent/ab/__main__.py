"""`python -m agent.ab score|summarize FOLDER`: the scoring and statistics steps of parallel_dj.sh."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from agent.ab.report import METRICS, read_jobs, score_runs, summarize
from tools.errors import VibesynthError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False)
console = Console()


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


@app.command()
def score(folder: Path, scorer: str = typer.Option("dsp", help="dsp | audiobox | clap | remote:URL")) -> None:
    """Score every finished run in FOLDER (resumable: scores.jsonl is appended run by run)."""
    total = len(read_jobs(folder))
    with console.status(f"scoring {total} runs with {scorer}") as status:
        records = score_runs(folder, scorer, progress=lambda job: status.update(f"scored {job.key}"))
    console.print(f"{len(records)}/{total} runs scored -> {folder / 'scores.jsonl'}")


@app.command("summarize")
def summarize_command(folder: Path) -> None:
    """Statistics per prompt and model -> FOLDER/summary.json, and tables here."""
    summary = summarize(folder)
    table = Table(title=f"A/B summary · mean ± 95% CI half-width · scores: {', '.join(summary['scorers']) or 'none'}")
    for column in ("prompt · lm", "n", *METRICS):
        table.add_column(column)
    for group in summary["groups"]:
        cells = []
        for metric in METRICS:
            stats = group["metrics"].get(metric)
            ci = stats and stats["ci95"]
            cells.append("-" if not stats else f"{stats['mean']:.3f}" + (f" ±{(ci[1] - ci[0]) / 2:.3f}" if ci else ""))
        n = group["metrics"].get("OBJ", {}).get("n", 0)
        table.add_row(f"{group['prompt']} · {group['lm']}", f"{n}/{group['runs']}", *cells)
    console.print(table)
    if summary["comparisons"]:
        versus = Table(title="each prompt against the first: Welch's t-test, p Holm-corrected")
        for column in ("prompt vs first · lm", "metric", "diff", "d", "p", "p Holm", "note"):
            versus.add_column(column)
        for comparison in summary["comparisons"]:
            for metric, entry in comparison["metrics"].items():
                versus.add_row(
                    f"{comparison['prompt']} vs {comparison['versus']} · {comparison['lm']}", metric, _fmt(entry["diff"]),
                    _fmt(entry["cohens_d"], 2), _fmt(entry["p"], 4), _fmt(entry.get("p_holm"), 4), entry["note"] or "",
                )
        console.print(versus)
    console.print(f"-> {folder / 'summary.json'}")


def main() -> None:
    try:
        app()
    except VibesynthError as err:
        console.print(f"[bold red]error:[/] {err}", highlight=False)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
