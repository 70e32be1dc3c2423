"""`vibesynth study ambient|dj|report`: Optuna studies against the audio metric on a shared storage."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from tools.instruments import AMBIENT, DJ
from vibesynth.cli.app import KEY_HELP, app, console, finite, judge_option

study_app = typer.Typer(help="Optuna studies of instrument and prompt knobs against the audio metric.", no_args_is_help=True)
app.add_typer(study_app, name="study")

STORAGE_HELP = "RDB storage shared by the workers: sqlite:///PATH.db (default OUT/optuna.db) or postgresql+psycopg://USER@HOST:PORT/DB"


def _storage(storage: Optional[str], out: Path) -> str:
    return storage or f"sqlite:///{(out / 'optuna.db').resolve()}"


def _run(name: str, url: str, space, settings: dict, trials: int, metric, seed: Optional[int]) -> None:
    """One worker with a progress bar (trials this worker finished, the study's best so far), not Optuna's log lines."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from optimize.study.job import run_worker

    with Progress(
        TextColumn(f"study {name}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("", total=trials)

        def on_trial(trial) -> None:
            value = "failed" if trial.value is None else f"trial {trial.number}: {trial.value:.4f}"
            progress.update(task, advance=1, description=value)

        run_worker(name, url, space, settings, trials, metric, seed=seed, on_trial=on_trial)


def _finish(name: str, url: str, out: Path) -> None:
    from optimize.study.report import write_report

    summary = write_report(url, name, out)
    console.print(
        f"study {name}: {summary['complete']} trials, best {summary['best']['value']:.4f} {summary['best']['params']}; report: {out / 'report.md'}",
        highlight=False,
        soft_wrap=True,
    )


@study_app.command("ambient")
def study_ambient(
    brief: str = typer.Option(..., "--brief", help="The vibe the config is tuned for."),
    fields: Optional[str] = typer.Option(None, "--fields", help="Comma-separated config fields to tune (default all 19)."),
    trials: int = typer.Option(30, "--trials", help="Finished trials the study should hold (all workers together)."),
    study: str = typer.Option("ambient", "--study", help="Study name in the storage."),
    storage: Optional[str] = typer.Option(None, "--storage", help=STORAGE_HELP),
    scorer: str = judge_option("--scorer"),
    key: Optional[str] = typer.Option(None, "--key", help=KEY_HELP),
    duration: float = typer.Option(4.0, "--duration", callback=finite(), help="Seconds rendered per trial."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Sampler seed (default: none, so parallel workers differ)."),
    report: bool = typer.Option(True, "--report/--no-report", help="Write report.md and plots after this worker."),
    out: Path = typer.Option(Path("runs/study"), "-o", "--out", help="Folder for the default storage and the report."),
) -> None:
    """Tune ambient config fields for one brief (a worker: start as many as you like on one storage)."""
    from agent.metric import AudioMetric
    from optimize.render_score import reward_key
    from optimize.study.spaces import AmbientSpace
    from tools.schema import FIELDS

    key = key or reward_key(scorer)
    chosen = tuple(f.strip() for f in fields.split(",") if f.strip()) if fields else FIELDS
    space = AmbientSpace(brief=brief, fields=chosen, duration=duration)
    settings = {"kind": AMBIENT.name, "brief": brief, "fields": list(chosen), "scorer": scorer, "key": key, "duration": duration}
    url = _storage(storage, out)
    _run(study, url, space, settings, trials, AudioMetric(scorer, key=key), seed)
    if report:
        _finish(study, url, out)


@study_app.command("dj")
def study_dj(
    brief: str = typer.Option(..., "--brief", help="The brief every set plays."),
    palette: Path = typer.Option(..., "--palette", help="Palette JSON."),
    lm: str = typer.Option(..., "--lm", help="The LM that plays (litellm string)."),
    api_base: Optional[str] = typer.Option(None, "--api-base", help="OpenAI-compatible server for --lm."),
    prompt: list[Path] = typer.Option(..., "--prompt", help="Prompt variant (repeatable)."),
    replicas: int = typer.Option(2, "--replicas", help="Sets per trial (seeds 0..R-1); the trial's value is their mean."),
    bars: int = typer.Option(16, "--bars", help="Bars per set."),
    trials: int = typer.Option(12, "--trials", help="Finished trials the study should hold."),
    study: str = typer.Option("dj", "--study", help="Study name in the storage."),
    storage: Optional[str] = typer.Option(None, "--storage", help=STORAGE_HELP),
    scorer: str = judge_option("--scorer"),
    key: Optional[str] = typer.Option(None, "--key", help=KEY_HELP),
    seed: Optional[int] = typer.Option(None, "--seed", help="Sampler seed."),
    report: bool = typer.Option(True, "--report/--no-report", help="Write report.md and plots after this worker."),
    out: Path = typer.Option(Path("runs/study-dj"), "-o", "--out", help="Folder for storage, sets and report."),
) -> None:
    """Tune prompt variant, temperature, max_iters and guardrail thresholds over replicated DJ sets."""
    from agent.metric import AudioMetric
    from optimize.render_score import reward_key
    from optimize.study.spaces import DJSpace

    key = key or reward_key(scorer)
    space = DJSpace(
        brief=brief,
        palette=str(palette),
        lm=lm,
        api_base=api_base,
        prompts=tuple(str(p) for p in prompt),
        replicas=replicas,
        bars=bars,
        work=str(out / "sets"),
    )
    settings = {
        "kind": DJ.name,
        "brief": brief,
        "palette": str(palette),
        "lm": lm,
        "prompts": list(space.prompts),
        "replicas": replicas,
        "bars": bars,
        "scorer": scorer,
        "key": key,
    }
    url = _storage(storage, out)
    _run(study, url, space, settings, trials, AudioMetric(scorer, key=key), seed)
    if report:
        _finish(study, url, out)


@study_app.command("report")
def study_report(
    study: str = typer.Option(..., "--study", help="Study name."),
    storage: str = typer.Option(..., "--storage", help=STORAGE_HELP),
    out: Path = typer.Option(..., "-o", "--out", help="Folder for report.md, history.png, importances.png."),
) -> None:
    """Write the report of a study (any worker may still be running)."""
    _finish(study, storage, out)
