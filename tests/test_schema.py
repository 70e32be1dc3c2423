import json

import pytest

from tools.errors import ConfigError
from tools.schema import EXAMPLE, FIELDS, MusicConfig, choices, json_schema, level

SEED_ENUMS = {
    "tempo": ["very_slow", "slow", "medium", "fast", "very_fast"],
    "brightness": ["very_dark", "dark", "medium", "bright", "very_bright"],
    "space": ["dry", "small", "medium", "large", "vast"],
    "motion": ["static", "slow", "medium", "fast", "chaotic"],
    "stereo": ["mono", "narrow", "medium", "wide", "ultra_wide"],
    "echo": ["none", "subtle", "medium", "heavy", "infinite"],
    "human": ["robotic", "tight", "natural", "loose", "drunk"],
    "root": ["c", "c#", "d", "d#", "e", "f", "f#", "g", "g#", "a", "a#", "b"],
    "mode": ["major", "minor", "dorian", "mixolydian"],
    "density": [2, 3, 4, 5, 6],
    "bass": ["drone", "sustained", "pulsing", "walking", "fifth_drone", "sub_pulse", "octave", "arp_bass"],
    "pad": ["warm_slow", "dark_sustained", "cinematic", "thin_high", "ambient_drift", "stacked_fifths", "bright_open"],
    "melody": ["contemplative", "rising", "falling", "minimal", "ornamental", "arp_melody", "contemplative_minor", "call_response", "heroic"],
    "rhythm": [
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
    ],
    "texture": ["none", "shimmer", "shimmer_slow", "vinyl_crackle", "breath", "stars", "glitch", "noise_wash", "crystal", "pad_whisper"],
    "accent": ["none", "bells", "pluck", "chime", "bells_dense", "blip", "blip_random", "brass_hit", "wind", "arp_accent", "piano_note"],
    "attack": ["soft", "medium", "sharp"],
    "grain": ["clean", "warm", "gritty"],
    "depth": [True, False],
}


def test_exactly_the_seed_fields_and_values():
    assert set(FIELDS) == set(SEED_ENUMS) and len(FIELDS) == 19
    for field, values in SEED_ENUMS.items():
        assert list(choices(field)) == values


@pytest.mark.parametrize("field", sorted(SEED_ENUMS))
def test_every_enum_value_is_accepted(field):
    for value in SEED_ENUMS[field]:
        assert getattr(MusicConfig.parse({**EXAMPLE, field: value}), field) == value


def _message(data) -> str:
    with pytest.raises(ConfigError) as info:
        MusicConfig.parse(data)
    return str(info.value)


def test_bad_value_names_field_value_and_nearest():
    msg = _message({**EXAMPLE, "bass": "arpbass"})
    assert 'bass: "arpbass" is not valid; did you mean "arp_bass"?' in msg


def test_out_of_range_density_suggests_nearest():
    assert "density: 9 is not valid; did you mean 6?" in _message({**EXAMPLE, "density": 9})


def test_missing_field_lists_choices():
    data = dict(EXAMPLE)
    del data["root"]
    assert 'root: missing; add one of "c", "c#"' in _message(data)


def test_unknown_field_suggests_real_one():
    assert "tempoo: not a config field; did you mean 'tempo'?" in _message({**EXAMPLE, "tempoo": "slow"})


def test_wrong_type_is_named():
    assert 'depth: "maybe" is not valid; use one of true, false' in _message({**EXAMPLE, "depth": "maybe"})
    assert 'density: "four" is not valid' in _message({**EXAMPLE, "density": "four"})


def test_every_problem_is_reported_at_once():
    msg = _message({**EXAMPLE, "bass": "x", "pad": "y", "extra": 1})
    assert "bass:" in msg and "pad:" in msg and "extra:" in msg


def test_non_json_and_non_object_inputs():
    assert "not valid JSON" in _message("{tempo: slow")
    assert "must be a JSON object" in _message("[1, 2]")


def test_json_schema_forbids_extras_and_lists_enums():
    schema = json_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(FIELDS)
    assert json.dumps(schema)  # serialisable for constrained decoding


def test_level_orders_ordinal_fields():
    assert level(MusicConfig.parse({**EXAMPLE, "tempo": "very_slow"}), "tempo") == 0.0
    assert level(MusicConfig.parse({**EXAMPLE, "tempo": "very_fast"}), "tempo") == 1.0
