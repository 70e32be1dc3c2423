"""Texture and accent layers: the air around the harmony and the events on top."""

from __future__ import annotations

import numpy as np

from tools.ambient.controls import Controls
from tools.ambient.osc import Note, Timbre, modulator, place, play, seconds, smooth_noise
from tools.ambient.score import Plan, humanize

BELL = Timbre((0.5, 1.0, 1.19, 1.5, 2.0, 2.51, 3.01), (0.5, 1.0, 0.6, 0.4, 0.5, 0.25, 0.2),
              attack=0.002, release=0.5, decay=3.0, partial_decay=0.5, scale_attack=False)
CHIME = Timbre((1.0, 2.76, 5.40, 8.93), (1.0, 0.6, 0.35, 0.2), attack=0.002, release=0.4,
               decay=2.2, partial_decay=0.8, scale_attack=False)
CRYSTAL = Timbre((1.0, 2.32, 4.25, 6.63), (1.0, 0.5, 0.3, 0.15), attack=0.004, release=0.5,
                 decay=1.6, partial_decay=0.6, scale_attack=False)
PLUCK = Timbre((1.0, 2.0, 3.0, 4.0, 5.0, 6.0), (1.0, 0.6, 0.4, 0.3, 0.2, 0.1), attack=0.003,
               release=0.1, decay=0.35, partial_decay=1.2)
BLIP = Timbre((1.0, 3.0, 5.0), (1.0, 0.3, 0.15), attack=0.002, release=0.03, decay=0.08)
SINE_BLIP = Timbre((1.0,), (1.0,), attack=0.002, release=0.03, decay=0.06)
STAR = Timbre((1.0,), (1.0,), attack=0.003, release=0.05, decay=0.18, scale_attack=False)
BRASS = Timbre(tuple(float(k) for k in range(1, 11)), tuple(1.0 / k for k in range(1, 11)),
               attack=0.04, release=0.5, decay=0.6)
PIANO = Timbre(tuple(k * np.sqrt(1 + 0.0004 * k * k) for k in range(1, 8)),
               tuple(k ** -1.1 for k in range(1, 8)), attack=0.003, release=0.3, decay=2.2,
               partial_decay=0.6)
SHIMMER = Timbre((1.0, 2.0), (1.0, 0.2), attack=0.5, release=1.0, chorus=True, scale_attack=False)
WHISPER = Timbre((1.0, 3.0), (1.0, 0.05), attack=2.0, release=2.0, chorus=True)


def _chord_tones(plan: Plan, t: float, octave_base: int) -> list[int]:
    return [octave_base + pc for pc in plan.at(t).chord.pcs]


def _grid(plan: Plan, ctl: Controls, every_beats: float, offset_beats: float = 0.0) -> np.ndarray:
    step = every_beats * ctl.beat
    return np.arange(offset_beats * ctl.beat, plan.duration, step)


def _random_times(plan: Plan, rate: float, rng: np.random.Generator) -> np.ndarray:
    count = rng.poisson(rate * plan.duration)
    return np.sort(rng.uniform(0, plan.duration, count))


def _pick(plan: Plan, times, octave_base: int, rng: np.random.Generator, dur: float, vel: float = 1.0):
    notes = []
    for t in times:
        tones = _chord_tones(plan, float(t), octave_base)
        notes.append(Note(float(t), dur, tones[int(rng.integers(len(tones)))], vel, float(rng.uniform(-1, 1))))
    return notes


def _wash(bus: np.ndarray, sr: int, rng: np.random.Generator, factor: int, env: np.ndarray, gain: float, spread: float):
    """Independent band-limited noise per channel under an envelope (mono when spread is 0)."""
    n = bus.shape[1]
    left = smooth_noise(n, rng, factor) * env
    right = smooth_noise(n, rng, factor) * env
    mid = np.float32(1.0 - 0.5 * spread)
    bus[0] += gain * (mid * left + (1 - mid) * right)
    bus[1] += gain * (mid * right + (1 - mid) * left)


def _slow_env(n: int, sr: int, hz: float, rng: np.random.Generator, floor: float) -> np.ndarray:
    gains = modulator(n, sr, hz, 1.0 - floor, False, 0.0, rng)[0]
    return 1.0 + floor - gains


def texture(bus: np.ndarray, plan: Plan, ctl: Controls, style: str, rng: np.random.Generator, sr: int) -> list[Note]:
    """Returns the pitched notes it played ([] for the noise styles: vinyl_crackle, breath, glitch, noise_wash)."""
    n = bus.shape[1]
    notes: list[Note] = []
    bright = max(1, int(round(2 + 2 * ctl.tilt)))  # darker -> smoother noise
    if style in ("shimmer", "shimmer_slow"):
        octave = 96 if style == "shimmer" else 84  # fast sparkle high, slow swells an octave lower
        notes = [Note(s.start, s.dur, p, 0.5, (-1) ** i) for s in plan.segments
                 for i, p in enumerate(_chord_tones(plan, s.start, octave))]
        layer = np.zeros_like(bus)
        play(layer, notes, SHIMMER.brightened(ctl.tilt), sr, detune_cents=ctl.detune_cents + 4, spread=ctl.spread)
        rate = 7.0 if style == "shimmer" else 0.15
        layer *= modulator(n, sr, rate, 0.9, False, ctl.spread, rng)
        bus += 0.12 * layer
    elif style == "vinyl_crackle":
        clicks = np.zeros(n, dtype=np.float32)
        pos = rng.integers(0, n, int(25 * plan.duration))
        clicks[pos] = rng.uniform(-1, 1, pos.size).astype(np.float32) ** 3
        clicks[1:] -= 0.6 * clicks[:-1]
        hiss = smooth_noise(n, rng, 1) * np.float32(0.02)
        place(bus, 0, clicks + hiss, 0.0, 0.5)
    elif style == "breath":
        env = _slow_env(n, sr, 0.18, rng, 0.05) ** 2
        _wash(bus, sr, rng, bright + 3, env, 0.05, ctl.spread)
    elif style == "stars":
        notes = _pick(plan, _random_times(plan, 3.0, rng), 96, rng, 0.05, 0.5)
        play(bus, notes, STAR, sr, spread=ctl.spread, gain=0.2)
    elif style == "glitch":
        for t in _random_times(plan, 1.5, rng):
            size = int(sr * rng.uniform(0.005, 0.04))
            burst = np.sign(np.sin(2 * np.pi * rng.uniform(300, 3000) * seconds(size, sr))) * 0.3
            for k in range(int(rng.integers(2, 7))):  # a stutter: the same burst repeated
                place(bus, int(t * sr) + k * int(size * 1.5), burst, float(rng.uniform(-1, 1)) * ctl.spread, 0.25)
    elif style == "noise_wash":
        env = _slow_env(n, sr, 0.07, rng, 0.2)
        _wash(bus, sr, rng, bright, env, 0.06, ctl.spread)
    elif style == "crystal":
        times = [t for t in _grid(plan, ctl, 1.0) if rng.random() < 0.45]
        notes = _pick(plan, times, 84 + ctl.register, rng, 0.1, 0.6)
        play(bus, notes, CRYSTAL, sr, spread=ctl.spread, gain=0.15)
    else:  # pad_whisper
        notes = [Note(s.start, s.dur, p, 0.4, (-1) ** i) for s in plan.segments
                 for i, p in enumerate(_chord_tones(plan, s.start, 72))]
        layer = np.zeros_like(bus)
        play(layer, notes, WHISPER, sr, ctl.attack, ctl.spread, ctl.detune_cents)
        air = 1.0 + 0.8 * smooth_noise(n, rng, 40)
        bus += 0.15 * layer * air
    return notes


def accent(bus: np.ndarray, plan: Plan, ctl: Controls, style: str, rng: np.random.Generator, sr: int) -> list[Note]:
    """Returns the notes it played (for wind, its whistle; the wash is noise)."""
    high = 72 + ctl.register
    if style == "wind":
        n = bus.shape[1]
        env = _slow_env(n, sr, 0.11, rng, 0.0) ** 3
        _wash(bus, sr, rng, 6, env, 0.08, ctl.spread)
        whistle = [Note(s.start, s.dur, 84 + s.chord.root_pc, 0.3, 0.0) for s in plan.segments[::2]]
        play(bus, whistle, Timbre((1.0,), (1.0,), attack=2.0, release=2.0, vibrato=3.0), sr, vibrato_hz=0.4, gain=0.04)
        return whistle
    if style == "bells":
        notes, timbre, gain = _pick(plan, _grid(plan, ctl, 8.0), high, rng, 0.1), BELL, 0.25
    elif style == "bells_dense":
        notes, timbre, gain = _pick(plan, _grid(plan, ctl, 1.0), high, rng, 0.1, 0.7), BELL, 0.16
    elif style == "pluck":
        times = [t for t in _grid(plan, ctl, 1.0, 0.5) if rng.random() < 0.6]
        notes, timbre, gain = _pick(plan, times, high, rng, 0.1), PLUCK, 0.2
    elif style == "chime":
        starts = _grid(plan, ctl, 4.0, float(rng.uniform(0, 2)))
        times = [t + k * 0.09 for t in starts for k in range(3)]
        notes, timbre, gain = _pick(plan, times, high + 12, rng, 0.1, 0.6), CHIME, 0.15
    elif style == "blip":
        times = [t for i, t in enumerate(_grid(plan, ctl, 0.5)) if i % 8 in (0, 3, 6)]
        notes, timbre, gain = _pick(plan, times, high + 12, rng, 0.04), BLIP, 0.3
    elif style == "blip_random":
        times = _random_times(plan, 2.5, rng)
        notes = [Note(float(t), 0.02, float(rng.integers(high, high + 31)), 1.0, float(rng.uniform(-1, 1)))
                 for t in times]
        notes = [Note(m.time, m.dur, ctl.key.snap(m.midi), m.vel, m.pan) for m in notes]
        timbre, gain = SINE_BLIP, 0.3
    elif style == "brass_hit":
        notes = [Note(s.start, 0.25 * ctl.beat, p, 0.5, 0.0) for s in plan.segments
                 for p in _chord_tones(plan, s.start, 60)]
        timbre, gain = BRASS, 0.18
    elif style == "arp_accent":
        notes = []
        for t in _grid(plan, ctl, 8.0, 2.0):
            tones = sorted(_chord_tones(plan, float(t), high - 12))
            run = tones + [p + 12 for p in tones]
            notes += [Note(float(t) + k * ctl.beat / 8, ctl.beat / 8, p, 0.6 + 0.05 * k, -0.6 + 0.2 * k)
                      for k, p in enumerate(run[:6])]
        timbre, gain = PLUCK, 0.16
    else:  # piano_note
        times = [t for t in _grid(plan, ctl, 2.0) if rng.random() < 0.5]
        notes, timbre, gain = _pick(plan, times, 60 + ctl.register, rng, 0.5), PIANO, 0.25
    played = humanize(notes, ctl, rng)
    play(bus, played, timbre.brightened(0.5 * ctl.tilt), sr, ctl.attack, ctl.spread, gain=gain)
    return played
