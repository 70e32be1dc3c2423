"""`vibesynth teacher`: best-of-N configs per vibe by search against the judge, then the dataset."""

from __future__ import annotations

import shlex
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from tools.errors import VibesynthError
from vibesynth.cli.app import app, console, fail, finite, interrupted, judge_option


@app.command()
def teacher(
    split: str = typer.Option(
        "train",
        help="Vibes to teach: train | val | test | all | control (both sides of the "
        "controllability pairs) | a,b | FILE.jsonl (records with vibe, id, split).",
    ),
    out: Path = typer.Option(Path("runs/teacher"), "-o", "--out", help="Folder for run.json (the settings), the reward cache and dataset/."),
    budget: int = typer.Option(32, min=1, help="Configs tried per vibe (rule-based and LM warm starts included)."),
    judge: str = judge_option(more="The reward; a text-blind judge (dsp, audiobox) needs --contrast 0."),
    contrast: float = typer.Option(
        0.5,
        callback=finite(0.0, 4.0),
        help="Weight of the mean judge reward of the same audio "
        "under --others other vibes, subtracted: a config that fits every vibe earns nothing extra.",
    ),
    others: int = typer.Option(8, min=0, help="Other vibes of the same split per vibe, for --contrast."),
    prior: float = typer.Option(
        0.6, callback=finite(0.0, 4.0), help="Weight of the penalty for contradicting fields the reader confidently implies (funeral -> minor)."
    ),
    workers: int = typer.Option(1, min=1, help="Local worker processes."),
    storage: Optional[str] = typer.Option(
        None, help="Optuna RDB URL shared by every worker; default sqlite:///OUT/optuna.db. postgresql+psycopg://USER@HOST/DB for many machines."
    ),
    limit: Optional[int] = typer.Option(None, min=1, help="Only the first N vibes of the split."),
    seed: int = typer.Option(0, min=0, help="Seed of the samplers (per vibe) and of the renders."),
    duration: float = typer.Option(8.0, callback=finite(2.0, 60.0), help="Seconds rendered per candidate (2 to 60)."),
    sample_rate: int = typer.Option(22050, help="Render rate per candidate (22050 or 44100)."),
    lm: Optional[str] = typer.Option(None, help="Also warm-start from N samples of this litellm model (best-of-N)."),
    api_base: Optional[str] = typer.Option(None, help="OpenAI-compatible server for --lm."),
    lm_samples: int = typer.Option(4, min=1, help="LM samples per vibe (temperature 0.9)."),
    export: bool = typer.Option(True, help="Write OUT/dataset (JSONL per split + card) when the search ends."),
) -> None:
    """Best-of-N configs per vibe: Optuna TPE search against the judge, resumable and shareable, then the dataset."""
    from optimize.render_score import Clip
    from optimize.teacher.dataset import export_dataset
    from optimize.teacher.job import TeacherSettings, run_teacher, vibes_digest
    from optimize.teacher.vibes import load_vibes

    if sample_rate not in (22050, 44100):
        fail(f"--sample-rate {sample_rate} is not supported; use 22050 or 44100")
    try:
        items = load_vibes(split, limit)
        settings = TeacherSettings(
            judge=judge,
            budget=budget,
            seed=seed,
            clip=Clip(duration, sample_rate, seed),
            contrast=contrast,
            others=others,
            prior=prior,
            lm=lm,
            api_base=api_base,
            lm_samples=lm_samples,
        )
        if lm:
            from agent.lm import parse_lm

            parse_lm(lm, api_base=api_base)  # a bad --lm fails here, before any search
        columns = (
            TextColumn("teacher"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("", total=len(items))

            def on_done(summary: dict) -> None:
                skipped = {"done": "skipped (done)", "taken": "skipped (another worker has it)"}
                note = skipped[summary["skipped"]] if summary["skipped"] else f"{summary['id']} best {summary['best']:.3f}"
                progress.update(task, advance=1, description=note)

            started = time.monotonic()
            url = run_teacher(items, out, settings, storage, workers, on_done)
        if export:
            command = "vibesynth " + " ".join(shlex.quote(arg) for arg in sys.argv[1:])
            stats = export_dataset(url, out / "dataset", settings.record(url, vibes_digest(items), out), command, time.monotonic() - started)
            for name, s in stats["reward"].items():
                console.print(
                    f"{name}: {stats['counts'][name]} vibes, reward mean {s['mean']:.4f}"
                    + (f" [95% CI {s['ci95'][0]:.4f}, {s['ci95'][1]:.4f}]" if s.get("ci95") else "")
                )
            console.print(f"dataset and card -> {out / 'dataset'}")
    except VibesynthError as err:
        fail(str(err))
    except KeyboardInterrupt:
        where = out / "optuna.db" if storage is None else "the --storage database"
        interrupted(f"the teacher stopped; finished trials are kept in {where}: run the same command again to resume where it stopped")
