"""The rule-based vibe mapper: deterministic, covers every enum value, neutral for unknown text."""

import pytest

from aesthetics.vibe.words import CONCEPTS, EXPLICIT
from reference.vibe_mapper import NEUTRAL, map_vibe, matched_terms
from tools.schema import FIELDS, MusicConfig, choices


def _phrases():
    for entry in CONCEPTS + EXPLICIT:
        yield from entry.phrases


def test_every_enum_value_is_reachable_by_some_phrase():
    reached = {field: set() for field in FIELDS}
    phrases = list(_phrases()) + [f"in {r} {m}" for r in choices("root") for m in choices("mode")]
    for phrase in phrases:
        config = map_vibe(phrase)
        for field in FIELDS:
            reached[field].add(getattr(config, field))
    for field in FIELDS:
        missing = set(choices(field)) - reached[field]
        assert not missing, (field, missing)


def test_deterministic_and_neutral_for_unknown_words():
    assert map_vibe("rainy afternoon in Tokyo") == map_vibe("rainy afternoon in Tokyo")
    assert map_vibe("qwerty zxcv plugh") == MusicConfig.parse(NEUTRAL)
    assert map_vibe("") == MusicConfig.parse(NEUTRAL)
    assert matched_terms("qwerty") == []


def test_taxonomy_examples_map_to_fitting_configs():
    rain = map_vibe("rainy afternoon in Tokyo")
    assert rain.texture == "noise_wash" and rain.brightness == "dark" and rain.stereo == "wide"
    assert map_vibe("3am in an empty office").brightness == "very_dark"
    assert map_vibe("floating through a digital void").pad == "ambient_drift"
    assert map_vibe("marching into battle").rhythm == "military"
    assert map_vibe("stumbling home at 2am").human == "drunk"
    assert map_vibe("folk tale ending").mode == "mixolydian"
    assert map_vibe("corrupted memory").texture == "glitch"
    assert map_vibe("pulsing synth wave").bass in ("pulsing", "arp_bass")


@pytest.mark.parametrize(
    "text,root,mode",
    [
        ("d minor drone", "d", "minor"),
        ("in f# dorian, sparse", "f#", "dorian"),
        ("Bb major", "a#", "major"),
        ("key of eb", "d#", "major"),
        ("in e sharp minor", "f", "minor"),
        ("in a forest", "c", "major"),
    ],
)
def test_explicit_keys(text, root, mode):
    config = map_vibe(text)
    assert (config.root, config.mode) == (root, mode)


def test_explicit_terms_outweigh_associations():
    # "ocean" suggests a vast space; the explicit "small room" wins
    assert map_vibe("ocean in a small room").space == "small"
    assert map_vibe("sparse ocean").density == 2
    assert map_vibe("e sharp minor").attack == "soft"  # the key phrase is not also an attack word


@pytest.mark.parametrize("vibe", ["rainy afternoon in Tokyo", "ancient temple at dawn", "retro game night", "before the storm", "winter silence"])
def test_named_layers_are_heard_unless_density_is_given(vibe):
    from tools.ambient.controls import LAYER_ORDER, active_layers

    config = map_vibe(vibe)
    neutral = MusicConfig.parse(NEUTRAL)
    named = [f for f in LAYER_ORDER if getattr(config, f) != getattr(neutral, f) and getattr(config, f) != "none"]
    assert set(named) <= set(active_layers(config)), (vibe, named, config.density)
    assert map_vibe(vibe + ", sparse").density == 2  # an explicit density word still wins
