"""The melody layer: one two-bar phrase per chord, shaped by the melody style.

Phrases are written in scale steps (0 = tonic of the melody octave) and
anchored on tones of the current chord, so the line stays in key and leans
on the harmony.
"""

from __future__ import annotations

import numpy as np

from tools.ambient.controls import Controls
from tools.ambient.osc import Note, Timbre, play
from tools.ambient.score import Plan, Segment, humanize
from tools.ambient.theory import MODES, Key

SOFT = Timbre((1.0, 2.0, 3.0, 4.0, 5.0), (1.0, 0.35, 0.18, 0.08, 0.04), attack=0.15, release=0.9, vibrato=0.25)
TIMBRES = {
    "arp_melody": Timbre((1.0, 2.0, 3.0, 4.0), (1.0, 0.5, 0.25, 0.12), attack=0.005, release=0.25,
                         decay=0.5, partial_decay=1.0),
    "heroic": Timbre(tuple(float(k) for k in range(1, 9)), tuple(1.0 / k for k in range(1, 9)),
                     attack=0.06, release=0.6, vibrato=0.35),
    "minimal": Timbre((1.0, 2.0), (1.0, 0.1), attack=0.4, release=2.5),
    "ornamental": Timbre((1.0, 2.0, 3.0), (1.0, 0.2, 0.25), attack=0.02, release=0.4, vibrato=0.2),
}
CONTEMPLATIVE_RHYTHMS = (((0, 3), (3, 1), (4, 4)), ((0, 2), (2, 2), (4, 3)), ((1, 2), (3, 1), (4, 4)))
# (beat, length, scale step) for the fixed-shape styles.
HEROIC = ((0, 1.5, 0), (1.5, 0.5, 4), (2, 2, 7), (4, 1.5, 6), (5.5, 0.5, 4), (6, 2, 7))
CALL = ((0, 0.5, 0), (0.5, 0.5, 1), (1, 1, 2), (2, 1.5, 4))


def _chord_steps(key: Key, seg: Segment) -> list[int]:
    scale = MODES[key.mode]
    return [scale.index((pc - key.tonic_pc) % 12) for pc in seg.chord.pcs]


def _nearest(steps: list[int], target: int) -> int:
    options = [s + 7 * o for s in steps for o in (-1, 0, 1)]
    return min(options, key=lambda s: (abs(s - target), s))


def _phrase(style: str, seg: Segment, key: Key, last: int, rng: np.random.Generator) -> list[tuple]:
    """(beat, beats, step, velocity, pan) events of one phrase."""
    tones = _chord_steps(key, seg)
    anchor = _nearest(tones, last)
    if style in ("contemplative", "ornamental"):
        if rng.random() < 0.3:
            return []
        rhythm = CONTEMPLATIVE_RHYTHMS[int(rng.integers(len(CONTEMPLATIVE_RHYTHMS)))]
        steps = [anchor]
        for _ in rhythm[1:]:
            steps.append(steps[-1] + int(rng.choice((-1, 1, -2, 1))))
        steps[-1] = _nearest(tones, steps[-1])
        events = [(b, d, s, 0.9, 0.0) for (b, d), s in zip(rhythm, steps)]
        if style == "ornamental":  # a grace note before each tone and a turn inside long ones
            graces = [(b - 0.125, 0.125, s + 1, 0.6, 0.0) for b, _, s, _, _ in events if b >= 0.125]
            turns = [(b + d / 2 + k * 0.125, 0.125, s + off, 0.55, 0.0)
                     for b, d, s, _, _ in events if d >= 3 for k, off in enumerate((1, 0, -1, 0))]
            events += graces + turns
        return events
    if style == "rising":
        start = _nearest(tones, anchor - 3)
        return [(i, 1, start + i, 0.7 + 0.06 * i, 0.0) for i in range(4)] + [(4, 4, start + 6, 1.0, 0.0)]
    if style == "falling":
        start = _nearest(tones, anchor + 3)
        return [(i, 1, start - i, 1.0 - 0.06 * i, 0.0) for i in range(4)] + [(4, 4, start - 6, 0.7, 0.0)]
    if style == "minimal":
        return [(0, 6, (0, 4, 2)[seg.index % 3], 0.8, 0.0)]
    if style == "arp_melody":
        ladder = sorted(tones) + [t + 7 for t in sorted(tones)]
        order = ladder + ladder[::-1]
        return [(i * 0.5, 0.45, order[i % len(order)], 0.9 if i % 4 == 0 else 0.7, 0.0) for i in range(16)]
    if style == "contemplative_minor":  # falling sighs, an appoggiatura onto each chord tone
        first, second = _nearest(tones, anchor), _nearest(tones, anchor - 2)
        return [(0, 1.5, first + 1, 0.9, 0.0), (1.5, 2.5, first, 0.6, 0.0),
                (4, 1.5, second + 1, 0.8, 0.0), (5.5, 2.5, second, 0.55, 0.0)]
    if style == "call_response":
        call = [(b, d, anchor + s, 0.9, -0.7) for b, d, s in CALL]
        answer = [(b + 4, d, anchor + 2 - s, 0.7, 0.7) for b, d, s in CALL]
        return call + answer
    return [(b, d, anchor + s, 1.0, 0.0) for b, d, s in HEROIC]  # heroic


def _mixture(key: Key, midi: int) -> int:
    """contemplative_minor borrows the minor third and sixth in major keys."""
    if key.mode in ("major", "mixolydian") and (midi - key.tonic_pc) % 12 in (4, 9):
        return midi - 1
    return midi


def melody(bus: np.ndarray, plan: Plan, ctl: Controls, style: str, rng: np.random.Generator, sr: int) -> list[Note]:
    octave = 5
    notes, last = [], 2
    for seg in plan.segments:
        events = _phrase(style, seg, ctl.key, last, rng)
        for beat, beats, step, vel, pan in events:
            midi = ctl.key.degree(step, octave) + ctl.register
            midi = ctl.key.snap(midi)
            if style == "contemplative_minor":
                midi = _mixture(ctl.key, midi)
            notes.append(Note(seg.start + beat * ctl.beat, beats * ctl.beat, midi, vel, pan))
        if events:
            last = events[-1][2]
            last = max(-3, min(9, last))
    timbre = TIMBRES.get(style, SOFT).brightened(ctl.tilt)
    played = humanize(notes, ctl, rng)
    play(bus, played, timbre, sr, ctl.attack, ctl.spread, vibrato_hz=ctl.motion_hz * 2.5, gain=0.4)
    return played
