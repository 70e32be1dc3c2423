"""The Python API: the same three things the command line does.

    import vibesynth
    piece = vibesynth.render("rainy afternoon in Tokyo", duration=30)
    piece.save("rain.wav")                      # + rain.json sidecar, as `vibesynth render`
    print(piece.scores["OBJ"])                   # dsp proxy scores (aesthetics.Scores, as score() returns)
    mix = vibesynth.dj("dark warehouse techno, hypnotic", bars=32)

Every function raises `tools.errors.VibesynthError` subclasses with a
message that names the problem and the fix (the CLI prints the same lines).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tools.errors import AudioError, ConfigError
from tools.schema import MusicConfig

if TYPE_CHECKING:
    from aesthetics import Scores

SAMPLE_RATES = (44100, 48000)
MAX_SECONDS = 3600.0


@dataclass
class Rendered:
    """An ambient render: `.audio` (frames, 2) float32, `.config`, `.info` (the sidecar), `.scores`, `.save()`."""

    audio: np.ndarray
    sample_rate: int
    config: MusicConfig | None  # None for a text-to-audio engine (musicgen): it makes audio, not a config
    info: dict[str, Any]
    _scores: Scores | None = field(default=None, repr=False)
    score: dict[str, list] | None = field(default=None, repr=False)  # the notes each layer played (ambient)
    stems: dict[str, np.ndarray] | None = field(default=None, repr=False)  # per-layer audio (render(stems=True))
    stem_gain: float | None = field(default=None, repr=False)  # the one gain that levels the stems' sum

    @property
    def scores(self) -> Scores:
        """dsp proxy scores, computed once on first use: the `aesthetics.Scores` that `score()` returns
        (`.OBJ` or `["OBJ"]`, `.backend`, `.extra`, ...; `.model_dump()` for a dict)."""
        if self._scores is None:
            self._scores = score(self.audio, self.sample_rate, text=self.info.get("vibe"))
        return self._scores

    def refine(self, instruction: str, lm: str | None = None, api_base: str | None = None) -> Rendered:
        """A new render with the config edited by `instruction` ("darker, no drums"); see `refine`."""
        return refine(self, instruction, lm=lm, api_base=api_base)

    def save_stems(self, path: str | Path) -> list[Path]:
        """Write one float32 WAV per sounding layer beside `path` (`NAME.stem-bass.wav`, ...) and record them in
        `info["stems"]` (call before `save`). Without stems from the render, renders once more with them and
        checks that the mix came out bit-identical. See `tools.ambient.render.Render` for what the stems sum to."""
        from tools.audio_io import write_audio

        if self.config is None:
            raise ConfigError("stems need the synth's layers: the musicgen engine makes one mix, not layers")
        if self.stems is None:
            again = render(self.config, **{k: self.info[k] for k in ("duration", "seed", "sample_rate", "target_lufs")}, stems=True)
            if not np.array_equal(again.audio, self.audio):
                raise AudioError("the audio is not the render of its config any more (it was changed); render again with stems")
            self.stems, self.stem_gain = again.stems, again.stem_gain
        path = Path(path)
        written = [write_audio(path.with_name(f"{path.stem}.stem-{layer}.wav"), audio, self.sample_rate) for layer, audio in self.stems.items()]
        total = sum(self.stems.values())
        self.info["stems"] = {
            "files": {layer: p.name for layer, p in zip(self.stems, written)},
            "gain_db": round(20 * float(np.log10(self.stem_gain)), 4),
            # How far the mix is from the stems' sum: float32 rounding (~1e-7) unless the grain or the limiter acted.
            "mix_minus_sum_peak": float(np.max(np.abs(self.audio - total))),
        }
        return written

    def save_midi(self, path: str | Path) -> Path:
        """Write the score the synth played as a MIDI file (`tools.ambient.midi`) and record it in `info["midi"]`."""
        from tools.ambient.midi import note_count, score_midi, write_midi

        if self.config is None or self.score is None:
            raise ConfigError("MIDI needs the synth's score: the musicgen engine makes audio, not notes")
        midi = score_midi(self.score, self.config, self.info["duration"])
        path = write_midi(path, midi)
        self.info["midi"] = {"file": path.name, "tracks": len(midi.tracks) - 1, "notes": note_count(midi)}
        return path

    def save(self, path: str | Path, pcm16: bool = False) -> Path:
        """Write the audio (.wav, or .flac with pcm16) and `PATH.json` beside it; returns the audio path."""
        from tools.audio_io import write_audio
        from tools.files import write_json

        path = Path(path)
        if path.suffix.lower() not in (".wav", ".flac"):
            raise AudioError(f"{path}: the output must end in .wav or .flac")
        subtype = "pcm16" if pcm16 else "float"
        write_audio(path, self.audio, self.sample_rate, subtype=subtype)
        write_json(path.with_suffix(".json"), {**self.info, "sample_format": subtype, "audio": path.name})
        return path


def render(
    vibe_or_config: str | dict | MusicConfig | Path,
    duration: float = 60.0,
    seed: int = 0,
    sample_rate: int = 44100,
    target_lufs: float = -16.0,
    overrides: dict[str, Any] | list[str] | None = None,
    lm: str | None = None,
    api_base: str | None = None,
    program: Path | None = None,
    engine: str = "ambient",
    checkpoint: str | Path | None = None,
    device: str = "cpu",
    remote: str | None = None,
    stems: bool = False,
) -> Rendered:
    """Render ambient music from a vibe (text), a config (dict, possibly partial; MusicConfig) or a file.

    A `Path` is a config file or an earlier render's sidecar. `overrides`
    (`{"tempo": "fast"}` or `["tempo=fast"]`) apply last. `lm` maps the
    vibe with a language model (litellm string) instead of the rules;
    `program` is a compiled vibe program for it (`vibesynth compile vibe`).
    `engine="musicgen"` makes the audio from the vibe text with MusicGen instead
    (no config; `checkpoint`, `device`, or `remote` = "modal" | URL; docs/learning/musicgen.md).
    `stems=True` keeps one buffer per sounding layer (`.stems`, `.save_stems()`); `.score` (the notes
    played, `.save_midi()`) is always kept.
    """
    if not 0 < duration <= MAX_SECONDS:
        raise ConfigError(f"duration {duration:g} s is out of range; use seconds in (0, {MAX_SECONDS:g}]")
    if sample_rate not in SAMPLE_RATES:
        raise ConfigError(f"sample rate {sample_rate} is not supported; use 44100 or 48000")
    if not -40.0 <= target_lufs <= -6.0:
        raise ConfigError(f"target loudness {target_lufs:g} LUFS is out of range; use a value in [-40, -6] (e.g. -16)")
    try:
        whole = not isinstance(seed, bool) and int(seed) == seed >= 0
    except (TypeError, ValueError, OverflowError):
        whole = False
    if not whole:
        raise ConfigError(f"seed {seed!r} is not usable; use a whole number >= 0 (same seed, same audio)")
    # The sidecar holds the same JSON types whoever calls (the CLI passes floats): 30 and 30.0 write alike.
    duration, target_lufs, seed, sample_rate = float(duration), float(target_lufs), int(seed), int(sample_rate)
    if engine != "ambient":
        if stems:
            raise ConfigError("stems need the synth's layers: the musicgen engine makes one mix, not layers")
        return _text_to_audio(engine, vibe_or_config, duration, seed, sample_rate, target_lufs, overrides, lm, program, checkpoint, device, remote)
    config, provenance = resolve(vibe_or_config, overrides, lm, api_base, program)
    from tools.ambient import render_parts
    from tools.audio_io import finite_or_none
    from tools.loudness import missed_target

    parts = render_parts(config, duration, seed=seed, sample_rate=sample_rate, target_lufs=target_lufs, stems=stems)
    result = parts.levelled
    loudness_note = missed_target(result, sample_rate, target_lufs)
    info = {
        "config": config.model_dump(mode="json"),
        "seed": seed,
        "duration": duration,
        "sample_rate": sample_rate,
        **provenance,
        "engine": "tools.ambient",
        "target_lufs": target_lufs,
        # Measured on the float audio by the render itself (no second pass); null where it cannot be
        # measured (a clip under 0.4 s, silence), and then `loudness_note` says why.
        "integrated_lufs": finite_or_none(result.integrated_lufs, 3),
        "true_peak_dbtp": finite_or_none(result.true_peak_dbtp, 3),
        **({"loudness_note": loudness_note} if loudness_note else {}),
    }
    return Rendered(result.audio, sample_rate, config, info, score=parts.score, stems=parts.stems, stem_gain=parts.stem_gain)


def _text_to_audio(
    engine: str,
    vibe: Any,
    duration: float,
    seed: int,
    sample_rate: int,
    target_lufs: float,
    overrides: Any,
    lm: str | None,
    program: Path | None,
    checkpoint: str | Path | None,
    device: str,
    remote: str | None,
) -> Rendered:
    """A render by a text-to-audio engine (musicgen): the vibe text in, audio out, the synth's sidecar shape."""
    if engine != "musicgen":
        raise ConfigError(f"unknown engine {engine!r}; use ambient (the synth) or musicgen (text to audio)")
    if not isinstance(vibe, str) or not vibe.strip() or vibe.strip().lower().endswith(".json"):
        raise ConfigError("the musicgen engine makes audio from words: give the vibe as text (no config or config file)")
    if overrides or lm is not None or program is not None:
        raise ConfigError("the musicgen engine has no config to --set and no LM mapping: give only the vibe text")
    from optimize.musicgen.model import MAX_SECONDS
    from optimize.musicgen.render import render as musicgen_render

    if duration > MAX_SECONDS:
        raise ConfigError(f"musicgen makes at most {MAX_SECONDS:g} s per clip; use a duration in (0, {MAX_SECONDS:g}]")
    if remote is not None:
        from optimize.musicgen.remote import check_remote

        check_remote(remote)
    else:
        from optimize.musicgen.weights import require_checkpoint, require_stack

        require_stack("--engine musicgen")
        require_checkpoint(checkpoint)
    audio, info = musicgen_render(
        vibe, duration, seed, sample_rate, target_lufs, checkpoint=None if checkpoint is None else str(checkpoint), device=device, remote=remote
    )
    return Rendered(audio, sample_rate, None, info)


def refine(
    source: Rendered | str | Path | dict | MusicConfig, instruction: str, lm: str | None = None, api_base: str | None = None, **settings: Any
) -> Rendered:
    """Edit the source's config by `instruction` ("slower, darker, no drums") and render it with the source's
    settings (or `settings`: duration, seed, sample_rate, target_lufs). The source is a Rendered, a sidecar or
    config file, a config dict. The rules read the instruction (`reference.refiner`), or an LM (`lm`); the new
    sidecar keeps `base_config` and `history` (`vibesynth.replay` checks it)."""
    from vibesynth.refining import edit_config, history_record, load_source, render_settings

    config, info = (source.config, dict(source.info)) if isinstance(source, Rendered) else load_source(source)
    chosen = render_settings(info, settings)
    edit = edit_config(config, instruction, lm, api_base)
    piece = render(edit.config, **chosen)
    piece.info.update(history_record(info, config, edit))
    piece.info.pop("filled_from_neutral", None)
    return piece


def resolve(
    source: Any, overrides: Any = None, lm: str | None = None, api_base: str | None = None, program: Path | None = None
) -> tuple[MusicConfig, dict]:
    """The config a source names and where it came from (the sidecar's provenance keys)."""
    from vibesynth.configs import from_mapping, parse_overrides

    extra = parse_overrides(overrides)
    if program is not None and (lm is None or lm == "reference"):
        raise ConfigError("--program is a compiled LM program: give --lm MODEL (and --vibe TEXT) with it")
    if lm is not None and lm != "reference":
        if not isinstance(source, str) or not source.strip():
            raise ConfigError("an LM maps a vibe to a config: give the vibe as text (not a config)")
        from agent.lm import parse_lm
        from agent.vibe import config_from_lm

        compiled_program, compiled = (None, None)
        if program is not None:
            from agent.compiled import load_for_sidecar

            compiled_program, compiled = load_for_sidecar(program)
        config, provenance = config_from_lm(source, parse_lm(lm, api_base=api_base), compiled_program, compiled)
        if extra:
            config, _ = from_mapping(config.model_dump(mode="json"), extra)
            provenance = {**provenance, "overrides": extra}
        return config, provenance
    if isinstance(source, MusicConfig):
        source = source.model_dump(mode="json")
    if isinstance(source, str) and source.strip().lower().endswith(".json"):
        # "partial.json" names a config file, not a vibe (the reader would render its letters)
        if not Path(source.strip()).is_file():
            raise ConfigError(
                f"{source!r} looks like a config file but there is no such file; give an existing JSON config path, or describe the vibe in words"
            )
        source = Path(source.strip())
    if isinstance(source, Path):
        from tools.run_record import run_path
        from vibesynth.configs import read_config_file
        from vibesynth.results import is_study_summary, is_teacher_settings, study_config

        if source.is_dir() and run_path(source).is_file():
            source = run_path(source)
        data = read_config_file(source)
        if is_study_summary(data):  # a study's result: its best trial
            config, provenance = study_config(source, data)
            if extra:
                config, _ = from_mapping(config.model_dump(mode="json"), extra)
                provenance["overrides"] = extra
            return config, provenance
        if is_teacher_settings(data):
            raise ConfigError(
                f"{source} holds a teacher run's settings, and the run has one config per vibe: give "
                f"--from-teacher {source.parent} --vibe-id ID (Python: vibesynth.results.teacher_config)"
            )
        config, filled = from_mapping(data, extra, where=str(source))
        return config, {
            "source": "config file",
            "config_file": str(source),
            "mapper": None,
            "filled_from_neutral": filled,
            **({"overrides": extra} if extra else {}),
        }
    if isinstance(source, dict):
        config, filled = from_mapping(source, extra)
        return config, {"source": "config", "mapper": None, "filled_from_neutral": filled, **({"overrides": extra} if extra else {})}
    if not isinstance(source, str) or not source.strip():
        raise ConfigError("describe a vibe (a mood, place, time or activity), or pass a config dict or file")
    from aesthetics.vibe.reader import read
    from reference.vibe_mapper import MAPPER_NAME, config_from_reading

    reading = read(source)
    config, terms = config_from_reading(reading), list(reading.terms)
    if extra:
        config, _ = from_mapping(config.model_dump(mode="json"), extra)
    provenance = {"source": "vibe", "vibe": source, "mapper": MAPPER_NAME, "matched_terms": terms}
    notes = list(reading.notes)
    if not terms:
        notes.append("the reader understood no word of the vibe: this is the neutral default")
    elif reading.unread:
        notes.append(f"words the reader could not read (they changed nothing): {', '.join(reading.unread)}")
    if notes:
        provenance["note"] = "; ".join(notes)
    if extra:
        provenance["overrides"] = extra
    return config, provenance


def score(
    audio: np.ndarray | str | Path | Rendered,
    sample_rate: int | None = None,
    text: str | None = None,
    backend: str = "dsp",
    **options: Any,
):
    """Score audio (an array with its rate, a WAV/FLAC path, or a `Rendered`); returns `aesthetics.Scores`."""
    from aesthetics import get_scorer

    if isinstance(audio, Rendered):
        audio, sample_rate = audio.audio, audio.sample_rate
    elif isinstance(audio, (str, Path)):
        from tools.audio_io import read_audio

        audio, sample_rate = read_audio(audio)
    if sample_rate is None:
        raise AudioError("score(audio, sample_rate): give the sample rate of the array (e.g. 44100)")
    return get_scorer(backend, **options).score(audio, sample_rate, text=text)


@dataclass
class DJSet:
    """A played DJ set: `.audio`, `.sample_rate`, `.summary`, `.scores`, `.folder` (set.wav, trajectory, summary)."""

    audio: np.ndarray
    sample_rate: int
    summary: dict
    folder: Path

    @property
    def scores(self) -> Scores | None:
        """The summary's scores as `aesthetics.Scores` (what `score()` returns); None when run without a scorer."""
        from aesthetics import Scores

        found = self.summary.get("scores")
        return Scores.model_validate(found) if found is not None else None

    def save(self, folder: str | Path) -> Path:
        """Copy set.wav, trajectory.jsonl and summary.json into `folder`; returns it."""
        from tools.files import make_folder

        folder = Path(folder)
        make_folder(folder)
        for name in ("set.wav", "trajectory.jsonl", "summary.json"):
            if (self.folder / name).resolve() != (folder / name).resolve():
                shutil.copy2(self.folder / name, folder / name)
        return folder


def dj(
    brief: str,
    palette: str | Path | None = None,
    bars: int = 64,
    bpm: float | None = None,
    lm: str = "reference",
    seed: int = 0,
    scorer: str | None = "dsp",
    out: str | Path | None = None,
    **run_options: Any,
) -> DJSet:
    """Play a DJ set from a brief (reference policy by default; `lm` takes a litellm model string).

    `palette` is a file or a curated palette's name and `bpm` a tempo; left
    out, both come from the brief as in `vibesynth dj` (reference.brief_mapper,
    recorded in the summary's `brief_choice`). Files land in `out` (default: a temporary folder; keep
    them with `.save(folder)`).
    """
    from agent.dj import DJRun, run_dj
    from agent.policies import parse_policy
    from palettes import curated_palettes, find_palette
    from reference.brief_mapper import choose

    if not brief or not brief.strip():
        raise ConfigError('give a brief, e.g. dj("dark warehouse techno, hypnotic")')
    choice = choose(brief, curated_palettes(), palette=find_palette(palette) if palette is not None else None, bpm=bpm)
    policy = parse_policy(lm, seed=seed, **run_options)
    run = DJRun(
        brief=brief, palette_path=choice.palette, policy=policy, bars=bars, bpm=choice.bpm, seed=seed, scorer=scorer, brief_choice=choice.record
    )
    folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="vibesynth-dj-"))
    outcome = run_dj(run, folder)
    return DJSet(outcome.audio, outcome.sample_rate, outcome.summary, folder)
