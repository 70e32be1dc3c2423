"""Refine by words (#26): relative, absolute, negation, locality, history replay, the LM path and the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import vibesynth
from reference.refiner import ORDER, refine
from tools.errors import AgentError, ConfigError
from tools.schema import EXAMPLE, FIELDS, MusicConfig
from vibesynth.cli import app

BASE = MusicConfig.parse(
    {**EXAMPLE, "tempo": "medium", "brightness": "medium", "space": "medium", "mode": "dorian", "rhythm": "kit_light", "echo": "medium", "density": 4}
)


def moved(instruction: str, config: MusicConfig = BASE) -> dict:
    return refine(config, instruction).moved()


@pytest.mark.parametrize(
    "instruction, expected",
    [
        ("slower", {"tempo": ("medium", "slow")}),
        ("much slower", {"tempo": ("medium", "very_slow")}),
        ("a bit brighter", {"brightness": ("medium", "bright")}),
        ("way darker", {"brightness": ("medium", "very_dark")}),
        ("denser", {"density": (4, 5)}),
        ("sparser please", {"density": (4, 3)}),
        ("a lot more reverb", {"space": ("medium", "vast")}),
        ("less echo", {"echo": ("medium", "subtle")}),
        ("turn up the reverb", {"space": ("medium", "large")}),
        ("take the energy down a notch", {"tempo": ("medium", "slow")}),
        ("sadder", {"mode": ("dorian", "minor")}),
        ("happier", {"mode": ("dorian", "major")}),  # the key's pole, not the next church mode
        ("a bit sadder", {"mode": ("dorian", "minor")}),
        ("not so fast", {"tempo": ("medium", "slow")}),
        ("too dark", {"brightness": ("medium", "bright")}),
        ("tighter and punchier", {"human": ("natural", "tight"), "attack": ("soft", "medium")}),
        ("grittier", {"grain": ("warm", "gritty")}),
    ],
)
def test_relative_words_move_ordinal_fields_by_steps(instruction, expected):
    assert moved(instruction) == expected


@pytest.mark.parametrize(
    "instruction, expected",
    [
        # seventh tuning round (#26): words of the tuning sets unseen-v3..v5 that no rule read, or read the wrong way
        ("less stuff going on, please", {"density": (4, 3)}),
        ("it drags", {"tempo": ("medium", "fast")}),  # said of how it plays now: away from it
        ("the beat rushes", {"tempo": ("medium", "slow")}),
        ("don't let it drag so much", {"tempo": ("medium", "fast")}),
        ("a longer attack", {}),  # already soft, the lowest
        ("not such a sharp attack", {}),
        ("dirty the tone up a bit", {"grain": ("warm", "gritty")}),  # the tone is what gets dirty, not brighter
        ("lock it to the grid", {"human": ("natural", "robotic")}),
        ("perfectly quantized timing", {"human": ("natural", "robotic")}),
        ("tape delay that never stops, self-oscillating", {"echo": ("medium", "infinite")}),
        ("random little beeps here and there", {"accent": ("bells", "blip_random")}),
        ("the bells make me think my speakers are broken", {"accent": ("bells", "none")}),
        ("more LFO depth", {"motion": ("slow", "medium")}),  # not the sub layer
        ("shrink the reverb a little", {"space": ("medium", "small")}),
        ("there's no delay and it feels bare", {"echo": ("medium", "heavy")}),
        ("everything is stuck in the middle of the stereo", {"stereo": ("wide", "ultra_wide")}),
        ("put everything right in the middle of my headphones", {"stereo": ("wide", "mono")}),
        ("like it's underwater - muffle it", {"brightness": ("medium", "dark")}),
        ("at a house-music tempo", {"tempo": ("medium", "fast")}),
        ("drum and bass tempo", {"tempo": ("medium", "very_fast")}),
        ("tempo like a techno track, around 130", {"tempo": ("medium", "fast")}),
        ("add two layers", {"density": (4, 6)}),
        ("strip it to two layers", {"density": (4, 2)}),
    ],
)
def test_seventh_round_words(instruction, expected):
    assert moved(instruction) == expected


@pytest.mark.parametrize(
    "instruction, expected",
    [
        ("reverb to max", {"space": ("medium", "vast")}),
        ("width to the max", {"stereo": ("wide", "ultra_wide")}),
        ("cutoff maxed", {"brightness": ("medium", "very_bright")}),
        ("brightness all the way down", {"brightness": ("medium", "very_dark")}),
        ("echo to zero", {"echo": ("medium", "none")}),
        ("not as jittery", {"motion": ("slow", "static")}),
        ("make it feel like it's hurrying", {"tempo": ("medium", "fast")}),
        ("slash the tempo", {"tempo": ("medium", "slow")}),
        ("less wide stereo", {"stereo": ("wide", "medium")}),
        ("less dry reverb", {"space": ("medium", "large")}),
        ("take it to F sharp", {"root": ("d", "f#")}),
        ("polish the roughness", {"grain": ("warm", "clean")}),
    ],
)
def test_eighth_round_ends_named_after_the_part(instruction, expected):
    assert moved(instruction) == expected


def test_less_of_a_value_word_moves_away_from_it_instead_of_setting_it():
    sharp = BASE.model_copy(update={"attack": "sharp"})
    assert moved("less sharp attacks", sharp) == {"attack": ("sharp", "medium")}
    assert moved("a more contemplative melody", BASE.model_copy(update={"melody": "rising"})) == {"melody": ("rising", "contemplative")}


@pytest.mark.parametrize(
    "instruction, expected",
    [
        ("no drums", {"rhythm": ("kit_light", "none")}),
        ("without the drums", {"rhythm": ("kit_light", "none")}),
        ("no more echo", {"echo": ("medium", "none")}),
        ("mono", {"stereo": ("wide", "mono")}),
        ("in F# minor", {"root": ("d", "f#"), "mode": ("dorian", "minor")}),
        ("add vinyl crackle", {"texture": ("shimmer_slow", "vinyl_crackle")}),
    ],
)
def test_absolute_and_negated_words_set_fields(instruction, expected):
    assert moved(instruction) == expected


@pytest.mark.parametrize(
    "instruction, expected",
    [
        ("verb +2", {"space": ("medium", "vast")}),
        ("tempo -1", {"tempo": ("medium", "slow")}),
        ("key=Ebm", {"root": ("d", "d#"), "mode": ("dorian", "minor")}),
        ("accent: none", {"accent": ("bells", "none")}),
        ("drums off", {"rhythm": ("kit_light", "none")}),
        ("make it a minor key", {"mode": ("dorian", "minor")}),
        ("sprinkle in some plucks", {"accent": ("bells", "pluck")}),
        ("random blips scattered around", {"accent": ("bells", "blip_random")}),
        ("take the bells out", {"accent": ("bells", "none")}),
        ("dark sustained pad with a walking bass", {"bass": ("drone", "walking")}),  # the pad already is dark_sustained
        ("no drums and much more reverb", {"rhythm": ("kit_light", "none"), "space": ("medium", "vast")}),
        ("a little softer on the attack", {}),  # attack is already soft, the lowest
    ],
)
def test_shorthand_named_sounds_and_switches(instruction, expected):
    assert moved(instruction) == expected


@pytest.mark.parametrize(
    "instruction, expected",
    [
        # a description of how it sounds now moves away from it, unless a request says what to change
        ("it sounds muffled", {"brightness": ("medium", "bright")}),
        ("it's so stiff, like a metronome", {"human": ("natural", "loose")}),
        ("it sounds dirty, like a broken old radio - make it clean", {"grain": ("warm", "clean")}),
        ("it sounds harsh and sleepy, speed it up", {"tempo": ("medium", "fast")}),
        ("the reverb is perfect, but slower", {"tempo": ("medium", "slow")}),
        ("the mix is muddy, fix that", {"brightness": ("medium", "bright")}),
        # pronouns: the part a description or a keep named
        ("the delay sounds cheap; tone it down", {"echo": ("medium", "subtle")}),
        ("keep the drums, make them quieter", {"rhythm": ("kit_light", "soft_four")}),
        # bare qualities and idioms
        ("put everything on the grid", {"human": ("natural", "tight")}),
        ("make it feel like a real player, not a machine", {"human": ("natural", "loose")}),
        ("give it room to breathe", {"density": (4, 3)}),
        ("there's too much going on", {"density": (4, 3)}),
        ("give it some sparkle", {"brightness": ("medium", "bright")}),
        ("make it sound far away", {"space": ("medium", "large")}),
        # a quality said of a part moves the part
        ("less busy percussion", {"rhythm": ("kit_light", "soft_four")}),
        ("let the echoes ring much longer", {"echo": ("medium", "infinite")}),
        ("the attacks shouldn't be so soft", {"attack": ("soft", "medium")}),
        ("it should feel more spacious, like a bigger room", {"space": ("medium", "large")}),
        # negated degree, ends, step counts
        ("don't keep it so wide", {"stereo": ("wide", "medium")}),
        ("way too dark", {"brightness": ("medium", "very_bright")}),
        ("as bright as it can go", {"brightness": ("medium", "very_bright")}),
        ("minimum echo", {"echo": ("medium", "none")}),
        ("two clicks slower", {"tempo": ("medium", "very_slow")}),
        ("kick the energy up a lot", {"tempo": ("medium", "very_fast")}),
        ("darker and much slower", {"brightness": ("medium", "dark"), "tempo": ("medium", "very_slow")}),
        # keys
        ("transpose it to E flat", {"root": ("d", "d#")}),
        ("root F#", {"root": ("d", "f#")}),
        ("put it in a bigger hall", {"space": ("medium", "large")}),  # the article, not the key of A
        # named sounds
        ("a pulsing sub bass", {"bass": ("drone", "sub_pulse")}),
        ("a heartbeat pulse on the drums", {"rhythm": ("kit_light", "heartbeat")}),  # not a pulsing bass
        ("the melody should rise", {"melody": ("contemplative", "rising")}),
        ("a tabla groove", {"rhythm": ("kit_light", "tabla_essence")}),
        ("arpeggiated lead line", {"melody": ("contemplative", "arp_melody")}),
        ("keep the melody minimal", {"melody": ("contemplative", "minimal")}),
        ("just hi-hats, nothing else", {"rhythm": ("kit_light", "hats_only")}),
        ("the bells have to go", {"accent": ("bells", "none")}),
    ],
)
def test_descriptions_idioms_parts_ends_keys_and_sounds(instruction, expected):
    assert moved(instruction) == expected


@pytest.mark.parametrize(
    "instruction, expected",
    [
        # synth and mixing words, per field
        ("open the filter up", {"brightness": ("medium", "bright")}),
        ("close down the filter a bit", {"brightness": ("medium", "dark")}),
        ("low-pass it", {"brightness": ("medium", "dark")}),
        ("saturate it", {"grain": ("warm", "gritty")}),
        ("bit-crush it", {"grain": ("warm", "gritty")}),
        ("freeze the modulation", {"motion": ("slow", "static")}),
        ("speed up the modulation", {"motion": ("slow", "medium")}),  # the rate of the part, not the tempo
        ("less wobble", {"motion": ("slow", "static")}),
        ("send more to the verb", {"space": ("medium", "large")}),
        ("set the BPM to 140", {"tempo": ("medium", "very_fast")}),
        ("collapse it to the center", {"stereo": ("wide", "mono")}),
        ("hard quantise it", {"human": ("natural", "robotic")}),
        ("quantize it a bit harder", {"human": ("natural", "tight")}),  # how hard, not the attack
        ("loosen the timing a lot", {"human": ("natural", "drunk")}),
        ("a grittier tone", {"grain": ("warm", "gritty")}),  # "tone" is not the part here
        ("make the delay more noticeable", {"echo": ("medium", "heavy")}),
        ("much more relaxed timing", {"human": ("natural", "drunk")}),  # relaxed timing is looser, not slower
        # dislikes: remove the sound, or less of the part
        ("the bells are annoying", {"accent": ("bells", "none")}),
        ("the crackly vinyl noise bugs me", {"texture": ("shimmer_slow", "none")}),
        ("the repeating echoes are distracting", {"echo": ("medium", "subtle")}),
        ("this is too perfect, like a computer made it", {"human": ("natural", "loose")}),
        ("the reverb is too much", {"space": ("medium", "small")}),
        ("I hate the bells", {"accent": ("bells", "none")}),
        ("the drums feel stiff", {"human": ("natural", "loose")}),  # a plural's "feel" describes it: away
        ("a tighter groove", {"human": ("natural", "tight")}),  # timing said of the drums stays timing
        ("max out the width", {"stereo": ("wide", "ultra_wide")}),
        ("bump the tempo", {"tempo": ("medium", "fast")}),
        ("the timing's all over the place", {"human": ("natural", "tight")}),
        # values named through a part's noun, negated values, adjectives of one noun
        ("subtle delay only", {"echo": ("medium", "subtle")}),
        ("chaotic modulation", {"motion": ("slow", "chaotic")}),
        ("endless delay", {"echo": ("medium", "infinite")}),
        ("switch the bass to an arpeggio", {"bass": ("drone", "arp_bass")}),
        ("not a walking bass, plain sustained notes", {"bass": ("drone", "sustained")}),
        ("a thin, high pad", {"pad": ("dark_sustained", "thin_high")}),
        ("a much harder, snappier attack", {"attack": ("soft", "sharp")}),  # two words, one move: the larger
        ("a more heroic melody", {"melody": ("contemplative", "heroic")}),
        ("keep it mono", {"stereo": ("wide", "mono")}),
        ("not in stereo", {"stereo": ("wide", "mono")}),
        ("no little plinky accents", {"accent": ("bells", "none")}),
        ("drop one layer", {"density": (4, 3)}),
        ("too bright and wide", {"brightness": ("medium", "dark"), "stereo": ("wide", "medium")}),
        ("less gloomy", {"mode": ("dorian", "major")}),
        ("like dusk instead of noon", {"brightness": ("medium", "dark")}),
        # slips of one letter
        ("a shade darkr", {"brightness": ("medium", "dark")}),
        ("slighty faster", {"tempo": ("medium", "fast")}),
        ("tighen the timing", {"human": ("natural", "tight")}),
        ("much sloweer", {"tempo": ("medium", "very_slow")}),
    ],
)
def test_studio_words_dislikes_part_values_and_slips(instruction, expected):
    assert moved(instruction) == expected


def test_a_medium_sized_reverb_sets_the_value_through_its_noun():
    assert moved("a medium-sized reverb", MusicConfig.parse({**BASE.model_dump(), "space": "vast"})) == {"space": ("vast", "medium")}
    assert moved("could the onsets be gentler?", MusicConfig.parse({**BASE.model_dump(), "attack": "sharp"})) == {"attack": ("sharp", "medium")}


def test_slips_are_fixed_only_when_one_known_word_is_a_letter_away():
    from reference.refine_spelling import respell

    assert respell("a shade darkr, slighty wetter") == "a shade darker, slightly wetter"
    # real words near a known one stay: a changed letter or a plural is not a slip
    assert respell("throw in a plain drone, brass stabs, more stuff") == "throw in a plain drone, brass stabs, more stuff"
    assert respell("sadder, shouldn't") == "sadder, shouldn't"


def test_a_named_bass_is_not_a_request_for_the_sub_layer():
    no_sub = MusicConfig.parse({**BASE.model_dump(), "depth": False})
    assert moved("a walking bassline", no_sub) == {"bass": ("drone", "walking")}
    assert moved("a sub pulse in the low end", no_sub) == {"bass": ("drone", "sub_pulse")}


def test_untouched_fields_stay_in_a_mixed_instruction():
    edit = refine(BASE, "slower, darker, no drums")
    assert set(edit.moved()) == {"tempo", "brightness", "rhythm"}
    for name in set(FIELDS) - {"tempo", "brightness", "rhythm"}:
        assert getattr(edit.config, name) == getattr(BASE, name)


def test_a_move_past_the_end_stays_at_the_end_and_says_so():
    slowest = MusicConfig.parse({**BASE.model_dump(), "tempo": "very_slow"})
    edit = refine(slowest, "much slower")
    assert edit.config.tempo == "very_slow" and edit.moved() == {}
    assert any("lowest" in note for note in edit.notes)


def test_an_instruction_with_nothing_to_read_is_refused_with_the_fix():
    with pytest.raises(ConfigError, match="reads as an edit.*vibesynth styles"):
        refine(BASE, "make it better")
    with pytest.raises(ConfigError, match="instruction in words"):
        refine(BASE, "   ")


def test_unread_words_are_noted_not_dropped_silently():
    edit = refine(BASE, "darker and more zorbly")
    assert edit.moved() == {"brightness": ("medium", "dark")}
    assert any("zorbly" in note for note in edit.notes)


def test_mode_and_rhythm_orders_follow_the_readers_levels():
    assert ORDER["mode"] == ("minor", "dorian", "mixolydian", "major")
    assert ORDER["rhythm"][0] == "none" and ORDER["rhythm"][-1] == "electronic"


def test_refine_is_deterministic():
    assert refine(BASE, "much brighter, less reverb, in A major") == refine(BASE, "much brighter, less reverb, in A major")


def test_a_chain_of_refinements_keeps_its_history_and_replays():
    piece = vibesynth.render(BASE, duration=1.0)
    first = piece.refine("slower, no drums")
    second = first.refine("much more reverb")
    assert piece.config == BASE  # the source is never edited
    history = second.info["history"]
    assert [step["instruction"] for step in history] == ["slower, no drums", "much more reverb"]
    assert second.info["base_config"] == BASE.model_dump(mode="json")
    assert vibesynth.replay(second.info) == second.config
    assert second.config.space == "vast" and second.config.tempo == "slow" and second.config.rhythm == "none"
    assert second.info["duration"] == 1.0 and second.info["seed"] == 0


def test_replay_refuses_a_history_that_was_edited():
    piece = vibesynth.render(BASE, duration=1.0).refine("slower")
    tampered = json.loads(json.dumps(piece.info))
    tampered["history"][0]["changes"][0]["from"] = "fast"
    with pytest.raises(ConfigError, match="sidecar was edited"):
        vibesynth.replay(tampered)
    with pytest.raises(ConfigError, match="no refine history"):
        vibesynth.replay(vibesynth.render(BASE, duration=1.0).info)


def test_refine_with_an_lm_goes_through_dspy_and_validates(monkeypatch):
    from dspy.utils import DummyLM

    import agent.refine as lm_refine

    edited = {**BASE.model_dump(mode="json"), "tempo": "slow", "brightness": "dark"}
    monkeypatch.setattr(lm_refine, "build_lm", lambda spec: DummyLM([{"edited": json.dumps(edited)}]))
    from agent.lm import parse_lm

    edit = lm_refine.refine_with_lm(BASE, "slower and darker", parse_lm("openai/test-model"))
    assert edit.moved() == {"tempo": ("medium", "slow"), "brightness": ("medium", "dark")}
    assert edit.refiner == "lm:openai/test-model"

    bad = {**edited, "tempo": "glacial"}
    monkeypatch.setattr(lm_refine, "build_lm", lambda spec: DummyLM([{"edited": json.dumps(bad)}] * 3))
    with pytest.raises(AgentError, match='(?s)no valid config.*tempo: "glacial"'):
        lm_refine.refine_with_lm(BASE, "slower", parse_lm("openai/test-model"))


def test_cli_refine_writes_the_render_and_the_history(tmp_path):
    runner = CliRunner()
    source = tmp_path / "rain.wav"
    assert runner.invoke(app, ["render", "--vibe", "rainy afternoon", "--duration", "1", "-o", str(source)]).exit_code == 0
    out = tmp_path / "rain2.wav"
    result = runner.invoke(app, ["refine", str(source.with_suffix(".json")), "slower, no drums", "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    step = json.loads(result.output)
    sidecar = json.loads(out.with_suffix(".json").read_text())
    assert out.exists() and sidecar["history"][-1]["changes"] == step["changes"]
    assert sidecar["source"] == "refine" and sidecar["vibe"] == "rainy afternoon" and sidecar["duration"] == 1.0
    again = runner.invoke(app, ["refine", str(out), "make it better", "-o", str(tmp_path / "x.wav")])
    assert again.exit_code == 2 and "reads as an edit" in again.output and not (tmp_path / "x.wav").exists()
