"""The one text reader: explicit terms, negation, intensity, implied attributes; the mapper and judge read through it."""

from __future__ import annotations

import pytest

from aesthetics.vibe import judge
from aesthetics.vibe.axes import AXIS_NAMES
from aesthetics.vibe.reader import BANK, bank_digest, read
from reference.vibe_mapper import map_vibe


def _side(text: str, axis: str) -> str:
    reading = read(text).axes[axis]
    assert reading.confidence > 0, (text, axis, "unread")
    return "high" if reading.target > 0.5 else "low"


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("presto", {"tempo": "very_fast"}),
        ("adagio", {"tempo": "slow"}),
        ("largo, in the fog", {"tempo": "very_slow"}),
        ("andante", {"tempo": "medium"}),
        ("in F# dorian", {"root": "f#", "mode": "dorian"}),
        ("E flat major", {"root": "d#", "mode": "major"}),
        ("key of bb minor", {"root": "a#", "mode": "minor"}),
        ("brush percussion", {"rhythm": "brush"}),
        ("heartbeat pulse", {"rhythm": "heartbeat"}),
        ("four on the floor", {"rhythm": "soft_four"}),
        ("vinyl crackle", {"texture": "vinyl_crackle"}),
        ("glitchy", {"texture": "glitch"}),
        ("mono", {"stereo": "mono"}),
        ("bone-dry", {"space": "dry"}),
        ("three layers", {"density": 3}),
        ("120 bpm", {"tempo": "fast"}),
    ],
)
def test_explicit_terms_name_their_values(text, fields):
    reading = read(text)
    for name, value in fields.items():
        assert reading.fields[name].value == value and reading.fields[name].explicit, (text, name)


@pytest.mark.parametrize(
    ("text", "fields", "axes"),
    [
        ("no drums", {"rhythm": "none"}, {"percussion": "low"}),
        ("without reverb", {"space": "dry"}, {"space": "low"}),
        ("rainy street, no percussion at all", {"rhythm": "none"}, {"percussion": "low"}),
        ("neither bright nor dark", {"brightness": "medium"}, {}),
        ("not sad", {}, {"valence": "high"}),
        ("nothing aggressive", {}, {"energy": "low"}),
        ("barely moving, not fast", {}, {"pace": "low"}),
    ],
)
def test_negation(text, fields, axes):
    reading = read(text)
    for name, value in fields.items():
        assert reading.fields[name].value == value, (text, name, reading.fields.get(name))
    for axis, side in axes.items():
        assert _side(text, axis) == side, (text, axis)
    if text == "neither bright nor dark":
        assert read(text).axes["brightness"].target == pytest.approx(0.5)


def test_negated_words_do_not_speak_through_the_whole_text_readers():
    # MiniLM reads "no grit whatsoever" beside "grit": the anchors and the probe must not see a denied phrase
    for text, axis, side in [
        ("no grit whatsoever", "grit", "low"),
        ("not dark.", "brightness", "high"),
        ("nothing shimmery, nothing sparkly", "brightness", "low"),
        ("hardly any stereo width", "width", "low"),
    ]:
        assert _side(text, axis) == side, (text, read(text).axes[axis])
        assert "probe" not in read(text).axes[axis].sources and "anchors" not in read(text).axes[axis].sources
    assert "probe" in read("not dark, a warm kitchen").axes["valence"].sources  # the affirmed clause is still read


def test_a_named_value_beats_a_denied_one():
    assert read("hi-hats only, no kick").fields["rhythm"].value == "hats_only"
    assert _side("hi-hats only, no kick", "percussion") == "high"
    assert read("no drums, just brushes").fields["rhythm"].value == "brush"
    assert read("no kick").fields["rhythm"].value == "none"


def test_intensity_moves_values_and_targets():
    assert read("very slow").fields["tempo"].value == "very_slow"
    assert read("extremely dark").fields["brightness"].value == "very_dark"
    slightly, plain = read("slightly dark").axes["brightness"], read("dark").axes["brightness"]
    assert plain.target < slightly.target < 0.5
    assert read("very sad").axes["valence"].confidence > read("a little sad").axes["valence"].confidence


@pytest.mark.parametrize(
    ("text", "axes"),
    [
        ("a funeral procession in the rain", {"valence": "low", "pace": "low"}),
        ("a wedding in the garden", {"valence": "high"}),
        ("a chase across rooftops", {"pace": "high", "density": "high"}),
        ("candlelit dinner", {"brightness": "low"}),
        ("inside a cathedral", {"space": "high"}),
        ("the library", {"density": "low", "energy": "low"}),
    ],
)
def test_implied_attributes_of_scenes_and_feelings(text, axes):
    for axis, side in axes.items():
        assert _side(text, axis) == side, (text, axis, read(text).axes[axis])


def test_unknown_words_borrow_from_their_nearest_concept():
    reading = read("kneeling at a graveside")
    assert any(s.startswith("neighbour:graveside~") for s in reading.axes["valence"].sources)
    assert reading.axes["valence"].target < 0.5
    assert read("qwerty zxcv plugh").unread == ("qwerty", "zxcv", "plugh")


def test_every_axis_has_sources_when_read_and_reading_is_deterministic():
    first, again = read("a funeral procession in the rain"), read("A  funeral procession in the rain")
    assert first.axes == again.axes and first.fields == again.fields
    assert set(first.axes) == set(AXIS_NAMES)
    for axis in first.axes.values():
        assert (axis.confidence > 0) == bool(axis.sources)


@pytest.mark.parametrize("text", ["in D minor, presto, no drums, mono", "adagio in e flat major, wide stereo, vast", "120 bpm, gritty, sparse"])
def test_mapper_and_judge_agree_on_explicit_fields(text):
    reading, config = read(text), map_vibe(text)
    for name, value in reading.explicit_fields().items():
        assert getattr(config, name) == value, (text, name)
    measured = {axis: 0.5 for axis in AXIS_NAMES}
    extra = judge(text, measured, 0.8)
    for name in ("tempo", "stereo", "space", "grain", "density"):
        if name in reading.explicit_fields():
            axis = {"tempo": "pace", "stereo": "width", "space": "space", "grain": "grit", "density": "density"}[name]
            assert extra[f"axis_{axis}_weight"] == 1.0 and extra[f"axis_{axis}_target"] == round(reading.axes[axis].target, 6)


def test_mapper_reads_what_the_user_typed():
    assert map_vibe("rainy afternoon, very slow").tempo == "very_slow"
    lydian = read("in f# lydian")
    assert map_vibe("in f# lydian").root == "f#" and map_vibe("in f# lydian").mode == "major"
    assert any("lydian" in note and "major" in note for note in lydian.notes)
    assert map_vibe("120 bpm drone").tempo == "fast" and any("120 bpm" in n for n in read("120 bpm drone").notes)
    mourning = map_vibe("mourning an old friend")
    assert mourning.mode == "minor" and mourning.tempo in ("very_slow", "slow")


def test_shipped_concept_bank_matches_the_tables():
    import numpy as np

    with np.load(BANK) as bank:
        assert str(bank["digest"]) == bank_digest(), "rebuild: .venv/bin/python scripts/build_reader_bank.py"


def test_render_provenance_says_which_words_were_not_read():
    from vibesynth.api import resolve

    _config, partly = resolve("rainy afternoon, zorblat")
    assert "zorblat" in partly["note"] and "rainy" in partly["matched_terms"]
    _config, nothing = resolve("qwerty zxcv")
    assert "neutral default" in nothing["note"]
    _config, lydian = resolve("in f# lydian")
    assert "nearest" in lydian["note"] and "major" in lydian["note"]
