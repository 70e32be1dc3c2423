"""Reference arrangements of seeds/002, written only as the tool calls an LM would make.

Their call sequences are valid trajectories: replaying them through a
MixerSession is the whole renderer. The 32-bar reference is the bergain
oracle; "64" doubles every section; "set" is a 128-bar full set (intro,
build, drop, breakdown, drop, strip, outro).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from palettes.library import Palette
from tools.errors import ConfigError
from tools.loudness import normalize_peak
from tools.mixer import MixerSession, SetComplete

KINDS = ("32", "64", "set")
BARS = {"32": 32, "64": 64, "set": 128}
# Rebalanced from the seeds/002 midpoints (kick .92, hat .53, bass .65, perc .40, texture .35,
# clap .47), which left 98-99 % of the power below 250 Hz: the kick and bass come down, the
# layers a small speaker can play come up (docs/instruments/dj.md, "The mix a listener hears").
GAINS = {"kick": 0.75, "hihat": 0.66, "bassline": 0.55, "perc": 0.5, "texture": 0.52, "clap": 0.58}

Call = tuple[str, dict]


def _add(role: str, pattern: str | dict | None = None, gain: float | None = None) -> Call:
    args: dict = {"role": role, "gain": GAINS.get(role, 0.4) if gain is None else gain}
    if pattern is not None:
        args["pattern"] = pattern
    return ("add", args)


def _play(bars: int) -> Call:
    return ("play", {"bars": bars})


def _pattern(role: str, name: str) -> Call:
    return ("pattern", {"role": role, "name": name})


def _remove(role: str) -> Call:
    return ("remove", {"role": role})


def _groove(section: int) -> list[Call]:
    """The 32-bar reference with `section` bars per section (4 -> 32 bars, 8 -> 64)."""
    return [
        _add("kick", "four_on_floor"),
        _play(section),
        _add("hihat", "offbeat_8ths"),
        _play(section),
        _add("bassline"),
        _play(section),
        _add("perc", "syncopated_a"),
        _play(section),
        _add("texture"),
        _add("clap", "backbeat"),
        _play(section),
        _pattern("hihat", "sixteenth_drive"),
        _pattern("perc", "gallop"),
        _play(section),
        _remove("texture"),
        _remove("clap"),
        _pattern("hihat", "offbeat_8ths"),
        _pattern("perc", "syncopated_b"),
        _play(section),
        _remove("hihat"),
        _remove("bassline"),
        _remove("perc"),
        _add("texture"),
        _play(section),
    ]


def _full_set() -> list[Call]:
    return [
        # intro 1-16
        _add("kick", "four_on_floor"),
        _play(8),
        _add("hihat", "offbeat_8ths"),
        _play(8),
        # build 17-48
        _add("bassline", gain=0.62),
        _play(8),
        _add("perc", "syncopated_a"),
        _play(8),
        _add("clap", "backbeat", 0.45),
        _play(8),
        _pattern("hihat", "sixteenth_drive"),
        _play(8),
        # drop 49-72: a 16-bar hypnotic hold, then movement
        _pattern("hihat", "offbeat_8ths"),
        _add("texture"),
        ("fader", {"role": "bassline", "gain": 0.66}),
        _play(16),
        _pattern("perc", "gallop"),
        _pattern("hihat", "sixteenth_drive"),
        _play(8),
        # breakdown 73-80: drums out, bass and texture carry
        _remove("clap"),
        _remove("perc"),
        ("breakdown", {"bars": 8}),
        # second drop 81-104, an impact on its downbeat
        _remove("texture"),
        _add("synth", "sparse_accent", 0.35),
        _add("perc", "gallop"),
        _add("fx", {"steps": [0], "velocity": 1.0}, 0.45),
        _play(1),
        _remove("fx"),
        _add("clap", "backbeat", 0.45),
        _play(23),
        # strip 105-116
        _remove("synth"),
        _remove("clap"),
        _pattern("hihat", "offbeat_8ths"),
        _pattern("perc", "syncopated_b"),
        _play(12),
        # outro 117-128
        _remove("perc"),
        _remove("bassline"),
        _add("texture"),
        _play(8),
        _remove("hihat"),
        _play(4),
    ]


def reference_calls(kind: str) -> list[Call]:
    """The tool calls of a reference arrangement: "32", "64" or "set"."""
    if kind == "32":
        return _groove(4)
    if kind == "64":
        return _groove(8)
    if kind == "set":
        return _full_set()
    raise ValueError(f"unknown reference {kind!r}; choose from {KINDS}")


def kind_for_bars(bars: int) -> str:
    """The shortest reference arrangement that fills `bars` (a session's hard stop cuts it there)."""
    for kind, length in sorted(BARS.items(), key=lambda item: item[1]):
        if length >= bars:
            return kind
    longest = max(BARS.values())
    raise ConfigError(
        f"no reference arrangement fills {bars} bars (the longest, the full set, is {longest}); "
        f"ask for at most {longest} bars, or play a longer set with an LM"
    )


def play_calls(session: MixerSession, calls: list[Call]) -> list[dict]:
    """Make each call on the session; returns the parsed results (SetComplete ends the run)."""
    return run_calls(session.tools(), calls)


def run_calls(tools: dict, calls: list[Call]) -> list[dict]:
    """Make each call through a tool table (name -> callable); SetComplete ends the run."""
    results = []
    for name, args in calls:
        try:
            results.append(json.loads(tools[name](**args)))
        except SetComplete as done:
            results.append(done.result)
            break
    return results


@dataclass
class ReferenceRender:
    audio: np.ndarray  # peak-normalised to -1 dBTP
    sample_rate: int
    bpm: float
    bars: int
    kind: str
    session: MixerSession


def render_reference(palette: Palette, bars_kind: str = "32", bpm: float | None = None, seed: int = 0, sample_rate: int = 44100) -> ReferenceRender:
    """Render a reference arrangement with a palette, normalised to -1 dBTP."""
    calls = reference_calls(bars_kind)
    tempo = float(palette.bpm if bpm is None else bpm)  # 0 is a (refused) tempo, not "use the palette's"
    session = MixerSession(palette.samples, tempo, BARS[bars_kind], seed=seed, sample_rate=sample_rate, alternatives=palette.alternatives)
    play_calls(session, calls)
    return ReferenceRender(normalize_peak(session.render()), sample_rate, tempo, session.bars_played, bars_kind, session)
