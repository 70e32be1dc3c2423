"""The arrangement space (#24 item 2): points round-trip through tool calls and render through the mixer."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from palettes.library import load_palette
from reference.arrangement_space import Arrangement, LayerSetting, Section, from_calls, reference_point, render_arrangement, to_calls
from reference.arrangements import reference_calls, render_reference
from tools.errors import ConfigError

from agent_palette import make_palette

ONE = [1.0] + [0.0] * 15


@pytest.fixture(scope="module")
def palette(tmp_path_factory):
    return load_palette(make_palette(tmp_path_factory.mktemp("palette")))


def _layer(gain: float, pattern=None, muted: bool = False) -> LayerSetting:
    return LayerSetting(gain=gain, pattern=pattern, muted=muted)


@pytest.fixture
def point() -> Arrangement:
    """Reorders, a mute, a pattern back to its default, custom velocities, a breakdown."""
    return Arrangement(
        bpm=124.0,
        sections=[
            Section(bars=2, layers={"kick": _layer(0.8), "hihat": _layer(0.5, "offbeat_16ths")}),
            Section(bars=2, layers={"kick": _layer(0.8), "bassline": _layer(0.6), "hihat": _layer(0.6, "sixteenth_drive"), "perc": _layer(0.4, ONE)}),
            Section(
                bars=1,
                layers={
                    "kick": _layer(0.8),
                    "bassline": _layer(0.6),
                    "hihat": _layer(0.6),
                    "texture": _layer(0.5),
                    "perc": _layer(0.4, ONE, muted=True),
                },
                breakdown=True,
            ),
            Section(bars=3, layers={"hihat": _layer(0.6), "kick": _layer(0.9, "half_time"), "clap": _layer(0.5, "backbeat")}),
        ],
    )


@pytest.mark.parametrize("kind", ["32", "64", "set"])
def test_reference_arrangements_are_points_that_round_trip(kind):
    point = reference_point(kind)
    assert point.bars == {"32": 32, "64": 64, "set": 128}[kind]
    assert from_calls(to_calls(point)) == point
    if kind != "set":  # the set's impact is written as {"steps": [0]}; the space writes its 16 velocities
        assert to_calls(point) == reference_calls(kind)


def test_the_reference_point_sounds_like_the_reference_arrangement_bit_for_bit(palette):
    assert np.array_equal(render_arrangement(reference_point("32"), palette).audio, render_reference(palette, "32").audio)


def test_a_point_plays_as_the_calls_it_makes_and_reads_back_from_them(point, palette):
    rendered = render_arrangement(point, palette)
    session = rendered.session
    assert session.bars_played == point.bars == 8 and session.bpm == 124.0
    errors = [entry for entry in session.call_log if "error" in entry["result"]]
    assert errors == []
    accepted = [(entry["tool"], entry["args"]) for entry in session.call_log]
    assert from_calls(accepted, bpm=124.0) == point
    assert list(session.layers) == ["hihat", "kick", "clap"]  # the last section's order, as the mixer holds it
    assert session.layers["hihat"].pattern.name == "offbeat_8ths"  # back to the role's default
    again = render_arrangement(point, palette)
    assert np.array_equal(rendered.audio, again.audio)


def test_points_out_of_the_space_are_refused_naming_the_fix():
    with pytest.raises(ValidationError, match="above the guardrail cap 0.7"):
        Section(bars=4, layers={"hihat": _layer(0.9)})
    with pytest.raises(ValidationError, match="unknown pattern 'four_on_the_floor'"):
        _layer(0.5, "four_on_the_floor")
    with pytest.raises(ValidationError, match="unknown role 'vocals'"):
        Section(bars=4, layers={"vocals": _layer(0.5)})
    with pytest.raises(ValidationError, match="at most 512"):
        Arrangement(sections=[Section(bars=300), Section(bars=300)])
    with pytest.raises(ConfigError, match="no sample swaps"):
        from_calls([("add", {"role": "kick", "gain": 0.5}), ("swap", {"role": "kick", "choice": 1}), ("play", {"bars": 4})])
