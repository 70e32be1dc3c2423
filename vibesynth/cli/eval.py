"""`vibesynth eval`: producers of configs on a vibe split, judged, with CIs, paired tests and plots."""

from __future__ import annotations

from pathlib import Path

import typer

from tools.specs import PRODUCERS
from vibesynth.cli.app import app, console, finite, judge_option

PRODUCERS_HELP = (
    f"comma-separated: {PRODUCERS.usage()}; student (the shipped one) and adapter folders run here on llama.cpp; "
    "student:MODEL_DIR, student-gguf bases and musicgen (audio) run in .venv-train, musicgen also remotely (modal or a URL)"
)


@app.command("eval")
def evaluate(
    producers: str = typer.Option("random,rule,retrieval", "--producers", "-p", help=PRODUCERS_HELP),
    split: str = typer.Option("test", "--split", help='train | val | test, or a .jsonl file of {"vibe": ...} records'),
    out: Path = typer.Option(Path("runs/eval"), "--out", "-o", help="Folder for report.md, results.json, examples.jsonl, plots (resumes)."),
    judge: str = judge_option(more="The reward."),
    baseline: str | None = typer.Option(None, "--baseline", help="Producer the others are tested against (default rule, else the first)."),
    teacher: str | None = typer.Option(
        None,
        "--teacher",
        help="Teacher dataset JSONL ({vibe, config} records) or folder, "
        "several joined by commas: field agreement, `teacher` producer, retrieval index.",
    ),
    duration: float = typer.Option(8.0, "--duration", callback=finite(), help="Seconds rendered per config."),
    sample_rate: int = typer.Option(22050, "--sample-rate", help="Render rate in Hz."),
    seed: int = typer.Option(0, "--seed", help="Render seed (same for every producer: paired) and random-producer seed."),
    limit: int | None = typer.Option(None, "--limit", help="Only the first N vibes of the split."),
    api_base: str | None = typer.Option(None, "--api-base", help="OpenAI-compatible server for lm: producers."),
    lm_retries: int = typer.Option(2, "--lm-retries", help="Validation-feedback retries of the DSPy vibe program."),
    controllability: bool = typer.Option(True, "--controllability/--no-controllability", help="Also run the labelled controllability pairs."),
    plots: bool = typer.Option(True, "--plots/--no-plots", help="Write PNG plots."),
    cache: bool = typer.Option(True, "--cache/--no-cache", help="Reuse cached renders/scores (keyed by config, seed, duration, rate, versions)."),
) -> None:
    """Evaluate config producers on a vibe split; resumes from --out's examples.jsonl."""
    from optimize.eval.plots import write_plots
    from optimize.eval.report import aggregate, markdown
    from optimize.eval.run import EvalSettings, run_eval
    from tools.files import write_json, write_text

    settings = EvalSettings(
        producers=producers.split(","),
        split=split,
        judge=judge,
        baseline=baseline,
        teacher=str(teacher) if teacher else None,
        duration=duration,
        sample_rate=sample_rate,
        seed=seed,
        limit=limit,
        api_base=api_base,
        lm_retries=lm_retries,
        controllability=controllability,
        cache=cache,
        plots=plots,
    )
    run = run_eval(settings, out)
    results = aggregate(run)
    write_json(out / "results.json", results)
    write_text(out / "report.md", markdown(results))
    if plots:
        write_plots(results, run.rows, out)
    for name, entry in results["metrics"].items():
        reward, valid = entry["reward"], entry["validity"]
        audio = results["producers"].get(name, {}).get("makes") == "audio"  # no config: no validity
        shown = "audio clips" if audio else f"validity {valid['mean']:.3f}" if valid["mean"] is not None else None
        console.print(
            f"{name:>24}: {shown}  reward {reward['mean']:.3f} [{reward['ci95'][0]:.3f}, {reward['ci95'][1]:.3f}] (n={reward['n']})"
            if reward["ci95"] and shown is not None
            else f"{name:>24}: n={reward['n']}",
            highlight=False,
        )
    console.print(f"report: {out / 'report.md'}")
