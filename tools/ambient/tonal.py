"""Bass, pad and sub layers: the harmonic bed that follows the chord plan."""

from __future__ import annotations

import numpy as np

from tools.ambient.controls import Controls
from tools.ambient.osc import Note, Timbre, modulator, play
from tools.ambient.score import Plan, humanize
from tools.ambient.theory import Chord, Key, voice_lead

SAW = tuple(1.0 / k for k in range(1, 13))
HARMONICS = tuple(float(k) for k in range(1, 13))

BASS_TIMBRE = {
    "drone": Timbre(HARMONICS[:4], (1.0, 0.35, 0.15, 0.06), attack=2.5, release=2.5),
    "sustained": Timbre(HARMONICS[:5], SAW[:5], attack=0.4, release=0.8),
    "pulsing": Timbre(HARMONICS[:5], SAW[:5], attack=0.02, release=0.08, decay=0.22),
    "walking": Timbre(HARMONICS[:6], (1.0, 0.6, 0.3, 0.2, 0.1, 0.05), attack=0.02, release=0.1, decay=0.9),
    "fifth_drone": Timbre(HARMONICS[:4], (1.0, 0.4, 0.2, 0.1), attack=3.0, release=3.0),
    "sub_pulse": Timbre((1.0, 2.0), (1.0, 0.08), attack=0.015, release=0.15, decay=0.45),
    "octave": Timbre(HARMONICS[:6], SAW[:6], attack=0.02, release=0.1, decay=0.3),
    "arp_bass": Timbre((1.0, 2.0, 3.0, 5.0), (1.0, 0.5, 0.4, 0.2), attack=0.01, release=0.08,
                       decay=0.18, partial_decay=1.5),
}
# Pads: timbre, voice count, register (lo, hi).
PAD = {
    "warm_slow": (Timbre(HARMONICS[:6], SAW[:6], attack=3.0, release=3.0, chorus=True), 4, (48, 67)),
    "dark_sustained": (Timbre(HARMONICS[:3], (1.0, 0.25, 0.06), attack=4.0, release=4.0, chorus=True), 3, (40, 58)),
    "cinematic": (Timbre(HARMONICS, SAW, attack=0.0, release=2.5, chorus=True), 5, (38, 79)),
    "thin_high": (Timbre((1.0, 2.0), (1.0, 0.12), attack=2.0, release=2.5), 2, (72, 88)),
    "ambient_drift": (Timbre(HARMONICS[:4], (1.0, 0.3, 0.15, 0.05), attack=2.5, release=4.0, vibrato=0.9), 4, (50, 72)),
    "stacked_fifths": (Timbre(HARMONICS[:5], (1.0, 0.45, 0.3, 0.12, 0.08), attack=2.0, release=2.5, chorus=True), 4, (43, 74)),
    "bright_open": (Timbre(HARMONICS, tuple(k ** -0.5 for k in range(1, 9)), attack=1.5, release=2.0, chorus=True), 5, (55, 86)),
}
SUB = Timbre((1.0,), (1.0,), attack=1.0, release=1.5, scale_attack=False)


def _bass_pitch(pc: int) -> int:
    """Chord root in the bass register (G1..F#2)."""
    return 36 + pc if pc < 7 else 24 + pc


def _sub_pitch(pc: int) -> int:
    """An octave under the bass, kept at or above E1 (41 Hz)."""
    pitch = _bass_pitch(pc) - 12
    return pitch if pitch >= 28 else pitch + 12


def _held(plan: Plan, pitch: int, hold_bars: float, ctl: Controls, vel: float = 1.0) -> list[Note]:
    span = hold_bars * ctl.bar
    count = int(np.ceil(plan.duration / span))
    return [Note(i * span, span, pitch, vel) for i in range(count)]


def _per_beat(plan: Plan, ctl: Controls, step: float, pick, dur: float) -> list[Note]:
    """Notes every `step` beats; pick(segment, index) -> (midi, velocity) or None."""
    notes = []
    for seg in plan.segments:
        count = int(round(seg.dur / (step * ctl.beat)))
        for i in range(count):
            chosen = pick(seg.chord, i)
            if chosen is not None:
                midi, vel = chosen
                notes.append(Note(seg.start + i * step * ctl.beat, dur * ctl.beat, midi, vel))
    return notes


def _walk(key: Key, chord: Chord, i: int) -> tuple[int, float]:
    root = _bass_pitch(chord.root_pc)
    steps = (0, 2, 4, 5, 4, 2, 1, -1)  # scale steps above the root, leaning back home
    pcs = sorted(key.scale_pcs())
    base = pcs.index(chord.root_pc) if chord.root_pc in pcs else 0
    step = steps[i % len(steps)]
    octave, idx = divmod(base + step, len(pcs))
    pitch = root + (pcs[idx] - chord.root_pc) % 12 + 12 * octave - (12 if step < 0 else 0)
    return pitch, 1.0 if i % 4 == 0 else 0.8


def bass(bus: np.ndarray, plan: Plan, ctl: Controls, style: str, rng: np.random.Generator, sr: int) -> list[Note]:
    tonic = _bass_pitch(ctl.key.tonic_pc)
    fifth = tonic + 7
    if style == "drone":
        notes = _held(plan, tonic, 4, ctl)
    elif style == "fifth_drone":
        notes = _held(plan, tonic, 4, ctl) + _held(plan, fifth, 4, ctl, vel=0.6)
    elif style == "sustained":
        notes = [Note(s.start, s.dur, _bass_pitch(s.chord.root_pc)) for s in plan.segments]
    elif style == "pulsing":
        notes = _per_beat(plan, ctl, 0.5, lambda c, i: (_bass_pitch(c.root_pc), 1.0 if i % 2 == 0 else 0.6), 0.4)
    elif style == "walking":
        notes = _per_beat(plan, ctl, 1.0, lambda c, i: _walk(ctl.key, c, i), 0.9)
    elif style == "sub_pulse":
        notes = _per_beat(plan, ctl, 2.0, lambda c, i: (_sub_pitch(c.root_pc), 1.0), 0.6)
    elif style == "octave":
        notes = _per_beat(plan, ctl, 0.5, lambda c, i: (_bass_pitch(c.root_pc) + 12 * (i % 2), 0.9), 0.45)
    else:  # arp_bass
        def arp(c: Chord, i: int) -> tuple[int, float]:
            root = _bass_pitch(c.root_pc)
            shape = (0, (c.pcs[2] - c.root_pc) % 12, 12, (c.pcs[1] - c.root_pc) % 12 + 12)
            return root + shape[i % 4], 1.0 if i % 4 == 0 else 0.75
        notes = _per_beat(plan, ctl, 0.25, arp, 0.22)
    timbre = BASS_TIMBRE[style].brightened(ctl.tilt)
    played = humanize(notes, ctl, rng)
    play(bus, played, timbre, sr, ctl.attack, gain=0.36)
    return played


def _voicing(style: str, chord: Chord, previous, voices: int, lo: int, hi: int, ctl: Controls):
    if style == "stacked_fifths":
        root = lo + (chord.root_pc - lo) % 12
        return tuple(ctl.key.snap(root + 7 * i) for i in range(voices))
    if style == "bright_open":
        chord = Chord(chord.degree, chord.pcs[:3] + (ctl.key.degree(chord.degree + 8) % 12,))
    elif style == "dark_sustained":
        chord = Chord(chord.degree, (chord.pcs[0], chord.pcs[2], chord.pcs[1]))
    return voice_lead(chord, previous, voices, lo, hi)


def pad(bus: np.ndarray, plan: Plan, ctl: Controls, style: str, rng: np.random.Generator, sr: int) -> list[Note]:
    timbre, voices, (lo, hi) = PAD[style]
    notes, previous = [], None
    for seg in plan.segments:
        voicing = _voicing(style, seg.chord, previous, voices, lo, hi, ctl)
        previous = voicing
        for v, pitch in enumerate(voicing):
            pan = -1.0 + 2.0 * v / max(1, voices - 1)
            start, dur = seg.start, seg.dur
            if style == "ambient_drift":  # voices enter one by one and overlap the next chord
                start += float(rng.uniform(0.0, 0.5)) * ctl.bar
                dur += 0.5 * ctl.bar
            notes.append(Note(start, dur, pitch, 1.0 / np.sqrt(voices), pan))
    if style == "cinematic":  # each chord swells in over most of its length
        timbre = Timbre(timbre.ratios, timbre.amps, attack=0.6 * plan.segments[0].dur,
                        release=timbre.release, chorus=True)
    layer = np.zeros_like(bus)
    vib_hz = 0.11 if style == "ambient_drift" else 0.0
    play(layer, notes, timbre.brightened(ctl.tilt), sr, ctl.attack, ctl.spread,
         ctl.detune_cents, vibrato_hz=vib_hz, gain=0.6)
    layer *= modulator(bus.shape[1], sr, ctl.motion_hz, ctl.motion_depth, ctl.chaotic, ctl.spread, rng)
    bus += layer
    return notes


def sub(bus: np.ndarray, plan: Plan, ctl: Controls, rng: np.random.Generator, sr: int) -> list[Note]:
    """The `depth` layer: a pure sine an octave under the chord roots."""
    notes = [Note(s.start, s.dur, _sub_pitch(s.chord.root_pc)) for s in plan.segments]
    play(bus, notes, SUB, sr, gain=0.55)
    return notes
