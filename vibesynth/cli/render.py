"""`vibesynth schema` and `vibesynth render`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from tools.errors import VibesynthError
from vibesynth.cli.app import app, console, fail, finite, interrupted

SAMPLE_RATES = (44100, 48000)


@app.command()
def schema() -> None:
    """Print the MusicConfig JSON Schema (for constrained decoding)."""
    from tools.instruments import AMBIENT

    console.print_json(json.dumps(AMBIENT.json_schema()))


@app.command()
def styles(
    field: Optional[str] = typer.Argument(None, help="One config field (e.g. bass); left out: every field."),
    as_json: bool = typer.Option(False, "--json", help="Print {field: {value: line}} as JSON."),
) -> None:
    """How every value of every config field sounds, one line each (read from the engine's code)."""
    import difflib

    from tools.ambient.styles import FIELD_LINES, lines
    from tools.schema import FIELDS

    if field is not None and field not in FIELDS:
        close = difflib.get_close_matches(field, FIELDS, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}? " if close else ""
        fail(f"{field!r} is not a config field; {hint}valid fields: {', '.join(FIELDS)}")
    chosen = (field,) if field is not None else FIELDS
    if as_json:
        console.print_json(
            json.dumps({name: {json.dumps(v) if not isinstance(v, str) else v: line for v, line in lines(name).items()} for name in chosen})
        )
        return
    for name in chosen:
        table = Table(title=f"{name}: {FIELD_LINES[name]}", title_justify="left", show_header=False, box=None, padding=(0, 2))
        table.add_column("value", style="bold")
        table.add_column("how it sounds")
        for value, line in lines(name).items():
            table.add_row(json.dumps(value) if not isinstance(value, str) else value, line)
        console.print(table)


@app.command()
def render(
    output: Path = typer.Option(..., "-o", "--out", "--output", help="WAV (or .flac with --pcm16) file to write; OUT.json goes beside it."),
    config: Optional[Path] = typer.Option(
        None, "--config", help="MusicConfig JSON (fields left out come from the neutral default) or an earlier render's sidecar."
    ),
    vibe: Optional[str] = typer.Option(None, "--vibe", help="Describe the vibe in words (rule-based mapper)."),
    overrides: Optional[list[str]] = typer.Option(None, "--set", help="FIELD=VALUE applied last, e.g. --set tempo=fast (repeatable)."),
    duration: Optional[float] = typer.Option(
        None,
        "--duration",
        callback=finite(allowed="seconds in (0, 3600]"),
        help="Seconds to render (0 < d <= 3600) [default: 60; musicgen: 30, its longest clip].",
    ),
    seed: int = typer.Option(0, "--seed", min=0, help="Performance seed (same seed, same audio)."),
    sample_rate: int = typer.Option(44100, "--sample-rate", help="44100 or 48000."),
    pcm16: bool = typer.Option(False, "--pcm16", help="Write 16-bit PCM instead of 32-bit float."),
    target_lufs: float = typer.Option(
        -16.0, "--target-lufs", callback=finite(allowed="a value in [-40, -6] (e.g. -16)"), help="Integrated loudness target (LUFS)."
    ),
    lm: Optional[str] = typer.Option(None, "--lm", help="Map --vibe with an LM (litellm model string); `reference` = rules."),
    api_base: Optional[str] = typer.Option(None, "--api-base", help="OpenAI-compatible server for --lm."),
    program: Optional[Path] = typer.Option(None, "--program", help="Compiled vibe program (folder from `vibesynth compile vibe`) for --lm."),
    engine: str = typer.Option(
        "ambient",
        "--engine",
        help="ambient (the synth, from a config) or musicgen (text to audio from --vibe; needs .venv-train or --remote; docs/learning/musicgen.md).",
    ),
    checkpoint: Optional[Path] = typer.Option(
        None,
        "--checkpoint",
        help="musicgen: a MusicGen folder [default: $VIBESYNTH_MUSICGEN_CHECKPOINT, else the cache's checkpoints/musicgen-small].",
    ),
    device: str = typer.Option("cpu", "--device", help="musicgen: cpu | cuda | mps."),
    remote: Optional[str] = typer.Option(None, "--remote", help="musicgen: generate on the deployed Modal app (`modal`) or a URL."),
    stems: bool = typer.Option(False, "--stems", help="Also write one float WAV per sounding layer: OUT.stem-LAYER.wav."),
    midi: bool = typer.Option(False, "--midi", help="Also write the score the synth played as OUT.mid (one track per layer)."),
    play: bool = typer.Option(False, "--play", help="Play the result when an output device exists (else one line says none was found)."),
    from_study: Optional[Path] = typer.Option(
        None, "--from-study", help="A `vibesynth study ambient` folder or its run.json: render its best trial (--config OUT/run.json does the same)."
    ),
    from_teacher: Optional[Path] = typer.Option(
        None, "--from-teacher", help="A `vibesynth teacher` run folder: render the best config it found for --vibe-id."
    ),
    vibe_id: Optional[str] = typer.Option(None, "--vibe-id", help="With --from-teacher: which vibe (its id in the run's vibe list)."),
    vibes: Optional[Path] = typer.Option(
        None,
        "--vibes",
        help='Batch: a JSONL file of {"vibe": TEXT, "id": NAME (optional)}; -o is then a folder (one WAV and sidecar per record, resumable).',
    ),
    workers: int = typer.Option(1, "--workers", min=1, help="Batch: render this many records at once (processes)."),
) -> None:
    """Render a MusicConfig (from --config or --vibe, plus --set overrides) to a stereo WAV with a JSON sidecar.
    With --engine musicgen, MusicGen makes the audio from the --vibe text (same WAV and sidecar, config null)."""
    from vibesynth.api import render as render_api

    if duration is None:
        duration = 30.0 if engine == "musicgen" else 60.0
    sources = [
        name
        for name, value in (
            ("--config", config),
            ("--vibe", vibe),
            ("--from-study", from_study),
            ("--from-teacher", from_teacher),
            ("--vibes", vibes),
        )
        if value is not None
    ]
    if len(sources) != 1:
        fail(
            "give exactly one config source: --config FILE.json, --vibe TEXT, --from-study DIR, --from-teacher DIR "
            "--vibe-id ID, or --vibes FILE.jsonl (a batch)" + (f"; got {', '.join(sources)}" if sources else "")
        )
    if vibe_id is not None and from_teacher is None:
        fail("--vibe-id picks a vibe of a teacher run: add --from-teacher DIR")
    if workers > 1 and vibes is None:
        fail("--workers renders a batch in parallel: give --vibes FILE.jsonl (and -o a folder)")
    if vibes is not None:
        if engine != "ambient" or play:
            fail("a batch renders the synth to files: drop --engine and --play with --vibes")
        options = {
            "duration": duration,
            "seed": seed,
            "sample_rate": sample_rate,
            "target_lufs": target_lufs,
            "overrides": overrides or None,
            "lm": lm,
            "api_base": api_base,
            "program": str(program) if program else None,
        }
        _batch(vibes, output, options, stems, midi, pcm16, workers)
        return
    if not 0 < duration <= 3600:
        fail(f"--duration {duration:g} is out of range; use seconds in (0, 3600]")
    if sample_rate not in SAMPLE_RATES:
        fail(f"--sample-rate {sample_rate} is not supported; use 44100 or 48000")
    if not -40.0 <= target_lufs <= -6.0:
        fail(f"--target-lufs {target_lufs:g} is out of range; use a value in [-40, -6] (e.g. -16)")
    if output.suffix.lower() not in (".wav", ".flac"):
        fail(f"{output}: the output must end in .wav or .flac")
    if output.suffix.lower() == ".flac" and not pcm16:
        fail(f"{output}: FLAC cannot hold float32 samples; add --pcm16 or write a .wav")
    if config is not None and output.with_suffix(".json").resolve() == config.resolve():
        fail(f"{output}: its sidecar {output.with_suffix('.json').name} would overwrite the config; choose another output name")
    if lm is not None and lm != "reference" and config is not None:
        fail("--lm maps a vibe to a config: give --vibe TEXT (and no --config)")
    if engine not in ("ambient", "musicgen"):
        fail(f"--engine {engine!r} is not an engine; use ambient (the synth) or musicgen (text to audio)")
    if engine == "ambient" and (checkpoint is not None or remote is not None or device != "cpu"):
        fail("--checkpoint, --device and --remote belong to --engine musicgen; add it, or drop them")
    if engine == "musicgen" and (config is not None or overrides or lm is not None or program is not None):
        fail("--engine musicgen makes audio from words: give only --vibe TEXT (no --config, --set, --lm or --program)")
    if engine == "musicgen" and (stems or midi):
        fail("--stems and --midi need the synth's layers and score: --engine musicgen makes one mix; drop them")
    if vibe is not None and not vibe.strip():
        fail("--vibe is empty; describe a mood, place, time or activity")
    if (from_study or from_teacher) and lm is not None:
        fail("--lm maps a vibe to a config; a study's or teacher's result is a config already: drop --lm")
    source, picked = config if config is not None else vibe, None
    try:
        if from_study is not None:
            source = from_study
        elif from_teacher is not None:
            from vibesynth.results import teacher_config

            chosen, picked = teacher_config(from_teacher, vibe_id)
            source = chosen.model_dump(mode="json")
        with console.status(f"rendering {duration:g} s at {sample_rate} Hz"):
            piece = render_api(
                source,
                duration=duration,
                seed=seed,
                sample_rate=sample_rate,
                target_lufs=target_lufs,
                overrides=overrides,
                lm=lm,
                api_base=api_base,
                program=program,
                engine=engine,
                checkpoint=checkpoint,
                device=device,
                remote=remote,
                stems=stems,
            )
        if picked is not None:
            piece.info.update(picked)
            piece.info.pop("filled_from_neutral", None)
        _save(piece, output, pcm16, stems, midi)
    except VibesynthError as err:
        fail(str(err))
    except OSError as err:
        fail(f"cannot write {output} ({err.strerror or err}); choose a writable path")
    info = piece.info
    if info.get("source") in ("study", "teacher"):
        from vibesynth.results import describe

        console.print(describe(info), highlight=False, soft_wrap=True)
    if info.get("note"):
        console.print(f"[yellow]note:[/] {info['note']} (see docs/guide/ambient.md, Vibe mapper)", highlight=False, soft_wrap=True)
    if info.get("loudness_note"):
        console.print(f"[yellow]note:[/] {info['loudness_note']}", highlight=False, soft_wrap=True)
    if info.get("filled_from_neutral"):
        console.print(f"filled from the neutral default: {', '.join(info['filled_from_neutral'])}", highlight=False, soft_wrap=True)
    if engine == "musicgen":
        made = info["musicgen"]
        where = made.get("remote") or made["checkpoint"]
        console.print(
            f"wrote {output} and {output.with_suffix('.json').name} ({duration:g} s, audio from musicgen {where}, "
            f"generated in {made['generate_s']:.1f} s)",
            highlight=False,
            soft_wrap=True,
        )
    else:
        label = info["mapper"] or info["source"]
        console.print(f"wrote {output} and {output.with_suffix('.json').name} ({duration:g} s, config from {label})", highlight=False, soft_wrap=True)
    _report_extras(piece, output, play)


@app.command()
def refine(
    source: Path = typer.Argument(..., help="A render's sidecar (OUT.json), the WAV beside it, or a config JSON."),
    instruction: str = typer.Argument(..., help='What to change, in words: "slower, darker, no drums", "a bit brighter", "in D minor".'),
    output: Path = typer.Option(..., "-o", "--out", "--output", help="WAV (or .flac with --pcm16) to write; OUT.json (with the history) beside it."),
    lm: Optional[str] = typer.Option(None, "--lm", help="Read the instruction with an LM (litellm model string); default: the rules."),
    api_base: Optional[str] = typer.Option(None, "--api-base", help="OpenAI-compatible server for --lm."),
    duration: Optional[float] = typer.Option(
        None, "--duration", callback=finite(allowed="seconds in (0, 3600]"), help="Seconds to render [default: the source's, else 60]."
    ),
    seed: Optional[int] = typer.Option(None, "--seed", min=0, help="Performance seed [default: the source's, else 0]."),
    pcm16: bool = typer.Option(False, "--pcm16", help="Write 16-bit PCM instead of 32-bit float."),
    as_json: bool = typer.Option(False, "--json", help="Print the edit (changes, notes) as JSON."),
    stems: bool = typer.Option(False, "--stems", help="Also write one float WAV per sounding layer: OUT.stem-LAYER.wav (renders once more)."),
    midi: bool = typer.Option(False, "--midi", help="Also write the score the synth played as OUT.mid (one track per layer)."),
    play: bool = typer.Option(False, "--play", help="Play the result when an output device exists (else one line says none was found)."),
) -> None:
    """Edit a render's config by words and render it: relative words move fields by steps, absolute words set them,
    the rest stays; prints the fields that moved and keeps the history in the sidecar."""
    from vibesynth.api import refine as refine_api

    if output.suffix.lower() not in (".wav", ".flac"):
        fail(f"{output}: the output must end in .wav or .flac")
    if output.suffix.lower() == ".flac" and not pcm16:
        fail(f"{output}: FLAC cannot hold float32 samples; add --pcm16 or write a .wav")
    if output.with_suffix(".json").resolve() in (source.resolve(), source.with_suffix(".json").resolve()):
        fail(f"{output}: its sidecar would overwrite the source {source.name}; choose another output name")
    try:
        with console.status("refining and rendering"):
            piece = refine_api(source, instruction, lm=lm, api_base=api_base, duration=duration, seed=seed)
            _save(piece, output, pcm16, stems, midi)
    except VibesynthError as err:
        fail(str(err))
    except OSError as err:
        fail(f"cannot write {output} ({err.strerror or err}); choose a writable path")
    step = piece.info["history"][-1]
    if as_json:
        console.print_json(json.dumps({"out": str(output), **step}))
        _report_extras(piece, output, play, quiet=True)
        return
    table = Table(title=f"{instruction!r} ({step['refiner']})", title_justify="left")
    for column in ("field", "from", "to", "words", "how"):
        table.add_column(column)
    for change in step["changes"]:
        table.add_row(*(str(change[k]) for k in ("field", "from", "to", "words", "how")))
    console.print(table if step["changes"] else "no field moved", highlight=False)
    for note in step["notes"]:
        console.print(f"[yellow]note:[/] {note}", highlight=False, soft_wrap=True)
    console.print(
        f"wrote {output} and {output.with_suffix('.json').name} (refinement {len(piece.info['history'])} of {source.name})",
        highlight=False,
        soft_wrap=True,
    )
    _report_extras(piece, output, play)


def _save(piece, output: Path, pcm16: bool, stems: bool, midi: bool) -> None:
    """Stems and MIDI first (they add their names to the sidecar), then the audio and the sidecar."""
    if stems:
        piece.save_stems(output)
    if midi:
        piece.save_midi(output.with_suffix(".mid"))
    piece.save(output, pcm16=pcm16)


def _report_extras(piece, output: Path, play: bool, quiet: bool = False) -> None:
    """Name the stem and MIDI files (unless `quiet`: --json output), then play when asked."""
    if not quiet and "stems" in piece.info:
        made = piece.info["stems"]
        console.print(
            f"stems: {', '.join(made['files'].values())} (sum to the mix within {made['mix_minus_sum_peak']:.2g} "
            "peak; docs/instruments/cli-conveniences.md says when they differ)",
            highlight=False,
            soft_wrap=True,
        )
    if not quiet and "midi" in piece.info:
        made = piece.info["midi"]
        console.print(f"midi: {made['file']} ({made['notes']} notes on {made['tracks']} layer tracks)", highlight=False, soft_wrap=True)
    if play:
        play_or_say(piece.audio, piece.sample_rate)


def play_or_say(audio, sample_rate: int) -> None:
    """--play: play through the default output device, or print the one line saying why not (never fails)."""
    from vibesynth.playback import play

    try:
        console.print(play(audio, sample_rate), highlight=False, soft_wrap=True)
    except KeyboardInterrupt:
        interrupted("playback stopped; the files are written")


def _batch(vibes: Path, out: Path, options: dict, stems: bool, midi: bool, pcm16: bool, workers: int) -> None:
    """`render --vibes FILE -o DIR`: every record not done yet, with a progress bar; Ctrl+C keeps what finished."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from vibesynth.batch import BATCH_FILE, prepare, run_batch

    if out.suffix.lower() in (".wav", ".flac"):
        fail(f"-o {out}: a batch writes into a folder (one WAV and sidecar per record); give a folder path")
    try:
        records, todo = prepare(vibes, out, options, stems, midi, pcm16)
    except VibesynthError as err:
        fail(str(err))
    done = len(records) - len(todo)
    if done:
        console.print(f"{done} of {len(records)} already rendered in {out}: skipping them", highlight=False)
    finished = 0
    try:
        with Progress(
            TextColumn("batch"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
        ) as progress:
            task = progress.add_task("", total=len(records), completed=done)

            def on_done(summary: dict) -> None:
                nonlocal finished
                finished += 1
                progress.update(task, advance=1, description=summary["id"])

            run_batch(todo, out, options, stems, midi, pcm16, workers, on_done)
    except VibesynthError as err:
        fail(f"{err} ({done + finished} of {len(records)} rendered; fix it and rerun to go on)")
    except OSError as err:
        fail(f"cannot write in {out} ({err.strerror or err}); choose a writable folder")
    except KeyboardInterrupt:
        interrupted(f"{done + finished} of {len(records)} rendered in {out}; run the same command again to go on")
    console.print(
        f"rendered {finished}, skipped {done} already done: {len(records)} records in {out} (settings in {out / BATCH_FILE})",
        highlight=False,
        soft_wrap=True,
    )
