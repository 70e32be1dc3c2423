"""MusicConfig: the 19-field vibe configuration of the ambient instrument.

The field names and enum values are the contract of seeds/000 section 2;
LMs, the rule-based mapper and distilled models all emit exactly this.
Validation errors are rewritten into one readable line per problem that
names the field, the bad value and the nearest valid value.
"""

from __future__ import annotations

import difflib
import json
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, ValidationError

from tools import safe_json
from tools.errors import ConfigError, InputError, validation_lines

Tempo = Literal["very_slow", "slow", "medium", "fast", "very_fast"]
Brightness = Literal["very_dark", "dark", "medium", "bright", "very_bright"]
Space = Literal["dry", "small", "medium", "large", "vast"]
Motion = Literal["static", "slow", "medium", "fast", "chaotic"]
Stereo = Literal["mono", "narrow", "medium", "wide", "ultra_wide"]
Echo = Literal["none", "subtle", "medium", "heavy", "infinite"]
Human = Literal["robotic", "tight", "natural", "loose", "drunk"]
Root = Literal["c", "c#", "d", "d#", "e", "f", "f#", "g", "g#", "a", "a#", "b"]
Mode = Literal["major", "minor", "dorian", "mixolydian"]
Density = Literal[2, 3, 4, 5, 6]
Bass = Literal["drone", "sustained", "pulsing", "walking", "fifth_drone", "sub_pulse", "octave", "arp_bass"]
Pad = Literal[
    "warm_slow",
    "dark_sustained",
    "cinematic",
    "thin_high",
    "ambient_drift",
    "stacked_fifths",
    "bright_open",
]
Melody = Literal[
    "contemplative",
    "rising",
    "falling",
    "minimal",
    "ornamental",
    "arp_melody",
    "contemplative_minor",
    "call_response",
    "heroic",
]
Rhythm = Literal[
    "none",
    "minimal",
    "heartbeat",
    "soft_four",
    "hats_only",
    "electronic",
    "kit_light",
    "kit_medium",
    "military",
    "tabla_essence",
    "brush",
]
Texture = Literal[
    "none",
    "shimmer",
    "shimmer_slow",
    "vinyl_crackle",
    "breath",
    "stars",
    "glitch",
    "noise_wash",
    "crystal",
    "pad_whisper",
]
Accent = Literal[
    "none",
    "bells",
    "pluck",
    "chime",
    "bells_dense",
    "blip",
    "blip_random",
    "brass_hit",
    "wind",
    "arp_accent",
    "piano_note",
]
Attack = Literal["soft", "medium", "sharp"]
Grain = Literal["clean", "warm", "gritty"]


class MusicConfig(BaseModel):
    """The vibe configuration. Ordinal fields are listed low -> high."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tempo: Tempo
    root: Root
    mode: Mode
    brightness: Brightness
    space: Space
    density: Density
    bass: Bass
    pad: Pad
    melody: Melody
    rhythm: Rhythm
    texture: Texture
    accent: Accent
    motion: Motion
    attack: Attack
    stereo: Stereo
    depth: bool
    echo: Echo
    human: Human
    grain: Grain

    @classmethod
    def parse(cls, data: dict[str, Any] | str | bytes) -> MusicConfig:
        """Validate a dict or JSON text; raise ConfigError with readable lines."""
        if isinstance(data, (str, bytes)):
            try:
                data = safe_json.loads(data, "config")
            except InputError as err:
                raise ConfigError(f"{err}; fix the JSON") from None
        if not isinstance(data, dict):
            raise ConfigError(f"config must be a JSON object with the 19 fields, got {type(data).__name__}")
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            raise ConfigError(explain(err)) from None


FIELDS: tuple[str, ...] = tuple(MusicConfig.model_fields)

# The worked example of seeds/000 section 2 (tests and benchmarks start from it).
EXAMPLE: dict[str, Any] = {
    "tempo": "slow",
    "root": "d",
    "mode": "minor",
    "brightness": "dark",
    "space": "large",
    "density": 4,
    "bass": "drone",
    "pad": "dark_sustained",
    "melody": "contemplative",
    "rhythm": "minimal",
    "texture": "shimmer_slow",
    "accent": "bells",
    "motion": "slow",
    "attack": "soft",
    "stereo": "wide",
    "depth": True,
    "echo": "heavy",
    "human": "natural",
    "grain": "warm",
}


def choices(field: str) -> tuple[Any, ...]:
    """The valid values of a field, in schema order."""
    annotation = MusicConfig.model_fields[field].annotation
    if annotation is bool:
        return (True, False)
    return get_args(annotation)


def level(config: MusicConfig, field: str) -> float:
    """Position of an ordinal field's value in 0..1 (first choice 0, last 1)."""
    values = choices(field)
    return values.index(getattr(config, field)) / (len(values) - 1)


def json_schema() -> dict[str, Any]:
    """JSON Schema for constrained decoding."""
    return MusicConfig.model_json_schema()


SUGGEST_CUTOFF = 0.6  # difflib similarity from which a misspelt value gets a "did you mean"


def _nearest(field: str, value: Any) -> Any:
    valid = choices(field)
    if isinstance(valid[0], bool) or isinstance(value, bool):
        return None
    if isinstance(valid[0], int):
        return min(valid, key=lambda v: abs(v - value)) if isinstance(value, (int, float)) else None
    if not isinstance(value, str):
        return None
    text = value.strip().lower().replace(" ", "_").replace("-", "_")
    if text in valid:
        return text
    # Only a near spelling is a suggestion ("fats" -> "fast"); a word unlike every value ("blazing")
    # gets the list of valid values instead of whichever value shares a letter or two with it.
    close = difflib.get_close_matches(text, [str(v) for v in valid], n=1, cutoff=SUGGEST_CUTOFF)
    return close[0] if close else None


def _line(error: dict[str, Any]) -> str:
    loc = error["loc"]
    field = str(loc[0]) if loc else "config"
    kind = error["type"]
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(field, FIELDS, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"valid fields: {', '.join(FIELDS)}"
        return f"{field}: not a config field; {hint}"
    valid = ", ".join(json.dumps(v) for v in choices(field))
    if kind == "missing":
        return f"{field}: missing; add one of {valid}"
    value = error.get("input")
    nearest = _nearest(field, value)
    if nearest is None:
        return f"{field}: {json.dumps(value)} is not valid; use one of {valid}"
    return f"{field}: {json.dumps(value)} is not valid; did you mean {json.dumps(nearest)}? (valid: {valid})"


def explain(err: ValidationError) -> str:
    """One readable line per validation problem."""
    return "invalid MusicConfig:\n  " + "\n  ".join(validation_lines(err, _line))
