"""`vibesynth eval-dj`: DJ producers' sets for held-out briefs, judged by the dj judge (a PROXY), with brief controllability."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from tools.errors import VibesynthError
from vibesynth.cli.app import app, console, fail, interrupted


@app.command("eval-dj")
def eval_dj(
    producers: str = typer.Option("reference,random", help="Comma-separated: reference, random, teacher:RUN (a `vibesynth teacher-dj -o` folder)."),
    briefs: str = typer.Option("optimize/data/dj-briefs/test.jsonl", help='Held-out briefs: FILE.jsonl of {"id", "brief"}.'),
    control: str = typer.Option("optimize/data/dj-briefs/control.jsonl", help="Contrasting brief pairs for controllability ('' to skip)."),
    out: Path = typer.Option(
        Path("runs/eval-dj"), "-o", "--out", help="Folder for run.json, examples.jsonl (resumed), results.json, report.md, metrics.png."
    ),
    bars: int = typer.Option(16, min=4, max=512, help="Bars per set."),
    limit: Optional[int] = typer.Option(None, min=1, help="Only the first N briefs."),
    others: int = typer.Option(8, min=0, help="Other briefs each set is also judged under (specificity)."),
    seed: int = typer.Option(0, min=0, help="Seed of the renders and of the random producer."),
) -> None:
    """Render each producer's set for every brief, judge it (dj judge, a PROXY), test against the reference policy."""
    from optimize.eval.dj_eval import DjEvalSettings, load_briefs, run_dj_eval, write_report

    names = tuple(name.strip() for name in producers.split(",") if name.strip())
    settings = DjEvalSettings(producers=names, briefs=briefs, control=control or None, limit=limit, bars=bars, seed=seed, others=others)
    try:
        total = len(names) * len(load_briefs(briefs, limit))
        columns = (TextColumn("eval-dj"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"))
        columns += (TimeElapsedColumn(), TimeRemainingColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("", total=total)

            def on_row(row: dict) -> None:
                reward = f"dj reward {row['dj_reward']:.3f}" if row["plan"] else "no plan"
                progress.update(task, advance=1, description=f"{row['producer']} {row['id']}: {reward}")

            results = run_dj_eval(settings, out, on_row)
        report = write_report(results, out)
        console.print(report.read_text(), markup=False, highlight=False)
    except VibesynthError as err:
        fail(str(err))
    except KeyboardInterrupt:
        interrupted(f"eval-dj stopped; finished sets are kept in {out / 'examples.jsonl'}: run the same command again to resume")
