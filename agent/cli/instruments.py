"""`vibesynth palettes build|index|list` and `vibesynth reference`: the DJ instrument's commands."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from agent.cli.app import app, console, fail

palettes_app = typer.Typer(help="The generated sample library and palettes.", no_args_is_help=True)
app.add_typer(palettes_app, name="palettes")


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console)


@palettes_app.command("build")
def palettes_build(
    roles: Optional[list[str]] = typer.Option(None, "--role", help="Only these roles (repeatable); default: all."),
    variants: int = typer.Option(10, min=1, max=10, help="Variants per role."),
    force: bool = typer.Option(False, help="Regenerate every sample, even unchanged ones."),
) -> None:
    """Synthesise the sample library into the cache (idempotent, resumable)."""
    from palettes.library import build_library, library_dir, plan

    todo = plan(roles, variants)
    made = 0
    with _progress() as bar:
        task = bar.add_task("samples", total=len(todo))

        def step(sample_id: str, was_made: bool) -> None:
            nonlocal made
            made += was_made
            bar.update(task, advance=1, description=f"{'made' if was_made else 'kept'} {sample_id}")

        manifest = build_library(roles=roles, variants=variants, force=force, progress=step)
    console.print(f"library: {library_dir()} ({len(manifest.samples)} samples; {made} made, {len(todo) - made} kept)")


@palettes_app.command("index")
def palettes_index(
    folder: Path = typer.Argument(..., help="Folder of your own samples (roles from folder/file names)."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="Index JSON; default: the cache's indexes/ folder."),
) -> None:
    """Index your own samples: role from names, loop detection, BPM from name or onsets."""
    from palettes.indexer import index_folder
    from tools.paths import cache_root
    from tools.audio_io import write_json

    if not folder.is_dir():
        fail(f"{folder} is not a folder; pass a directory of samples")
    skipped: list[str] = []
    manifest = index_folder(folder, progress=lambda path, role: skipped.append(path.name) if role is None else None)
    target = out or cache_root() / "indexes" / f"{manifest.name}.json"
    write_json(target, manifest.model_dump())
    _table(manifest)
    if skipped:
        console.print(f"skipped {len(skipped)} file(s) with no role in their name, e.g. {skipped[0]}")
    console.print(f"index: {target}  (use it as \"library\" in a palette JSON)")


@palettes_app.command("list")
def palettes_list(
    role: Optional[str] = typer.Option(None, help="Only this role."),
) -> None:
    """List the generated library (and the curated palettes)."""
    from palettes.library import REBUILD, read_manifest

    manifest = read_manifest()
    if manifest is None:
        fail(f"no sample library yet; {REBUILD}")
    _table(manifest, role)
    curated = sorted((Path(__file__).resolve().parents[2] / "palettes" / "curated").glob("*.json"))
    console.print("curated palettes: " + (", ".join(p.name for p in curated) or "none"))


def _table(manifest, role: str | None = None) -> None:
    table = Table("id", "role", "type", "bars", "bpm", "key", "seconds", "recipe")
    for entry in sorted(manifest.samples.values(), key=lambda e: (e.role, e.id)):
        if role and entry.role != role:
            continue
        table.add_row(
            entry.id, entry.role, "loop" if entry.loop else "oneshot", str(entry.bars or ""),
            f"{entry.bpm:g}" if entry.bpm else "", entry.key or "", f"{entry.duration:.2f}", entry.recipe or "",
        )
    console.print(table)


@app.command()
def reference(
    palette: Path = typer.Option(..., help="Palette JSON, e.g. palettes/curated/<name>.json."),
    bars: str = typer.Option("32", help="Which arrangement: 32, 64 or set (128 bars)."),
    bpm: Optional[float] = typer.Option(None, min=60, max=200, help="Tempo; default: the palette's."),
    seed: int = typer.Option(0, help="Seed of the mixer session."),
    sample_rate: int = typer.Option(44100, help="Output sample rate."),
    pcm16: bool = typer.Option(False, "--pcm16", help="Write 16-bit PCM instead of float32."),
    out: Path = typer.Option(..., "-o", "--out", help="Output WAV; a JSON sidecar goes beside it."),
) -> None:
    """Render a reference arrangement (tool calls only) to WAV, peak-normalised to -1 dBTP."""
    from palettes.library import load_palette
    from reference.arrangements import KINDS, render_reference
    from tools.audio_io import write_audio, write_json
    from tools.loudness import true_peak_dbtp

    if bars not in KINDS:
        fail(f"--bars {bars!r} is not an arrangement; choose one of {', '.join(KINDS)}")
    loaded = load_palette(palette)
    result = render_reference(loaded, bars, bpm, seed, sample_rate)
    written = write_audio(out, result.audio, sample_rate, subtype="pcm16" if pcm16 else "float")
    sidecar = out.with_suffix(".json")
    write_json(
        sidecar,
        {
            "palette": {"path": str(palette), "id": loaded.id},
            "arrangement": bars,
            "bpm": result.bpm,
            "bars": result.bars,
            "seed": seed,
            "sample_rate": sample_rate,
            "frames": int(result.audio.shape[0]),
            "seconds": result.audio.shape[0] / sample_rate,
            "subtype": "pcm16" if pcm16 else "float",
            "true_peak_dbtp": round(true_peak_dbtp(result.audio), 3),
            "events": result.session.events,
            "tool_calls": result.session.call_log,
        },
    )
    console.print(f"{written}: {result.bars} bars at {result.bpm:g} BPM ({result.audio.shape[0] / sample_rate:.2f} s); log {sidecar}")
