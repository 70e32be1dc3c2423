"""Sample-accurate timing, exact lengths and the 16-step patterns."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from tools.mixer import PATTERNS, BarGrid, MixerSession, SetComplete, parse_pattern
from tools.mixer.patterns import PatternError

from dj_support import SR, impulse, kit


def test_64_bars_at_133_bpm_last_exactly_to_the_sample():
    grid = BarGrid(133, 44100)
    assert grid.frames(64) == round(64 * 4 * 60 / 133 * 44100) == 5093053
    # no millisecond rounding: the bar length is not a whole number of ms or frames
    assert grid.frames_per_bar != round(grid.frames_per_bar)


@pytest.mark.parametrize("bpm", [60, 97.5, 128, 133, 174.3, 200])
def test_bar_starts_come_from_the_absolute_position(bpm):
    grid = BarGrid(bpm, SR)
    exact = Fraction(240) * SR / Fraction(bpm)
    for bar in (0, 1, 7, 63, 511):
        assert grid.bar_start(bar) == round(bar * exact)
    # rounding never accumulates: the sum of bar lengths equals the absolute end
    lengths = [grid.bar_start(b + 1) - grid.bar_start(b) for b in range(200)]
    assert sum(lengths) == grid.frames(200)


@pytest.mark.parametrize("bpm", [60, 133, 200])
def test_session_audio_is_exactly_the_bars_played(bpm):
    session = MixerSession(kit(SR, bpm), bpm, 20, sample_rate=SR)
    session.add("kick", 0.9, "four_on_floor")
    session.play(3)
    assert session.render().shape == (BarGrid(bpm, SR).frames(3), 2)
    session.add("bassline", 0.6)
    with pytest.raises(SetComplete):
        session.play(17)
    assert session.render().shape == (round(20 * 240 / bpm * SR), 2)


def spikes(bpm: float, pattern, bars: int = 4) -> tuple[np.ndarray, BarGrid]:
    session = MixerSession({"kick": impulse("k", "kick")}, bpm, 64, sample_rate=SR, sidechain=False)
    session.add("kick", 1.0, pattern)
    session.play(bars)
    bus = session.buses()[0][:, 0]
    return bus, session.grid


def test_kick_lands_on_every_beat_to_the_frame():
    bus, grid = spikes(133, "four_on_floor")
    onsets = np.flatnonzero(np.abs(bus) > 1e-6)
    expected = [grid.position(bar, step) for bar in range(4) for step in (0, 4, 8, 12)]
    assert onsets.tolist() == expected


def test_sixteenth_drive_is_real_sixteenths_with_accents():
    pattern = PATTERNS["sixteenth_drive"]
    assert [s for s, _ in pattern.hits] == list(range(16))
    bus, grid = spikes(128, "sixteenth_drive", bars=1)
    onsets = np.flatnonzero(np.abs(bus) > 1e-6)
    assert onsets.tolist() == [grid.position(0, s) for s in range(16)]
    levels = np.abs(bus[onsets])
    assert levels[2] > levels[1]  # the offbeat eighth is accented over the sixteenth


def test_the_eight_named_patterns_of_seed_002():
    beats = {
        "four_on_floor": [0, 1, 2, 3],
        "offbeat_8ths": [0.5, 1.5, 2.5, 3.5],
        "syncopated_a": [0.5, 2.5],
        "syncopated_b": [1.5, 3.5],
        "backbeat": [1, 3],
        "sparse_accent": [1],
        "gallop": [0, 0.5, 2, 2.5],
    }
    for name, positions in beats.items():
        assert [s / 4 for s, _ in PATTERNS[name].hits] == positions
    assert "sixteenth_drive" in PATTERNS


def test_explicit_step_lists_and_per_step_velocity():
    assert [s for s, _ in parse_pattern([0, 3, 6, 10]).hits] == [0, 3, 6, 10]
    grid16 = [0.0] * 16
    grid16[4], grid16[12] = 0.5, 1.0
    assert parse_pattern(grid16).hits == ((4, 0.5), (12, 1.0))
    assert parse_pattern({"steps": [0, 8], "velocity": [1.0, 0.25]}).hits == ((0, 1.0), (8, 0.25))
    assert parse_pattern(json.dumps({"steps": [2], "velocity": 0.7})).hits == ((2, 0.7),)
    bus, grid = spikes(128, {"steps": [0, 8], "velocity": [1.0, 0.25]}, bars=1)
    assert bus[grid.position(0, 8)] == pytest.approx(0.25 * bus[0], rel=1e-5)
    for bad in ("nope", [16], [-1], {"steps": [0], "velocity": 2}, {"beats": [0]}, [], 3.5, "[1,"):
        with pytest.raises(PatternError):
            parse_pattern(bad)
