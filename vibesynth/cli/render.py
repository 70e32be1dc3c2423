"""`vibesynth schema` and `vibesynth render`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import typer

from vibesynth.cli.app import app, console, fail
from tools.errors import ConfigError, VibesynthError
from tools.schema import MusicConfig, json_schema

SAMPLE_RATES = (44100, 48000)


@app.command()
def schema() -> None:
    """Print the MusicConfig JSON Schema (for constrained decoding)."""
    console.print_json(json.dumps(json_schema()))


def resolve_config(config_path: Optional[Path], vibe: Optional[str], lm: Any = None) -> tuple[MusicConfig, dict]:
    """The config to render and where it came from (exactly one of a file or a vibe).

    Returns (config, provenance) where provenance names the source and, for a
    vibe, the mapper that made the config (with an LM spec: agent.vibe; `reference`: the rules).
    """
    if lm is not None and lm.kind != "reference":
        if config_path is not None or not vibe or not vibe.strip():
            raise ConfigError("--lm maps a vibe to a config: give --vibe TEXT (and no --config)")
        from agent.vibe import config_from_lm

        return config_from_lm(vibe, lm)
    if (config_path is None) == (vibe is None):
        raise ConfigError("give exactly one config source: --config FILE.json or --vibe TEXT")
    if config_path is not None:
        from tools import safe_json
        from tools.errors import InputError

        try:
            text = safe_json.read_bytes(config_path, "config file", max_bytes=1 << 20)
        except InputError as err:
            raise ConfigError(f"{err}; give a JSON config file") from None
        try:
            config = MusicConfig.parse(text)
        except ConfigError as err:
            raise ConfigError(f"{config_path}: {err}") from None
        return config, {"source": "config file", "config_file": str(config_path), "mapper": None}
    if not vibe.strip():
        raise ConfigError("--vibe is empty; describe a mood, place, time or activity")
    from reference.vibe_mapper import MAPPER_NAME, map_vibe, matched_terms

    return map_vibe(vibe), {"source": "vibe", "vibe": vibe, "mapper": MAPPER_NAME,
                            "matched_terms": matched_terms(vibe)}


@app.command()
def render(
    output: Path = typer.Option(..., "-o", "--output", help="WAV (or .flac) file to write; OUT.json goes beside it."),
    config: Optional[Path] = typer.Option(None, "--config", help="MusicConfig JSON file."),
    vibe: Optional[str] = typer.Option(None, "--vibe", help="Describe the vibe in words (rule-based mapper)."),
    duration: float = typer.Option(60.0, "--duration", help="Seconds to render (0 < d <= 3600)."),
    seed: int = typer.Option(0, "--seed", min=0, help="Performance seed (same seed, same audio)."),
    sample_rate: int = typer.Option(44100, "--sample-rate", help="44100 or 48000."),
    pcm16: bool = typer.Option(False, "--pcm16", help="Write 16-bit PCM instead of 32-bit float."),
    target_lufs: float = typer.Option(-16.0, "--target-lufs", help="Integrated loudness target (LUFS)."),
    lm: Optional[str] = typer.Option(None, "--lm", help="Map --vibe with an LM (litellm model string); `reference` = rules."),
    api_base: Optional[str] = typer.Option(None, "--api-base", help="OpenAI-compatible server for --lm."),
) -> None:
    """Render a MusicConfig (from --config or --vibe) to a stereo WAV with a JSON sidecar."""
    from tools.ambient import render_config
    from tools.audio_io import read_audio, write_audio, write_json
    from tools.loudness import integrated_lufs, true_peak_dbtp

    if not 0 < duration <= 3600:
        fail(f"--duration {duration:g} is out of range; use seconds in (0, 3600]")
    if sample_rate not in SAMPLE_RATES:
        fail(f"--sample-rate {sample_rate} is not supported; use 44100 or 48000")
    if not -40.0 <= target_lufs <= -6.0:
        fail(f"--target-lufs {target_lufs:g} is out of range; use a value in [-40, -6] (e.g. -16)")
    if output.suffix.lower() not in (".wav", ".flac"):
        fail(f"{output}: the output must end in .wav or .flac")
    if config is not None and output.with_suffix(".json").resolve() == config.resolve():
        fail(f"{output}: its sidecar {output.with_suffix('.json').name} would overwrite the config; choose another output name")
    try:
        from agent.lm import parse_lm

        music, provenance = resolve_config(config, vibe, parse_lm(lm, api_base=api_base) if lm is not None else None)
        with console.status(f"rendering {duration:g} s at {sample_rate} Hz"):
            audio = render_config(music, duration, seed=seed, sample_rate=sample_rate, target_lufs=target_lufs)
        subtype = "pcm16" if pcm16 else "float"
        write_audio(output, audio, sample_rate, subtype=subtype)
        written, _ = read_audio(output)
        sidecar = output.with_suffix(".json")
        write_json(sidecar, {
            "config": music.model_dump(mode="json"),
            "seed": seed,
            "duration": duration,
            "sample_rate": sample_rate,
            "sample_format": subtype,
            **provenance,
            "engine": "tools.ambient",
            "target_lufs": target_lufs,
            "integrated_lufs": round(integrated_lufs(written, sample_rate), 3),
            "true_peak_dbtp": round(true_peak_dbtp(written), 3),
            "audio": output.name,
        })
    except VibesynthError as err:
        fail(str(err))
    except OSError as err:
        fail(f"cannot write {output} ({err.strerror or err}); choose a writable path")
    label = provenance["mapper"] or provenance["source"]
    console.print(f"wrote {output} and {sidecar.name} ({duration:g} s, config from {label})")
