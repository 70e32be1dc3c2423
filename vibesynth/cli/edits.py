"""`vibesynth eval-edits`: the edit benchmark of refiners on held-out instructions and configs."""

from __future__ import annotations

import datetime
from pathlib import Path

import typer

from vibesynth.cli.app import app, console, fail, finite


@app.command("eval-edits")
def eval_edits(
    producers: str = typer.Option(
        "rule,none,random",
        "--producers",
        "-p",
        help="comma-separated: rule, none (no change: a floor), random (a floor), lm:PROVIDER/MODEL; "
        "the first is the one the others are tested against.",
    ),
    edit_set: str | None = typer.Option(
        None,
        "--set",
        help="Frozen instruction set in optimize/data/edits (default: the held-out one, optimize.eval.edits.HELD_OUT; FROZEN.md lists them).",
    ),
    out: Path = typer.Option(Path("runs/edits"), "--out", "-o", help="Folder for report.md, results.json, cases.jsonl, edits.png."),
    per_item: int = typer.Option(2, "--per-item", min=1, help="Held-out configs per instruction."),
    audio_cases: int = typer.Option(120, "--audio", min=0, help="Cases rendered for the audio check (0: none)."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N instructions."),
    duration: float = typer.Option(8.0, "--duration", callback=finite(0.5, 60), help="Seconds rendered per config."),
    sample_rate: int = typer.Option(22050, "--sample-rate", help="Render rate in Hz."),
    seed: int = typer.Option(0, "--seed", min=0, help="Render seed and the random floor's seed."),
    api_base: str | None = typer.Option(None, "--api-base", help="OpenAI-compatible server for lm: producers."),
) -> None:
    """Does a refiner move the asked fields the right way, leave the rest, and does the audio follow? (Wilson CIs, McNemar)"""
    from rich.progress import track
    from rich.table import Table

    from aesthetics.vibe import measured_axes
    from optimize.eval import edits
    from optimize.eval.edits_report import METRICS, cell, markdown, plot
    from tools.ambient import render_levelled
    from tools.files import write_json, write_jsonl, write_text

    names = [n.strip() for n in producers.split(",") if n.strip()]
    if not names or len(set(names)) != len(names):
        fail(f"--producers {producers!r}: name each producer once, e.g. rule,none,random")
    made = edits.producers(names, seed=seed, api_base=api_base)
    edit_set = edit_set or edits.HELD_OUT
    items = edits.load_edit_set(edit_set)[:limit]
    cases = edits.make_cases(items, edits.held_out_configs(), per_item, seed)

    def measure(config):
        audio = render_levelled(config, duration, seed=seed, sample_rate=sample_rate).audio
        return measured_axes(audio, sample_rate)[0]

    outcomes = edits.run(
        cases,
        made,
        measure if audio_cases else None,
        audio_cases,
        progress=lambda xs: track(xs, description="editing and rendering", console=console),
    )
    summary = edits.summarise(outcomes)
    settings = {
        "set": edit_set,
        "producers": names,
        "items": len(items),
        "per_item": per_item,
        "audio_cases": audio_cases,
        "duration": duration,
        "sample_rate": sample_rate,
        "seed": seed,
        "configs": str(edits.CONFIGS.name),
        "date": datetime.date.today().isoformat(),
    }
    write_json(out / "results.json", {"settings": settings, "summary": summary})
    write_jsonl(out / "cases.jsonl", ({"producer": n, **row} for n, rows in outcomes.items() for row in rows))
    plot(summary, out / "edits.png")
    write_text(out / "report.md", markdown(summary, settings))
    table = Table(title=f"edit benchmark ({len(cases)} cases, {edit_set})", title_justify="left")
    table.add_column("metric")
    for name in names:
        table.add_column(name)
    for key, label in METRICS:
        table.add_row(label, *(cell(summary[n][key]) for n in names))
    console.print(table)
    console.print(f"wrote {out}/report.md, results.json, cases.jsonl, edits.png", highlight=False)
