"""`vibesynth dx7 ...`: render, bank list|extract|pack, design, match and schema for the DX7 instrument."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from tools.errors import VibesynthError
from tools.files import make_folder
from vibesynth.cli.app import app, console, fail

dx7_app = typer.Typer(help="The DX7 FM instrument (dexed-py engine).", no_args_is_help=True)
bank_app = typer.Typer(help="Voice banks: list, extract, pack.", no_args_is_help=True)
dx7_app.add_typer(bank_app, name="bank")
app.add_typer(dx7_app, name="dx7")

PATCH_HELP = "A voice: .json (operator-major or seeds/003 12-key form), .syx/.dx7 (see --voice), or factory:N / factory:NAME."


@contextmanager
def _clean_errors() -> Iterator[None]:
    try:
        yield
    except VibesynthError as err:
        fail(str(err))
    except OSError as err:
        fail(f"cannot use {err.filename or 'a file'} ({err.strerror or err}); check the path and its permissions")


def _notes(text: str, what: str) -> list[int]:
    try:
        notes = [int(n) for n in text.replace(" ", "").split(",") if n]
    except ValueError:
        fail(f"--{what} takes MIDI note numbers separated by commas, e.g. 60,64,67")
    if not notes:
        fail(f"--{what} needs at least one note")
    return notes


@dx7_app.command("render")
def render_cmd(
    patch: str = typer.Argument(..., help=PATCH_HELP),
    out: Path = typer.Option(..., "-o", "--out", help="Output WAV (stereo float32)."),
    note: int = typer.Option(60, min=0, max=127, help="MIDI note (60 = middle C)."),
    velocity: int = typer.Option(100, min=1, max=127),
    hold: float = typer.Option(1.5, min=0.05, max=30.0, help="Seconds the key is held."),
    release: float = typer.Option(1.0, min=0.0, max=10.0, help="Seconds rendered after key-up."),
    chord: Optional[str] = typer.Option(None, help="Play these notes together instead, e.g. 60,64,67."),
    phrase: Optional[str] = typer.Option(None, help="Play these notes one after another instead, e.g. 60,62,64."),
    step: float = typer.Option(0.4, min=0.05, max=5.0, help="Seconds between phrase notes."),
    voice: int = typer.Option(1, min=1, help="Which voice of a .syx/.dx7 bank (1-based)."),
    sample_rate: int = typer.Option(44100, help="44100 or 48000."),
    lufs: float = typer.Option(-16.0, min=-40.0, max=-6.0, help="Loudness target (true peak stays <= -1 dBTP)."),
    play: bool = typer.Option(False, "--play", help="Play it when an output device exists (else one line says none was found)."),
) -> None:
    """Render a note, chord or phrase of a DX7 voice to WAV."""
    from tools.audio_io import write_audio
    from tools.dx7 import engine
    from tools.dx7.files import load_voice
    from tools.loudness import integrated_lufs, true_peak_dbtp

    if chord and phrase:
        fail("give --chord or --phrase, not both")
    with _clean_errors():
        v = load_voice(patch, voice)
        if chord:
            notes = engine.chord(_notes(chord, "chord"), velocity, hold, release)
        elif phrase:
            notes = engine.phrase(_notes(phrase, "phrase"), step, velocity, min(hold, step), release)
        else:
            notes = [engine.Note(note, velocity, 0.0, hold, release)]
        audio = engine.render(v, notes, sample_rate, lufs)
        write_audio(out, audio, sample_rate)
    console.print(
        f"{out}: {v.name!r}, {audio.shape[0] / sample_rate:.2f} s, "
        f"{integrated_lufs(audio, sample_rate):.1f} LUFS, true peak {true_peak_dbtp(audio):.2f} dBTP"
    )
    if play:
        from vibesynth.cli.render import play_or_say

        play_or_say(audio, sample_rate)


@bank_app.command("list")
def bank_list(bank: str = typer.Argument(..., help="`factory`, a .syx/.dx7 file, or a .json voice.")) -> None:
    """List the voices of a bank."""
    from tools.dx7.files import entries

    with _clean_errors():
        found = entries(bank)
    table = Table(title=f"{bank}: {len(found)} voices")
    for col in ("#", "name", "algorithm", "feedback", "source"):
        table.add_column(col)
    for i, e in enumerate(found, start=1):
        table.add_row(str(i), e.voice.name, str(e.voice.algorithm), str(e.voice.feedback), f"{e.source} msg {e.message} slot {e.slot + 1}")
    console.print(table)


@bank_app.command("extract")
def bank_extract(
    bank: str = typer.Argument(..., help="`factory` or a .syx/.dx7 file."),
    out: Path = typer.Option(..., "-o", "--out", help="A .json/.syx file for one --voice, else a folder for all."),
    voice: Optional[int] = typer.Option(None, min=1, help="Which voice (1-based); all when left out."),
    form: str = typer.Option("voice", help="JSON form: `voice` (operator-major) or `seed` (seeds/003 12-key)."),
) -> None:
    """Write voices of a bank as JSON or single-voice .syx files."""
    from tools.dx7.files import entries, save_voice

    if form not in ("voice", "seed"):
        fail(f"--form {form!r} is not known; use voice or seed")
    with _clean_errors():
        found = entries(bank)
        if voice is not None:
            if voice > len(found):
                fail(f"{bank} holds {len(found)} voices; --voice must be in 1..{len(found)}")
            save_voice(out, found[voice - 1].voice, form)
            console.print(f"{out}: {found[voice - 1].voice.name!r}")
            return
        make_folder(out)
        for i, e in enumerate(found, start=1):
            safe = "".join(c if c.isalnum() else "_" for c in e.voice.name.strip()) or "voice"
            save_voice(out / f"{i:03d}_{safe}.json", e.voice, form)
    console.print(f"{out}: {len(found)} voices")


@bank_app.command("pack")
def bank_pack(
    sources: list[str] = typer.Argument(..., help="Voices (.json, .syx, .dx7, factory:N); banks contribute every voice."),
    out: Path = typer.Option(..., "-o", "--out", help="Output .syx: 32-voice bulk dumps, INIT VOICE padding."),
) -> None:
    """Pack voices into 32-voice bulk SysEx dumps."""
    from tools.dx7 import sysex
    from tools.dx7.files import entries, load_voice

    with _clean_errors():
        voices = []
        for src in sources:
            voices += [load_voice(src)] if src.startswith("factory:") else [e.voice for e in entries(src)]
        sysex.write_bank(out, voices)
    console.print(f"{out}: {len(voices)} voices in {-(-len(voices) // 32)} bulk dump(s)")


@dx7_app.command("design")
def design_cmd(
    text: str = typer.Argument(..., help="What the sound should be, e.g. 'warm electric piano, long decay'."),
    out: Path = typer.Option(Path("dx7_voice.json"), "-o", "--out", help=".json or .syx for the voice."),
    lm: Optional[str] = typer.Option(None, help="A litellm model; left out: the rule-based designer."),
    api_base: Optional[str] = typer.Option(None, help="OpenAI-compatible server for --lm."),
    wav: Optional[Path] = typer.Option(None, help="Also render middle C to this WAV."),
) -> None:
    """Text -> DX7 voice (rule-based, or a DSPy program with --lm)."""
    from reference.dx7_designer import DESIGNER_NAME, design
    from tools.dx7.files import save_voice

    if not text.strip():
        fail("the sound description is empty; describe it, e.g. vibesynth dx7 design 'warm electric piano, long decay'")
    with _clean_errors():
        if lm is None:
            voice, who = design(text), DESIGNER_NAME
        else:
            from agent.dx7_design import voice_from_lm
            from agent.lm import parse_lm

            voice, prov = voice_from_lm(text, parse_lm(lm, api_base=api_base))
            who = prov["designer"]
        save_voice(out, voice)
        if wav is not None:
            from tools.audio_io import write_audio
            from tools.dx7 import engine

            write_audio(wav, engine.render(voice, [engine.Note(60, 100, 0.0, 1.5, 1.0)]), 44100)
    console.print(f"{out}: {voice.name!r} from {who}")


@dx7_app.command("refine")
def refine_cmd(
    patch: str = typer.Argument(..., help=PATCH_HELP),
    instruction: str = typer.Argument(
        ...,
        help="What to change: brighter/darker, sharper/softer attack, shorter/longer decay, longer release, an octave higher; 'much' for two steps.",
    ),
    out: Path = typer.Option(..., "-o", "--out", help=".json or .syx for the edited voice."),
    voice: int = typer.Option(1, min=1, help="Which voice of a .syx/.dx7 bank (1-based)."),
    wav: Optional[Path] = typer.Option(None, help="Also render middle C of the edited voice to this WAV."),
) -> None:
    """Edit a DX7 voice by words through documented FM mappings (reference/dx7_refiner.py); prints what moved."""
    from reference.dx7_refiner import REFINER_NAME, refine_voice
    from tools.dx7.files import load_voice, save_voice

    with _clean_errors():
        edit = refine_voice(load_voice(patch, voice), instruction)
        save_voice(out, edit.voice)
        if wav is not None:
            from tools.audio_io import write_audio
            from tools.dx7 import engine

            write_audio(wav, engine.render(edit.voice, [engine.Note(60, 100, 0.0, 1.5, 1.0)]), 44100)
    table = Table(title=f"{instruction!r} ({REFINER_NAME})", title_justify="left")
    for column in ("attribute", "steps", "words"):
        table.add_column(column)
    for attribute, steps, words in edit.moves:
        table.add_row(attribute, f"{steps:+d}", words)
    console.print(table)
    console.print("\n".join(edit.changed) or "no parameter moved", highlight=False)
    for note in edit.notes:
        console.print(f"[yellow]note:[/] {note}", highlight=False)
    console.print(f"wrote {out}" + (f" and {wav}" if wav else ""), highlight=False)


@dx7_app.command("match")
def match_cmd(
    target: str = typer.Argument(..., help="A WAV/FLAC recording, or a voice to match (factory:N, .json, .syx)."),
    out: Path = typer.Option(Path("runs/dx7-match"), "-o", "--out", help="Folder for the matched voice, renders and report."),
    start: Optional[str] = typer.Option(None, help="Voice to start from (default INIT VOICE)."),
    note: int = typer.Option(60, min=0, max=127, help="Note the recording plays (WAV targets)."),
    velocity: int = typer.Option(100, min=1, max=127, help="Velocity the recording was played at (WAV targets)."),
    trials: int = typer.Option(150, min=1, max=5000),
    sampler: str = typer.Option("tpe", help="tpe | cmaes | random."),
    metric: str = typer.Option("mrstft", help="mrstft | log_mel | mcd | rms_cos."),
    seed: int = typer.Option(0, min=0),
) -> None:
    """Search voice parameters so the DX7 sounds like the target."""
    from rich.progress import Progress

    from optimize.dx7_match import SAMPLERS, evaluate, match, target_from_voice, target_from_wav
    from tools.audio_io import write_audio
    from tools.dx7 import engine as eng
    from tools.dx7.distance import HELD_OUT_PROBE, METRICS, Probe
    from tools.dx7.files import load_voice, save_voice
    from tools.dx7.seed_form import parameter_distance
    from tools.dx7.voice import Voice
    from tools.files import write_json

    if sampler not in SAMPLERS:
        fail(f"--sampler {sampler!r} is not known; use one of {', '.join(SAMPLERS)}")
    if metric not in METRICS:
        fail(f"--metric {metric!r} is not known; use one of {', '.join(METRICS)}")
    with _clean_errors():
        engine = eng.Engine()
        first = load_voice(start) if start else Voice()
        target_voice = None
        if Path(target).suffix.lower() in (".wav", ".flac", ".ogg", ".aiff", ".aif"):
            tgt = target_from_wav(target, note, velocity, engine)
        else:
            target_voice = load_voice(target)
            tgt = target_from_voice(target_voice, Probe(), engine)
        with Progress(console=console) as progress:
            task = progress.add_task("matching", total=trials)
            result = match(tgt, first, trials, seed, sampler, metric, engine, progress=lambda: progress.advance(task))
        make_folder(out)
        save_voice(out / "matched.json", result.voice)
        save_voice(out / "matched.syx", result.voice)
        n, v = tgt.probe.pairs[len(tgt.probe.pairs) // 2]
        write_audio(out / "matched.wav", eng.render(result.voice, [eng.Note(n, v, 0.0, 1.5, 1.0)]), 44100)
        report = {
            "target": tgt.source,
            "start": first.name,
            "trials": trials,
            "sampler": sampler,
            "metric": metric,
            "seed": seed,
            "search_probe": tgt.probe.pairs,
            "start_distance": result.start_distance,
            "best_distance": result.best_distance,
            "history": result.history,
        }
        if target_voice is not None:
            report["held_out_probe"] = HELD_OUT_PROBE.pairs
            report["held_out_start"] = evaluate(first, target_voice, HELD_OUT_PROBE, engine)
            report["held_out_matched"] = evaluate(result.voice, target_voice, HELD_OUT_PROBE, engine)
            report["param_distance"] = {"start": parameter_distance(first, target_voice), "matched": parameter_distance(result.voice, target_voice)}
        write_json(out / "report.json", report)
    console.print(
        f"{out}: {metric} {result.start_distance:.4f} (start) -> {result.best_distance:.4f} (matched) "
        f"in {trials} trials; one run, no CI (scripts/dx7_match_eval.py gives CIs over held-out voices)"
    )


@dx7_app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the operator-major DX7 voice."""
    from tools.instruments import DX7

    console.print_json(json.dumps(DX7.json_schema()))
