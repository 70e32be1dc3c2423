"""`vibesynth palettes build|index|list` and `vibesynth reference`: the DJ instrument's commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from tools.errors import VibesynthError
from vibesynth.cli.app import app, console, fail
from vibesynth.cli.render import SAMPLE_RATES

palettes_app = typer.Typer(help="The generated sample library and palettes.", no_args_is_help=True)
app.add_typer(palettes_app, name="palettes")


@contextmanager
def _clean_errors(writing: Path | None = None) -> Iterator[None]:
    """Library errors and unwritable outputs end the command with a message and exit 2, never a traceback."""
    try:
        yield
    except VibesynthError as err:
        fail(str(err))
    except OSError as err:
        if writing is None:
            fail(f"cannot use {err.filename or 'a file'} ({err.strerror or err}); check the path and its permissions")
        fail(f"cannot write {writing} ({err.strerror or err}); choose a writable path")


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

        with _clean_errors(library_dir()):
            manifest = build_library(roles=roles, variants=variants, force=force, progress=step)
    console.print(f"library: {library_dir()} ({len(manifest.samples)} samples; {made} made, {len(todo) - made} kept)")


@palettes_app.command("index")
def palettes_index(
    folder: Path = typer.Argument(..., help="Folder of your own samples (roles from folder/file names)."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="Index JSON; default: the cache's indexes/ folder."),
) -> None:
    """Index your own samples: role from names, loop detection, BPM from name or onsets."""
    from palettes.indexer import index_folder
    from tools.files import write_json
    from tools.paths import cache_root

    if not folder.is_dir():
        fail(f"{folder} is not a folder; pass a directory of samples")
    notes: list[tuple[Path, str]] = []
    with _clean_errors():
        manifest = index_folder(folder, report=lambda path, note: notes.append((path, note)))
    target = out or cache_root() / "indexes" / f"{manifest.name}.json"
    with _clean_errors(target):
        write_json(target, manifest.model_dump())
    _table(manifest)
    for path, note in notes:
        console.print(f"{path}: {note}", highlight=False)
    console.print(f'index: {target}  (use it as "library" in a palette JSON)')


@palettes_app.command("list")
def palettes_list(
    role: Optional[str] = typer.Option(None, help="Only this role."),
) -> None:
    """List the generated library (and the curated palettes)."""
    from palettes.library import REBUILD, read_manifest

    with _clean_errors():
        manifest = read_manifest()
    if manifest is None:
        fail(f"no sample library yet; {REBUILD}")
    roles = sorted(manifest.by_role())
    if role is not None and role not in roles:
        fail(f"--role {role!r} is not in the library; choose one of {', '.join(roles)}")
    _table(manifest, role)
    from palettes import curated_palettes

    curated = curated_palettes()
    console.print("curated palettes: " + (", ".join(p.name for p in curated) or "none"))


def _table(manifest, role: str | None = None) -> None:
    table = Table("id", "role", "type", "bars", "bpm", "key", "seconds", "recipe")
    for entry in sorted(manifest.samples.values(), key=lambda e: (e.role, e.id)):
        if role and entry.role != role:
            continue
        table.add_row(
            entry.id,
            entry.role,
            "loop" if entry.loop else "oneshot",
            str(entry.bars or ""),
            f"{entry.bpm:g}" if entry.bpm else "",
            entry.key or "",
            f"{entry.duration:.2f}",
            entry.recipe or "",
        )
    console.print(table)


@app.command()
def reference(
    palette: Path = typer.Option(..., help="Palette JSON, or a curated palette's name (palette_001)."),
    bars: str = typer.Option("32", help="Which arrangement: 32, 64 or set (128 bars)."),
    bpm: Optional[float] = typer.Option(None, min=60, max=200, help="Tempo; default: the palette's."),
    seed: int = typer.Option(0, min=0, help="Seed of the mixer session (>= 0)."),
    sample_rate: int = typer.Option(44100, help="Output sample rate: 44100 or 48000."),
    pcm16: bool = typer.Option(False, "--pcm16", help="Write 16-bit PCM instead of float32 (needed for .flac)."),
    out: Path = typer.Option(..., "-o", "--out", help="Output .wav (or .flac with --pcm16); OUT.json goes beside it."),
) -> None:
    """Render a reference arrangement (tool calls only) to WAV, peak-normalised to -1 dBTP."""
    from palettes import find_palette
    from palettes.library import load_palette
    from reference.arrangements import KINDS, render_reference

    palette = find_palette(palette)
    from tools.audio_io import write_audio

    if bars not in KINDS:
        fail(f"--bars {bars!r} is not an arrangement; choose one of {', '.join(KINDS)}")
    if sample_rate not in SAMPLE_RATES:
        fail(f"--sample-rate {sample_rate} is not supported; use {' or '.join(map(str, SAMPLE_RATES))}")
    if out.suffix.lower() not in (".wav", ".flac"):
        fail(f"{out}: the output must end in .wav or .flac (its log goes to {out.with_suffix('.json').name})")
    if out.suffix.lower() == ".flac" and not pcm16:
        fail(f"{out}: FLAC cannot hold float32 samples; add --pcm16 or write a .wav")
    sidecar = out.with_suffix(".json")
    if sidecar.resolve() == palette.resolve():
        fail(f"{out}: its sidecar {sidecar.name} would overwrite the palette; choose another output name")
    with _clean_errors(), console.status(f"rendering the {bars} arrangement with {palette.name}"):  # a set: seconds
        loaded = load_palette(palette)
        result = render_reference(loaded, bars, bpm, seed, sample_rate)
    with _clean_errors(out):
        written = write_audio(out, result.audio, sample_rate, subtype="pcm16" if pcm16 else "float")
    with _clean_errors(sidecar):
        _write_sidecar(sidecar, palette, loaded, bars, seed, sample_rate, pcm16, result)
    console.print(f"{written}: {result.bars} bars at {result.bpm:g} BPM ({result.audio.shape[0] / sample_rate:.2f} s); log {sidecar}")


def _write_sidecar(sidecar: Path, palette: Path, loaded, bars: str, seed: int, sample_rate: int, pcm16: bool, result) -> None:
    from tools.files import write_json
    from tools.loudness import true_peak_dbtp

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
