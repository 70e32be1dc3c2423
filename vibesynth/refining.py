"""Refine by words, the part without rendering: read the source, edit its config, record the history.

    piece = vibesynth.render("rainy afternoon in Tokyo", duration=20)
    darker = piece.refine("slower, darker, no drums")   # vibesynth.api.refine: a new Rendered; piece is unchanged
    darker.info["history"]                               # each instruction with the fields it moved

Who reads the instruction: the rules (`reference.refiner`, offline, the
default) or an LM (`lm="openai/gpt-4o-mini"`, `agent.refine`): one interface,
`edit_config`. The sidecar keeps `base_config` (the config before the first
refinement) and `history` (every instruction with its changes), so `replay`
rebuilds the config from them and a chain of refinements can be checked or
redone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tools.errors import ConfigError
from tools.schema import MusicConfig

if TYPE_CHECKING:
    from reference.refiner import Edit

RENDER_SETTINGS = ("duration", "seed", "sample_rate", "target_lufs")
DEFAULTS = {"duration": 60.0, "seed": 0, "sample_rate": 44100, "target_lufs": -16.0}


def edit_config(config: MusicConfig, instruction: str, lm: str | None = None, api_base: str | None = None) -> Edit:
    """The edit an instruction asks of `config`: by the rules (lm None or "reference") or by an LM."""
    if lm is None or lm == "reference":
        from reference.refiner import refine

        return refine(config, instruction)
    if lm.startswith("student"):
        raise ConfigError("the student does not refine yet; leave out --lm (rules) or give an LM model string")
    from agent.lm import parse_lm
    from agent.refine import refine_with_lm

    return refine_with_lm(config, instruction, parse_lm(lm, api_base=api_base))


def load_source(source: Any) -> tuple[MusicConfig, dict]:
    """(config, sidecar-like info) of a sidecar or config file (or the WAV beside a sidecar), a dict, a MusicConfig."""
    from vibesynth.configs import from_mapping, read_config_file

    if isinstance(source, MusicConfig):
        return source, {}
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.suffix.lower() in (".wav", ".flac"):
            path = path.with_suffix(".json")
            if not path.is_file():
                raise ConfigError(f"{source}: no sidecar {path.name} beside it; give the render's JSON sidecar or a config file")
        data, where = read_config_file(path), str(path)
    elif isinstance(source, dict):
        data, where = source, "config"
    else:
        raise ConfigError("refine a render, a sidecar or config file, or a config dict")
    config, _ = from_mapping(data, where=where)
    return config, dict(data) if isinstance(data.get("config"), dict) else {}


def render_settings(info: dict, settings: dict) -> dict:
    """The render settings of a refinement: those given, else the source's, else the defaults."""
    unknown = set(settings) - set(RENDER_SETTINGS)
    if unknown:
        raise ConfigError(f"refine takes the render settings {', '.join(RENDER_SETTINGS)}; not {', '.join(sorted(unknown))}")
    return {name: settings[name] if settings.get(name) is not None else info.get(name, DEFAULTS[name]) for name in RENDER_SETTINGS}


def history_record(info: dict, config: MusicConfig, edit: Edit) -> dict:
    """The sidecar keys of a refinement of `config` (whose sidecar is `info`): provenance, base config, history."""
    step = {
        "instruction": edit.instruction,
        "refiner": edit.refiner,
        "changes": [c.to_json() for c in edit.changes if c.before != c.after],
        "notes": list(edit.notes),
    }
    return {
        "source": "refine",
        "refiner": edit.refiner,
        **({"vibe": info["vibe"]} if info.get("vibe") else {}),
        "base_config": info.get("base_config", config.model_dump(mode="json")),
        "history": [*info.get("history", []), step],
    }


def replay(info: dict) -> MusicConfig:
    """The config a sidecar's history leads to from its base config (each recorded change applied in order);
    raise ConfigError where the history does not fit its base or the sidecar's config."""
    if not isinstance(info.get("base_config"), dict) or not isinstance(info.get("history"), list):
        raise ConfigError("this sidecar has no refine history (base_config and history); refine a render first")
    values = MusicConfig.parse(info["base_config"]).model_dump(mode="json")
    for number, step in enumerate(info["history"], 1):
        for change in step.get("changes", []):
            if values.get(change["field"]) != change["from"]:
                raise ConfigError(
                    f"history step {number} ({step.get('instruction')!r}) moves {change['field']} from "
                    f"{change['from']!r}, but it was {values.get(change['field'])!r}: the sidecar was edited"
                )
            values[change["field"]] = change["to"]
    config = MusicConfig.parse(values)
    if "config" in info and MusicConfig.parse(info["config"]) != config:
        raise ConfigError("the history does not lead to the sidecar's config: the sidecar was edited")
    return config
