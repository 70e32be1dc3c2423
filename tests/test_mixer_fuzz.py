"""Errors are data: bad tool calls return {"error", "valid"}; random sessions never raise or clip."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tools.mixer import MixerSession, SetComplete
from tools.mixer.session import TOOL_NAMES

from dj_support import SR, kit

BAD_CALLS = [
    ("add", ("snare_drum", 0.5)),
    ("add", ("kick", "loud")),
    ("add", ("kick", float("nan"))),
    ("add", ("kick", 1.7)),
    ("add", ("kick", 0.8, "wobble")),
    ("add", ("kick", 0.8, [0, 22])),
    ("add", (["kick"], 0.8)),
    ("add", ()),
    ("fader", ("kick", 0.5)),  # not in the mix yet
    ("pattern", ("kick", "gallop")),
    ("remove", (3,)),
    ("mute", (None,)),
    ("unmute", ("hihat",)),
    ("swap", ("kick", 0)),  # no alternatives
    ("play", (0,)),
    ("play", ("eight",)),
    ("play", (2.5,)),
    ("play", (True,)),
    ("play", (1, 2)),
    ("breakdown", (-4,)),
    ("status", ("extra",)),
    ("play", (10**400,)),
    ("play", ("1e400",)),
    ("add", ("kick", 10**400)),
    ("add", ("kick", -(10**400))),
    ("add", ("kick", 0.5, "[" * 100000)),
    ("add", ("kick", 0.5, "{" * 100000)),
    ("add", ("kick", 0.5, {"steps": [0], "velocity": 10**400})),
    ("add", ("kick", 0.5, [10**400] * 16)),
    ("add", ("kick", 0.5, {"steps": ["0.5"]})),
    ("add", ("kick", 0.5, "[" * 50 + "]" * 50)),
]


@pytest.mark.parametrize(("name", "args"), BAD_CALLS)
def test_bad_arguments_come_back_as_error_and_valid_choices(name, args):
    s = MixerSession(kit(), 128, 16, sample_rate=SR)
    result = json.loads(s.tools()[name](*args))
    assert set(result) == {"error", "valid"} and result["error"] and isinstance(result["valid"], list)
    assert s.bars_played == 0 and s.call_log[-1]["result"] == result


def test_numeric_strings_are_accepted_for_every_number_gain_bars_steps_and_velocity():
    s = MixerSession(kit(), 128, 16, sample_rate=SR)
    added = json.loads(s.add("kick", "0.5", {"steps": ["0", 4, "8"], "velocity": "0.75"}))
    assert added["gain"] == 0.5 and "error" not in added
    assert s.layers["kick"].pattern.hits == ((0, 0.75), (4, 0.75), (8, 0.75))
    sixteen = json.loads(s.pattern("kick", ["1"] + ["0"] * 15))
    assert sixteen["pattern"]["steps"] == [0]
    assert json.loads(s.play("2"))["played"] == 2


def test_an_unforeseen_exception_in_a_tool_comes_back_as_an_error_and_an_event(monkeypatch):
    s = MixerSession(kit(), 128, 16, sample_rate=SR)
    s.add("kick", 0.9)

    def broken(bar, breakdown):
        raise RuntimeError("boom")

    monkeypatch.setattr(s, "_render_bar", broken)
    result = json.loads(s.play(1))
    assert set(result) == {"error", "valid"} and "RuntimeError" in result["error"] and "boom" in result["error"]
    assert s.events[-1]["kind"] == "tool_error" and "boom" in s.events[-1]["message"]
    assert s.call_log[-1]["result"] == result


def test_swap_takes_an_id_or_an_index_and_keeps_loop_facts_from_the_sample():
    samples = kit()
    alt = {"kick": [samples["hihat"].__class__("k2", "kick", samples["kick"].audio, SR, loop=False)], "bassline": [samples["texture"]]}
    s = MixerSession(samples, 128, 16, sample_rate=SR, alternatives=alt)
    s.add("kick", 0.9)
    assert json.loads(s.swap("kick", "k2"))["sample"]["id"] == "k2"
    assert json.loads(s.swap("kick", 0))["sample"]["id"] == "k2"
    assert json.loads(s.swap("kick", "nope"))["valid"] == ["k2"]
    s.add("bassline", 0.5)
    assert json.loads(s.swap("bassline", 0))["sample"]["type"] == "loop"


ROLES = ["kick", "hihat", "clap", "perc", "openhat", "synth", "fx", "bassline", "texture"]
deep_json = st.builds(
    lambda depth, opener, close: opener * depth + ("]" if opener == "[" else "}") * depth * close,
    st.integers(1, 200_000),
    st.sampled_from(["[", "{"]),
    st.integers(0, 1),
)
number = st.one_of(
    st.integers(-5, 40),
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**63, 10**5000]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1e400", "nan", "-inf", " 3 ", "0x10"]),
)
junk = st.one_of(
    st.none(),
    st.booleans(),
    number,
    st.text(max_size=6),
    st.text(),
    deep_json,
    st.lists(st.one_of(st.integers(-2, 18), number), max_size=17),
    st.dictionaries(st.sampled_from(["steps", "velocity", "x"]), st.one_of(number, st.lists(number, max_size=4)), max_size=2),
    st.recursive(st.integers(0, 3), lambda inner: st.lists(inner, max_size=3), max_leaves=6),
)
role = st.one_of(st.sampled_from(ROLES), junk)
gain = st.one_of(st.floats(0, 1), st.sampled_from(["0.5", "1", "-0.2", "2"]), junk)
pattern = st.one_of(st.sampled_from(["four_on_floor", "offbeat_8ths", "sixteenth_drive", "gallop", "backbeat"]), junk)
bars = st.one_of(st.integers(1, 6), junk)
call = st.one_of(
    st.tuples(st.just("add"), st.tuples(role, gain, pattern)),
    st.tuples(st.just("add"), st.tuples(role, gain)),
    st.tuples(st.just("play"), st.tuples(bars)),
    st.tuples(st.just("breakdown"), st.tuples(bars)),
    st.tuples(st.sampled_from(["remove", "mute", "unmute"]), st.tuples(role)),
    st.tuples(st.just("fader"), st.tuples(role, gain)),
    st.tuples(st.just("pattern"), st.tuples(role, pattern)),
    st.tuples(st.just("swap"), st.tuples(role, junk)),
    st.tuples(st.sampled_from(TOOL_NAMES), st.lists(junk, max_size=3).map(tuple)),
)


@settings(max_examples=1500, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls=st.lists(call, min_size=1, max_size=25), max_bars=st.integers(1, 12))
def test_random_tool_call_sequences_never_raise_never_clip_and_last_exactly_the_bars_played(calls, max_bars):
    s = MixerSession(kit(), 131, max_bars, sample_rate=SR)
    tools = s.tools()
    done = False
    for name, args in calls:
        try:
            json.loads(tools[name](*args))
            assert not done, "a call after SetComplete must raise"
        except SetComplete:
            assert s.bars_played == max_bars
            done = True
    assert not [e for e in s.events if e["kind"] == "tool_error"], "the backstop must never be needed"
    audio = s.render()
    assert audio.shape == (s.grid.frames(s.bars_played), 2)
    assert np.isfinite(audio).all() and (audio.size == 0 or np.abs(audio).max() <= 1.0)
