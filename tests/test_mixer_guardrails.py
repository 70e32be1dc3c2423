"""Each guardrail of the session, working: caps, density, energy, stagnation, critic, hard stop."""

from __future__ import annotations

import json

import pytest

from tools.mixer import GuardrailConfig, MixerSession, SetComplete
from tools.mixer.guardrails import phase_at

from dj_support import SR, kit


def session(max_bars: int = 64, **kwargs) -> MixerSession:
    return MixerSession(kit(), 128, max_bars, sample_rate=SR, **kwargs)


def call(tool, *args) -> dict:
    return json.loads(tool(*args))


def kinds(s: MixerSession, kind: str) -> list[dict]:
    return [e for e in s.events if e["kind"] == kind]


def test_gain_caps_clamp_and_report():
    s = session()
    result = call(s.add, "texture", 0.9)
    assert result["gain"] == 0.55 and "capped to 0.55" in result["notes"][0]
    assert call(s.fader, "texture", 0.3)["gain"] == 0.3
    assert call(s.add, "synth", "0.8")["gain"] == 0.5


def test_gain_outside_0_1_is_an_error_or_a_reported_clamp():
    s = session()
    error = call(s.add, "kick", 1.4, "four_on_floor")
    assert "error" in error and error["valid"] == ["0.0..1"]
    clamping = session(guardrails=GuardrailConfig(clamp_out_of_range=True))
    result = call(clamping.add, "kick", 1.4, "four_on_floor")
    assert result["gain"] == 1.0 and "clamped to 1" in result["notes"][0]
    assert call(clamping.fader, "kick", -3)["gain"] == 0.0


def test_density_ceiling_by_arc_phase_holds_out_the_quietest_layers():
    config = GuardrailConfig()
    assert [phase_at(b, 64, config)[0] for b in (0, 8, 24, 52, 60)] == ["intro", "build", "peak", "strip", "outro"]
    s = session()
    for role, gain in (("kick", 0.9), ("hihat", 0.5), ("bassline", 0.6), ("perc", 0.3)):
        s.add(role, gain)
    assert "density ceiling" in call(s.add, "clap", 0.45)["notes"][-1]
    call(s.play, 4)
    held = kinds(s, "density")
    assert held and held[0]["phase"] == "intro" and held[0]["cap"] == 3
    assert sorted(held[0]["held_out"]) == ["clap", "perc"]  # the two quietest, never the kick
    call(s.play, 12)  # the build allows 5: nothing held, no new event
    assert len(kinds(s, "density")) == 1


def test_energy_critique_fires_per_phrase_when_far_from_the_curve():
    s = session()
    s.add("kick", 0.9, "four_on_floor")
    for role in ("hihat", "bassline"):
        s.add(role, 0.6)
    call(s.play, 8)
    critique = kinds(s, "energy")
    assert critique and critique[0]["bar"] == 8 and critique[0]["energy"] > critique[0]["target"]
    quiet = session()
    quiet.add("kick", 0.5, "four_on_floor")
    call(quiet.play, 8)
    assert not kinds(quiet, "energy")  # near the curve's low start: no critique


def test_stagnation_fires_after_n_unchanged_phrases():
    s = session(guardrails=GuardrailConfig(stagnation_phrases=2))
    s.add("kick", 0.6, "four_on_floor")
    call(s.play, 8)
    assert not kinds(s, "stagnation")
    result = call(s.play, 8)
    assert [e["kind"] for e in result["events"]].count("stagnation") == 1
    assert kinds(s, "stagnation")[0]["unchanged_bars"] == 16
    call(s.play, 16)
    assert len(kinds(s, "stagnation")) == 2  # fires again after another 2 phrases


def test_stagnation_stays_quiet_when_the_mix_moves():
    s = session(guardrails=GuardrailConfig(stagnation_phrases=2))
    s.add("kick", 0.6, "four_on_floor")
    s.add("hihat", 0.5, "offbeat_8ths")
    for phrase in range(7):
        s.pattern("hihat", ("offbeat_8ths", "sixteenth_drive")[phrase % 2])
        call(s.play, 8)
    assert not kinds(s, "stagnation")


def test_stagnation_default_is_four_phrases():
    s = session(max_bars=128)
    s.add("kick", 0.6, "four_on_floor")
    call(s.play, 24)
    assert not kinds(s, "stagnation")
    call(s.play, 8)
    assert len(kinds(s, "stagnation")) == 1


def test_critic_hook_every_16_bars_and_none_by_default():
    seen = []

    def critic(summary: dict) -> str:
        seen.append(summary["bars_played"])
        return "bring the clap in"

    s = session(critic=critic)
    s.add("kick", 0.9, "four_on_floor")
    results = [call(s.play, 8) for _ in range(4)]
    assert seen == [16, 32]
    assert results[1]["critic"] == "bring the clap in" and "critic" not in results[0]
    plain = session()
    plain.add("kick", 0.9, "four_on_floor")
    assert "critic" not in call(plain.play, 16)


def test_a_failing_critic_is_reported_not_hidden():
    def critic(summary: dict) -> str:
        raise RuntimeError("LM down")

    s = session(critic=critic)
    s.add("kick", 0.9)
    call(s.play, 16)
    assert "LM down" in kinds(s, "critic_error")[0]["message"]


def test_hard_stop_raises_at_max_bars_and_refuses_everything_after():
    s = session(max_bars=8)
    s.add("kick", 0.9, "four_on_floor")
    call(s.play, 4)
    with pytest.raises(SetComplete) as done:
        s.play(6)  # asks past the end: renders up to max_bars, then stops
    assert done.value.result["bars_played"] == 8 and done.value.result["played"] == 4
    assert s.render().shape[0] == s.grid.frames(8)
    for name, args in (("play", (1,)), ("status", ()), ("fader", ("kick", 0.5)), ("add", ("bogus", "x")), ("breakdown", (2,))):
        with pytest.raises(SetComplete):
            s.tools()[name](*args)
    assert s.call_log[-1]["result"]["refused"] == "breakdown"


def test_breakdown_holds_the_drums_out_then_they_return():
    s = session()
    s.add("kick", 0.9, "four_on_floor")
    s.add("bassline", 0.6)
    call(s.breakdown, 2)
    grid = s.grid
    main, ducked = s.buses()
    assert abs(main).max() == 0.0  # no drums on the main bus during the breakdown
    assert abs(ducked).max() > 0.1
    call(s.play, 1)
    assert abs(s.buses()[0][grid.bar_start(2) :]).max() > 0.1
