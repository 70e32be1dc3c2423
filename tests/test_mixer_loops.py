"""Multi-bar loops, tempo fitting, one-shot tails, stereo placement and ducking."""

from __future__ import annotations

import numpy as np
import pytest

from tools.mixer import MixerSession, Sample
from tools.mixer.render import declick_frames

from dj_support import SR, decaying, kit, stepped_loop, tone_loop


def bar_levels(session: MixerSession, bars: int, bus: str = "ducked") -> list[float]:
    """Median level of each bar's middle on one bus (clear of declick ramps and bar edges)."""
    audio = session.buses()[0 if bus == "main" else 1][:, 0]
    levels = []
    for bar in range(bars):
        start, end = session.grid.bar_start(bar), session.grid.bar_start(bar + 1)
        middle = audio[start + (end - start) // 4 : end - (end - start) // 4]
        levels.append(round(float(np.median(middle)), 3))
    return levels


@pytest.mark.parametrize("session_bpm", [128, 133, 97])
def test_a_four_bar_loop_plays_all_its_bars_in_turn_at_any_tempo(session_bpm):
    loop = stepped_loop("b4", "bassline", bars=4, bpm=128)
    session = MixerSession({"bassline": loop}, session_bpm, 64, sample_rate=SR, sidechain=False)
    session.add("bassline", 0.8)
    session.play(10)
    expected = [round(0.8 * ((bar % 4) + 1) / 10, 3) for bar in range(10)]
    assert bar_levels(session, 10) == pytest.approx(expected, abs=0.01)


def test_loops_stay_on_the_grid_over_a_long_set():
    hz = 50.0
    loop = tone_loop("b", "bassline", 2, 128, hz)
    session = MixerSession({"bassline": loop}, 133, 65, sample_rate=SR, sidechain=False)
    session.add("bassline", 0.8)
    session.play(64)
    audio = session.buses()[1][:, 0]
    # the same loop position at bar 0 and bar 62 (both start a loop cycle): no drift
    first = audio[declick_frames(SR) + 10 : 400]
    start = session.grid.bar_start(62)
    late = audio[start + declick_frames(SR) + 10 : start + 400]
    assert np.max(np.abs(first - late)) < 0.02


def test_a_loop_added_by_the_caller_is_a_loop_even_with_a_pattern():
    session = MixerSession(kit(), 128, 64, sample_rate=SR)
    result = session.add("bassline", 0.6, "four_on_floor")
    assert '"type": "loop"' in result and "ignores patterns" not in result
    assert "plays every bar" in result
    assert "error" in session.pattern("bassline", "gallop")


def test_one_shot_tails_ring_into_the_next_bar():
    long_hit = decaying("pad", "synth", 1.5)
    session = MixerSession({"synth": long_hit}, 128, 64, sample_rate=SR, sidechain=False)
    session.add("synth", 0.5, {"steps": [15]})
    session.play(1)
    session.remove("synth")
    session.play(1)
    audio = session.buses()[0]
    next_bar = audio[session.grid.bar_start(1) : session.grid.bar_start(2)]
    assert np.max(np.abs(next_bar)) > 0.05  # the hit from bar 1's last step still sounds in bar 2
    assert np.abs(session.render()).max() <= 1.0


def test_stereo_pan_and_width_per_role():
    hits = kit()
    session = MixerSession(hits, 128, 64, sample_rate=SR, sidechain=False)
    session.add("hihat", 0.6, "offbeat_8ths")
    session.add("perc", 0.6, "syncopated_b")
    session.play(1)
    audio = session.buses()[0]
    hat = audio[session.grid.position(0, 2) : session.grid.position(0, 2) + 200]
    perc = audio[session.grid.position(0, 14) : session.grid.position(0, 14) + 200]
    assert np.abs(hat[:, 1]).sum() > np.abs(hat[:, 0]).sum()  # hats sit right
    assert np.abs(perc[:, 0]).sum() > np.abs(perc[:, 1]).sum()  # perc sits left
    wide = Sample("w", "texture", np.stack([np.ones(800), -np.ones(800)], axis=1) * 0.3, SR, loop=False)
    session = MixerSession({"kick": wide}, 128, 8, sample_rate=SR, sidechain=False)
    session.add("kick", 1.0, [0])
    session.play(1)
    kick = session.buses()[0][:400]
    assert np.allclose(kick[:, 0], kick[:, 1])  # kick is mono: its side signal is removed


def test_sidechain_ducks_bass_under_the_kick():
    silent_kick = Sample("k0", "kick", np.zeros((64, 2)), SR, loop=False)  # triggers, makes no sound
    samples = {"kick": silent_kick, "bassline": tone_loop("b", "bassline", 1, 128, 200.0)}

    def levels(sidechain: bool) -> tuple[float, float]:
        session = MixerSession(samples, 128, 64, sample_rate=SR, sidechain=sidechain)
        session.add("kick", 0.9, "four_on_floor")
        session.add("bassline", 0.7)
        session.play(2)
        audio = session.render()
        beat = session.grid.position(1, 4)
        return float(np.abs(audio[beat : beat + 200]).mean()), float(np.abs(audio[beat - 300 : beat - 100]).mean())

    after_kick, before_kick = levels(True)
    assert after_kick < 0.6 * before_kick
    after_plain, before_plain = levels(False)
    assert after_plain == pytest.approx(before_plain, rel=0.1)


def test_session_at_a_different_rate_than_its_samples():
    session = MixerSession(kit(sr=SR), 128, 8, sample_rate=2 * SR)
    session.add("kick", 0.9, "four_on_floor")
    session.add("bassline", 0.6)
    session.play(2)
    assert session.render().shape == (round(2 * 240 / 128 * 2 * SR), 2)


def test_loop_or_one_shot_is_detected_from_the_audio():
    from tools.mixer import detect_loop

    loop = tone_loop("b", "bassline", 2, 128, 55.0)
    assert detect_loop(loop.audio, SR, 128) == (True, 2)
    hit = decaying("k", "kick", 240 / 128)  # a whole bar long, but it decays: a one-shot
    assert detect_loop(hit.audio, SR, 128) == (False, None)
    assert detect_loop(loop.audio, SR, None) == (False, None)
    assert detect_loop(loop.audio, SR, 100) == (False, None)  # not a whole number of bars at 100 BPM
