"""The harmonic plan (chord timeline) and the human feel of a performance."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from tools.ambient.controls import Controls
from tools.ambient.osc import Note
from tools.ambient.theory import Chord, progression

BARS_PER_CHORD = 2
# The B progression replaces every 4th pass of A (A A B A ...), so long
# renders keep moving without wandering out of the mode.
B_SECTION_EVERY = 4


@dataclass(frozen=True)
class Segment:
    start: float
    dur: float
    chord: Chord
    index: int


@dataclass(frozen=True)
class Plan:
    segments: tuple[Segment, ...]
    duration: float

    def at(self, time: float) -> Segment:
        for seg in reversed(self.segments):
            if seg.start <= time:
                return seg
        return self.segments[0]


def plan(ctl: Controls, duration: float, rng: np.random.Generator) -> Plan:
    a = progression(ctl.key, rng, size=4)
    b = progression(ctl.key, rng, size=4)
    seg_dur = BARS_PER_CHORD * ctl.bar
    count = max(1, int(np.ceil(duration / seg_dur)))
    segments = []
    for i in range(count):
        cycle, pos = divmod(i, len(a))
        source = b if cycle % B_SECTION_EVERY == 2 else a
        segments.append(Segment(i * seg_dur, seg_dur, source[pos], i))
    return Plan(tuple(segments), duration)


def humanize(notes: list[Note], ctl: Controls, rng: np.random.Generator) -> list[Note]:
    """Jitter onsets and velocities by the `human` field; 'drunk' also sways the tempo."""
    if not notes or (ctl.timing_jitter == 0 and ctl.velocity_jitter == 0):
        return notes
    times = np.array([n.time for n in notes])
    shift = rng.normal(0.0, ctl.timing_jitter, len(notes)) if ctl.timing_jitter else np.zeros(len(notes))
    if ctl.drift:
        shift += 0.08 * np.sin(2 * np.pi * times / (3.1 * ctl.bar) + rng.uniform(0, 2 * np.pi))
    vel = 1.0 + rng.normal(0.0, ctl.velocity_jitter, len(notes))
    return [
        replace(n, time=max(0.0, n.time + float(s)), vel=n.vel * float(np.clip(v, 0.3, 1.5)))
        for n, s, v in zip(notes, shift, vel)
    ]
