"""Scales, diatonic chords, progressions and voice leading.

Pitches are MIDI numbers (floats allowed); chords are built by stacking
thirds inside the chosen mode, so everything the engine plays stays in key.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

PITCH_CLASS = {name: i for i, name in enumerate(
    ["c", "c#", "d", "d#", "e", "f", "f#", "g", "g#", "a", "a#", "b"]
)}
MODES = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
}
# Scale-degree progressions (0 = tonic) that sit well under slow ambient
# pads; each mode keeps its signature chord (dorian IV, mixolydian bVII).
PROGRESSIONS = {
    "major": ((0, 4, 5, 3), (0, 5, 3, 4), (3, 0, 4, 5), (0, 3, 0, 4)),
    "minor": ((0, 5, 2, 6), (0, 3, 5, 4), (0, 6, 5, 6), (0, 5, 3, 6)),
    "dorian": ((0, 3, 0, 6), (0, 1, 3, 0), (0, 6, 3, 0), (0, 3, 6, 3)),
    "mixolydian": ((0, 6, 3, 0), (0, 4, 6, 3), (0, 3, 6, 0), (0, 6, 0, 3)),
}


@dataclass(frozen=True)
class Key:
    root: str
    mode: str

    @property
    def tonic_pc(self) -> int:
        return PITCH_CLASS[self.root]

    def degree(self, step: int, octave: int = 4) -> int:
        """MIDI pitch of a scale step (any integer; wraps octaves) above C of `octave`."""
        scale = MODES[self.mode]
        oct_shift, idx = divmod(step, len(scale))
        return 12 * (octave + 1 + oct_shift) + self.tonic_pc + scale[idx]

    def scale_pcs(self) -> set[int]:
        return {(self.tonic_pc + s) % 12 for s in MODES[self.mode]}

    def snap(self, midi: float) -> int:
        """Nearest in-scale pitch (ties go down)."""
        pcs = self.scale_pcs()
        base = int(round(midi))
        for offset in (0, -1, 1, -2, 2):
            if (base + offset) % 12 in pcs:
                return base + offset
        return base


@dataclass(frozen=True)
class Chord:
    """A diatonic chord: its scale degree and pitch classes (root first)."""

    degree: int
    pcs: tuple[int, ...]

    @property
    def root_pc(self) -> int:
        return self.pcs[0]


def chord(key: Key, degree: int, size: int = 3) -> Chord:
    """Stack `size` thirds on a scale degree (3 = triad, 4 = seventh, 5 = ninth)."""
    pcs = tuple(key.degree(degree + 2 * i) % 12 for i in range(size))
    return Chord(degree, pcs)


def progression(key: Key, rng: np.random.Generator, size: int = 3) -> list[Chord]:
    options = PROGRESSIONS[key.mode]
    degrees = options[int(rng.integers(len(options)))]
    return [chord(key, d, size) for d in degrees]


def pitches_in_range(pcs: tuple[int, ...] | set[int], lo: int, hi: int) -> list[int]:
    return [p for p in range(lo, hi + 1) if p % 12 in pcs]


def voice_lead(
    target: Chord, previous: tuple[int, ...] | None, voices: int, lo: int, hi: int
) -> tuple[int, ...]:
    """Voicing of `target` with `voices` notes in [lo, hi] nearest to `previous`.

    Every voicing must hold the chord's root and third (when it has room) and
    avoid seconds below middle C (mud); among those, the one with the least
    total motion from the previous voicing wins (the first chord prefers a
    centred, evenly spread voicing).
    """
    candidates = pitches_in_range(target.pcs, lo, hi)
    must = set(target.pcs[: min(2, voices)])
    best, best_cost = None, float("inf")
    centre = (lo + hi) / 2
    for combo in combinations(candidates, voices):
        if not must <= {p % 12 for p in combo}:
            continue
        if any(b - a < 3 and a < 60 for a, b in zip(combo, combo[1:])):
            continue
        if previous is not None and len(previous) == voices:
            cost = sum(abs(a - b) for a, b in zip(combo, previous))
        else:
            cost = abs(np.mean(combo) - centre) + 0.1 * np.std(np.diff(combo) if voices > 1 else [0])
        if cost < best_cost:
            best, best_cost = combo, cost
    if best is None:
        return tuple(sorted(candidates[:voices]))
    return best
