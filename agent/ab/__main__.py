"""`python -m agent.ab run|score|summarize`: the A/B runner (scripts/parallel_dj.sh calls `run`)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from agent.ab.report import DEFAULT_ALPHA, METRICS, read_jobs, score_runs, summarize
from agent.ab.stats import SMALL_N
from tools.errors import VibesynthError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False)
console = Console()
DEFAULT_BRIEF = "dark warehouse techno, hypnotic"


def _fmt(value: float | None, digits: int = 3, sign: str = "") -> str:
    return "-" if value is None else f"{value:{sign}.{digits}f}"


def default_palette() -> Path:
    curated = sorted((Path(__file__).resolve().parents[2] / "palettes" / "curated").glob("*.json"))
    if not curated:
        raise VibesynthError("no curated palette in palettes/curated/; pass --palette FILE")
    return curated[0]


@app.command()
def run(
    prompt: List[Path] = typer.Option(..., help="Prompt file (repeat to compare; the first is the control)."),
    lm: List[str] = typer.Option(["reference"], help="litellm model, `reference`, `random` or `replay:FILE` (repeatable)."),
    replicas: int = typer.Option(3, min=1, help="Runs per arm; replica r plays with seed r in every arm (paired)."),
    bars: int = typer.Option(64, min=1, help="Length of every set."),
    bpm: Optional[float] = typer.Option(None, help="Tempo, 60 to 200; default: the palette's."),
    palette: Optional[Path] = typer.Option(None, help="Palette JSON; default: the first curated one."),
    workers: int = typer.Option(2, min=1, help="Runs at a time."),
    scorer: str = typer.Option("dsp", help="dsp | audiobox | remote:URL (needs OBJ)."),
    brief: str = typer.Option(DEFAULT_BRIEF, help="The brief every run plays."),
    temperature: Optional[float] = typer.Option(None, help="LM sampling temperature."),
    api_base: Optional[str] = typer.Option(None, help="OpenAI-compatible server for the LMs, e.g. http://127.0.0.1:8000/v1."),
    alpha: float = typer.Option(DEFAULT_ALPHA, min=0.0001, max=0.5, help="Significance level of the verdict (Holm-adjusted p)."),
    outdir: Path = typer.Option(Path("runs/ab"), help="Parent folder (results in OUTDIR/ab-TIMESTAMP), or a folder holding jobs.tsv to resume."),
) -> None:
    """Play every prompt x model x replica, score through the metric, and state a verdict per arm."""
    from agent.ab.runner import Plan, ignored_notes, open_folder, play_all, preflight

    plan = Plan(
        prompts=list(prompt),
        lms=list(lm),
        replicas=replicas,
        bars=bars,
        bpm=bpm,
        palette=(palette or default_palette()).resolve(),
        brief=brief,
        scorer=scorer,
        temperature=temperature,
        api_base=api_base,
        workers=workers,
    )
    reads = preflight(plan)
    for note in ignored_notes(plan, reads):
        console.print(f"[yellow]note:[/] {note}", highlight=False)
    folder = open_folder(plan, outdir, reads)
    total = len(read_jobs(folder))
    console.print(f"A/B run -> {folder} ({total} runs, {workers} at a time)", highlight=False)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console) as bar:
        task = bar.add_task("playing", total=total)
        bar.update(task, completed=sum((job.run_dir / "summary.json").is_file() for job in read_jobs(folder)))
        _, failed = play_all(
            folder, plan, progress=lambda job, ok: bar.update(task, advance=1, description=f"{'done' if ok else 'FAILED'} {job.key}")
        )
    for job in failed:
        console.print(f"FAILED {job.key} (see {folder / 'logs' / (job.key + '.log')})", highlight=False)
    score(folder, scorer)
    summarize_command(folder, alpha)
    if failed:
        console.print(f"[bold red]{len(failed)} of {total} runs failed[/]; rerun the same command to retry them")
        raise SystemExit(1)


@app.command()
def score(folder: Path, scorer: str = typer.Option("dsp", help="dsp | audiobox | clap | remote:URL")) -> None:
    """Score every finished run in FOLDER (resumable: scores.jsonl is appended run by run)."""
    total = len(read_jobs(folder))
    with console.status(f"scoring {total} runs with {scorer}") as status:
        records = score_runs(folder, scorer, progress=lambda job: status.update(f"scored {job.key}"))
    console.print(f"{len(records)}/{total} runs scored -> {folder / 'scores.jsonl'}", highlight=False)


@app.command("summarize")
def summarize_command(folder: Path, alpha: float = typer.Option(DEFAULT_ALPHA, help="Significance level.")) -> None:
    """Statistics per arm and a verdict per comparison -> FOLDER/summary.json, and tables here."""
    summary = summarize(folder, alpha)
    table = Table(title=f"A/B arms · mean ± 95% CI half-width · scores: {', '.join(summary['scorers']) or 'none'}")
    for column in ("prompt · lm", "n", *METRICS, "tokens (cost)"):
        table.add_column(column)
    for group in summary["groups"]:
        cells = []
        for metric in METRICS:
            stats = group["metrics"].get(metric)
            ci = stats and stats["ci95"]
            cells.append("-" if not stats else f"{stats['mean']:.3f}" + (f" ±{(ci[1] - ci[0]) / 2:.3f}" if ci else ""))
        n = group["metrics"].get("OBJ", {}).get("n", 0)
        usage = group["lm_usage"]
        tokens = (
            "-"
            if not usage
            else (
                f"{usage['prompt_tokens'] + usage['completion_tokens']}" + (f" (${usage['cost_usd']:.4f})" if usage["cost_usd"] is not None else "")
            )
        )
        table.add_row(f"{group['prompt']} · {group['lm']}", f"{n}/{group['runs']}", *cells, tokens)
    console.print(table)
    if summary["comparisons"]:
        versus = Table(title=f"is B better than A? OBJ · paired by replica (Welch where unpaired) · Holm across arms · alpha {summary['alpha']:g}")
        for column in ("B", "A", "test", "n", "B - A", "95% CI", "p", "p Holm", "verdict", "warning"):
            versus.add_column(column)
        notes: set[str] = set()
        for comparison in summary["comparisons"]:
            b = f"{comparison['prompt']} · {comparison['lm']}"
            a = f"{comparison['versus']['prompt']} · {comparison['versus']['lm']}"
            entry = comparison["metrics"].get("OBJ")
            if comparison["ignored"]:
                versus.add_row(b, a, "-", "-", "-", "-", "-", "-", "identical by construction", "")
                notes.add(
                    "identical by construction: the policies of these arms do not read the prompt, so they "
                    "play the same sets as under the first prompt; not tested (and not counted in Holm)"
                )
                continue
            if entry is None:
                versus.add_row(b, a, "-", "0", "-", "-", "-", "-", "cannot tell (no scores)", "")
                continue
            ci = entry["ci95"]
            versus.add_row(
                b,
                a,
                entry["test"],
                str(entry["n"]),
                _fmt(entry["diff"], sign="+"),
                "-" if not ci else f"[{ci[0]:+.3f}, {ci[1]:+.3f}]",
                _fmt(entry["p"], 4),
                _fmt(entry.get("p_holm"), 4),
                entry["verdict"],
                "small n" if entry["warning"] else "",
            )
            if entry["warning"]:
                notes.add(
                    f"small n: fewer than {SMALL_N} replica pairs; low power, a null result says little "
                    "(add --replicas and rerun: the folder resumes)"
                )
        console.print(versus)
        for note in sorted(notes):
            console.print(f"[yellow]note:[/] {note}", highlight=False)
    if summary["damaged_score_lines"]:
        console.print(f"[yellow]{summary['damaged_score_lines']} damaged line(s) in scores.jsonl were skipped[/]")
    console.print(f"-> {folder / 'summary.json'}", highlight=False)


def main() -> None:
    try:
        app()
    except VibesynthError as err:
        Console(stderr=True).print(f"[bold red]error:[/] {err}", highlight=False, soft_wrap=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
