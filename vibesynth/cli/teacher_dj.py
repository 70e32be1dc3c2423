"""`vibesynth teacher-dj`: the DJ teacher's first slice: a set per brief searched against the dj judge, kept as a trajectory."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from tools.errors import VibesynthError
from vibesynth.cli.app import app, console, fail, finite, interrupted


@app.command("teacher-dj")
def teacher_dj(
    briefs: str = typer.Option(
        "dev-v1", help='Briefs: a frozen DJ pair set of optimize/data/dj (each side a brief) or FILE.jsonl of {"id", "brief"[, "split"]}.'
    ),
    out: Path = typer.Option(
        Path("runs/teacher-dj"),
        "-o",
        "--out",
        help="Folder for run.json (the settings), optuna.db, the feature cache and trajectories/ID/ (the best set per brief, replayable).",
    ),
    budget: int = typer.Option(16, min=1, help="Set plans tried per brief (the brief-reading reference's plan first)."),
    bars: int = typer.Option(16, min=4, max=512, help="Bars per candidate set (and per kept trajectory)."),
    contrast: float = typer.Option(
        0.5, callback=finite(0.0, 4.0), help="Weight of the mean dj reward of the same set under --others other briefs, subtracted."
    ),
    others: int = typer.Option(8, min=0, help="Other briefs of the same split per brief, for --contrast."),
    workers: int = typer.Option(1, min=1, help="Local worker processes."),
    limit: Optional[int] = typer.Option(None, min=1, help="Only the first N briefs."),
    seed: int = typer.Option(0, min=0, help="Seed of the samplers (per brief) and of the renders."),
) -> None:
    """Search the arrangement space per brief against the dj judge (a PROXY), resumable; keep the best set's tool calls."""
    from optimize.teacher.dj import DjTeacherSettings
    from optimize.teacher.dj_job import load_briefs, run_dj_teacher

    try:
        items = load_briefs(briefs, limit)
        settings = DjTeacherSettings(budget=budget, bars=bars, seed=seed, contrast=contrast, others=others)
        columns = (
            TextColumn("teacher-dj"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        rows: list[dict] = []
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("", total=len(items))

            def on_done(summary: dict) -> None:
                rows.append(summary)
                skipped = {"done": "skipped (done)", "taken": "skipped (another worker has it)"}
                note = (
                    skipped[summary["skipped"]]
                    if summary["skipped"]
                    else f"{summary['id']} objective {summary['best']:.3f} (reference {summary['reference']:.3f})"
                )
                progress.update(task, advance=1, description=note)

            run_dj_teacher(items, out, settings, workers, on_done, source=f"{briefs} (limit {limit})")
        searched = [r for r in rows if not r["skipped"]]
        console.print(
            f"{len(searched)} briefs searched, {len(rows) - len(searched)} skipped; trajectories in "
            f"{out / 'trajectories'} (replay: vibesynth dj BRIEF --lm replay:FILE); rewards are the dj PROXY's"
        )
    except VibesynthError as err:
        fail(str(err))
    except KeyboardInterrupt:
        interrupted(f"the DJ teacher stopped; finished briefs are kept in {out / 'optuna.db'}: run the same command again to resume")
