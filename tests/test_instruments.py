"""The one instrument interface (#25 item 4): each entry's schema, tools, render and errors; one name each."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tools.errors import ConfigError
from tools.instruments import INSTRUMENTS, instrument
from tools.schema import EXAMPLE, MusicConfig

from dj_support import SR, kit


def test_one_canonical_name_per_instrument_and_the_names_in_use_today_resolve():
    assert list(INSTRUMENTS) == ["ambient", "dj", "dx7"]
    for name, alias in (("ambient", "vibe"), ("dj", "mixer")):
        assert instrument(alias) is INSTRUMENTS[name]
    for inst in INSTRUMENTS.values():
        assert instrument(inst.name) is inst and instrument(f" {inst.name.upper()} ") is inst
    names = [n for inst in INSTRUMENTS.values() for n in inst.names]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("bad", ["synth", "", None, "dj2"])
def test_an_unknown_name_is_one_error_listing_every_name(bad):
    with pytest.raises(ConfigError) as err:
        instrument(bad)
    assert str(err.value) == f"unknown instrument {bad!r}; use one of: ambient (also vibe); dj (also mixer); dx7"


def test_the_tool_names_are_the_sessions_contracts():
    from tools.dx7 import session as dx7_session
    from tools.mixer import session as mixer_session

    assert instrument("ambient").tool_names == ()
    assert instrument("dj").tool_names == mixer_session.TOOL_NAMES
    assert instrument("dx7").tool_names == dx7_session.TOOL_NAMES
    from tools.mixer import SetComplete

    assert instrument("dj").stop is SetComplete and instrument("dx7").stop is None


def test_ambient_schema_validates_its_example_and_errors_name_the_field():
    ambient = instrument("ambient")
    assert ambient.schema is MusicConfig and ambient.json_schema() == MusicConfig.model_json_schema()
    assert ambient.parse(EXAMPLE) == MusicConfig.parse(EXAMPLE)
    with pytest.raises(ambient.errors, match="tempo"):
        ambient.parse({**EXAMPLE, "tempo": "warp"})
    with pytest.raises(ConfigError, match="no tool session"):
        ambient.session()


def test_ambient_renders_a_tiny_clip_as_the_engine_does():
    from tools.ambient import render_config

    audio = instrument("vibe").render(EXAMPLE, sample_rate=44100, seed=3, duration=0.5)
    assert audio.dtype == np.float32 and audio.shape == (22050, 2)
    assert np.array_equal(audio, render_config(MusicConfig.parse(EXAMPLE), 0.5, seed=3))


def test_dx7_schema_tools_and_render():
    from tools.dx7 import engine
    from tools.dx7.voice import Voice

    dx7 = instrument("dx7")
    example = Voice().model_dump(mode="json")
    assert dx7.parse(example) == Voice() and dx7.json_schema() == Voice.model_json_schema()
    with pytest.raises(dx7.errors, match="algorithm"):
        dx7.parse({**example, "algorithm": 40})
    session = dx7.session()
    tools = dx7.tools(session)
    assert list(tools) == list(dx7.tool_names)
    assert json.loads(tools["set_algorithm"](5)) == session.call_log[-1]["result"]
    bad = json.loads(tools["set_algorithm"](40))
    assert set(bad) == {"error", "valid"}
    assert [set(entry) for entry in session.call_log] == [{"tool", "args", "result"}] * 2
    assert session.call_log[0]["tool"] == "set_algorithm" and session.call_log[0]["args"] == {"number": 5}
    notes = [engine.Note(60, 100, 0.0, 0.1, 0.1)]
    audio = dx7.render(session, notes=notes)
    assert audio.dtype == np.float32 and audio.shape == (round(0.2 * 44100), 2)
    assert np.array_equal(audio, engine.render(session.voice, notes))


def test_dj_tools_and_render_of_a_played_session():
    dj = instrument("mixer")
    assert dj.schema is None and dj.json_schema() is None
    with pytest.raises(dj.errors, match="takes tool calls"):
        dj.parse({})
    session = dj.session(kit(), 120.0, 2, sample_rate=SR)
    tools = dj.tools(session)
    assert list(tools) == list(dj.tool_names)
    assert "error" not in json.loads(tools["add"]("kick", 0.8))
    assert set(json.loads(tools["fader"]("snare", 0.5))) == {"error", "valid"}
    assert "error" not in json.loads(tools["play"](1))
    assert [set(entry) for entry in session.call_log] == [{"tool", "args", "result"}] * 3
    assert session.call_log[0]["args"] == {"role": "kick", "gain": 0.8}
    audio = dj.render(session, sample_rate=SR)
    assert audio.shape == (round(2.0 * SR), 2) and np.array_equal(audio, session.render())  # one bar at 120 BPM
    with pytest.raises(dj.stop):
        tools["play"](1)  # the second and last bar: the hard stop
    with pytest.raises(ConfigError, match="runs at 8000 Hz"):
        dj.render(session, sample_rate=44100)
    with pytest.raises(ConfigError, match="renders a played session"):
        dj.render(EXAMPLE)
