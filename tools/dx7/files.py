"""Load and save DX7 voices: JSON (operator-major or the seeds/003 12-key form), .syx, .dx7, factory."""

from __future__ import annotations

from pathlib import Path

from tools import safe_json
from tools.dx7 import seed_form, sysex
from tools.dx7.factory import factory_entries, factory_voice
from tools.dx7.voice import Voice
from tools.errors import ConfigError, InputError
from tools.files import write_json


def entries(ref: str | Path) -> list[sysex.Entry]:
    """Every voice of a bank reference: `factory`, a .syx/.dx7 file, or a JSON voice."""
    text = str(ref)
    if text == "factory":
        return factory_entries()
    path = Path(text)
    if path.suffix.lower() == ".json":
        voice = load_json(path)
        return [sysex.Entry(voice, voice.to_vced(), None, "json", 0, 0)]
    return sysex.read(path)


def load_json(path: Path) -> Voice:
    if not path.is_file():
        raise ConfigError(f"{path} does not exist; give a voice .json, .syx or .dx7 file, or factory:N")
    try:
        data = safe_json.read_file(path, "DX7 voice")
    except InputError as err:
        raise ConfigError(f"{err}; fix the file") from None
    if isinstance(data, dict) and "modmatrix" in data:
        return seed_form.from_seed_form(data)
    return Voice.parse(data)


def load_voice(ref: str | Path, index: int = 1) -> Voice:
    """One voice: `factory:N` / `factory:NAME`, a JSON file, or voice `index` (1-based) of a .syx/.dx7 file."""
    text = str(ref)
    if text.startswith("factory:"):
        return factory_voice(text.removeprefix("factory:")).voice
    found = entries(ref)
    if not 1 <= index <= len(found):
        raise ConfigError(f"{ref} holds {len(found)} voice(s); --voice must be in 1..{len(found)}")
    return found[index - 1].voice


def save_voice(path: Path, voice: Voice, form: str = "voice") -> Path:
    """.json (operator-major, or `form="seed"` for the 12-key form) or .syx (a single-voice dump)."""
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".syx":
        return sysex.write_single(path, voice)
    if suffix == ".json":
        payload = seed_form.to_seed_form(voice) if form == "seed" else voice.model_dump(mode="json")
        return write_json(path, payload)
    raise ConfigError(f"cannot write a voice as {path.name}; use .json or .syx")
