"""The rhythm layer: small synthesized drum voices placed on a 16-step grid."""

from __future__ import annotations

import numpy as np

from tools.ambient.controls import Controls
from tools.ambient.osc import Note, place, seconds, smooth_noise
from tools.ambient.score import Plan, humanize
from tools.synth_core import midi_to_hz


def _decay(n: int, sr: int, tau: float, attack: float = 0.001) -> np.ndarray:
    t = seconds(n, sr)
    return np.minimum(1.0, t / np.float32(attack)) * np.exp(-t / np.float32(tau))


def _sweep(sr: int, f0: float, f1: float, tau_f: float, tau: float, length: float) -> np.ndarray:
    """A sine whose pitch glides from f0 to f1 (kicks, toms, tabla bayan)."""
    n = int(length * sr)
    t = seconds(n, sr).astype(np.float64)
    phase = 2 * np.pi * (f1 * t + (f0 - f1) * tau_f * (1 - np.exp(-t / tau_f)))
    return np.sin(phase).astype(np.float32) * _decay(n, sr, tau)


def _noise(sr: int, rng: np.random.Generator, tau: float, length: float, high: bool, attack: float = 0.001):
    n = int(length * sr)
    noise = smooth_noise(n + 1, rng, 1 if high else 3)
    if high:
        noise = np.diff(noise)
    return noise[:n] * _decay(n, sr, tau, attack)


def voices(ctl: Controls, sr: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One-shot drum sounds for this render (tuned to the key where pitched)."""
    tonic = float(midi_to_hz(48 + ctl.key.tonic_pc))
    snare = _noise(sr, rng, 0.12, 0.35, high=False) + 0.5 * _sweep(sr, 240, 180, 0.02, 0.08, 0.35)
    clap = np.zeros(int(0.25 * sr), dtype=np.float32)
    for i in range(3):
        burst = _noise(sr, rng, 0.02 + 0.04 * (i == 2), 0.2, high=True)
        clap[int(i * 0.011 * sr) :][: burst.size] += burst[: clap.size - int(i * 0.011 * sr)]
    return {
        "kick": _sweep(sr, 140, 48, 0.04, 0.3, 0.6),
        "soft_kick": _sweep(sr, 90, 50, 0.05, 0.25, 0.5) * _decay(int(0.5 * sr), sr, 10.0, 0.012),
        "snare": snare,
        "hat": _noise(sr, rng, 0.035, 0.15, high=True),
        "open_hat": _noise(sr, rng, 0.2, 0.5, high=True),
        "shaker": _noise(sr, rng, 0.05, 0.2, high=True, attack=0.015) * 0.7,
        "rim": (np.sin(2 * np.pi * 1700 * seconds(int(0.05 * sr), sr)) * _decay(int(0.05 * sr), sr, 0.008)),
        "clap": clap,
        "brush": _noise(sr, rng, 0.18, 0.5, high=False, attack=0.12) * 0.8,
        "lub": _sweep(sr, 70, 45, 0.03, 0.12, 0.4),
        "na": _sweep(sr, tonic * 2, tonic * 2, 1.0, 0.25, 0.6) + 0.4 * _sweep(sr, tonic * 4, tonic * 4, 1.0, 0.12, 0.6),
        "ge": _sweep(sr, tonic / 2, tonic / 2 * 1.35, 0.15, 0.4, 0.8),
    }


# Patterns: voice -> ((step, velocity), ...) on 16 steps per bar; `bars` > 1 spans several bars.
PATTERNS: dict[str, tuple[int, dict[str, tuple[tuple[float, float], ...]]]] = {
    "minimal": (2, {"rim": ((0, 0.6), (22, 0.4)), "shaker": ((12, 0.35), (28, 0.3))}),
    "heartbeat": (1, {"lub": ((0, 1.0), (3, 0.7), (8, 0.9), (11, 0.6))}),
    "soft_four": (1, {"soft_kick": ((0, 1.0), (4, 0.8), (8, 0.9), (12, 0.8)), "shaker": ((6, 0.3), (14, 0.3))}),
    "hats_only": (1, {"hat": tuple((s, 0.9 if s % 4 == 0 else 0.5) for s in range(0, 16, 2)) + ((15, 0.3),),
                      "open_hat": ((6, 0.4),)}),
    "electronic": (1, {"kick": ((0, 1.0), (8, 1.0), (10, 0.6)), "clap": ((4, 0.8), (12, 0.8)),
                       "hat": tuple((s, 0.7 if s % 2 else 0.4) for s in range(16))}),
    "kit_light": (1, {"kick": ((0, 0.7),), "snare": ((8, 0.5),), "hat": tuple((s, 0.35) for s in range(0, 16, 2))}),
    "kit_medium": (1, {"kick": ((0, 1.0), (6, 0.7), (8, 0.9)), "snare": ((4, 0.9), (12, 0.9)),
                       "hat": tuple((s, 0.6 if s % 4 == 0 else 0.4) for s in range(0, 16, 2))}),
    "military": (1, {"snare": ((0, 1.0), (3, 0.5), (4, 0.9), (6, 0.5), (7, 0.5), (8, 1.0), (11, 0.5),
                               (12, 0.9), (13, 0.45), (14, 0.5), (15, 0.55)),
                     "kick": ((0, 0.6), (8, 0.6))}),
    "tabla_essence": (1, {"ge": ((0, 1.0), (6, 0.6), (10, 0.7)),
                          "na": ((2, 0.8), (4, 0.6), (5, 0.4), (8, 0.9), (12, 0.7), (14, 0.5), (15, 0.4))}),
    "brush": (1, {"brush": ((4, 0.8), (12, 0.8)), "shaker": tuple((s, 0.25) for s in range(0, 16, 4))}),
}
PAN = {"hat": 0.4, "open_hat": 0.4, "shaker": -0.5, "rim": -0.3, "na": 0.3, "ge": -0.2, "clap": 0.1}


def rhythm(bus: np.ndarray, plan: Plan, ctl: Controls, style: str, rng: np.random.Generator, sr: int) -> list[Note]:
    bars, pattern = PATTERNS[style]
    sounds = voices(ctl, sr, rng)
    step = ctl.beat / 4
    cycles = int(np.ceil(plan.duration / (bars * ctl.bar)))
    notes = [
        Note(c * bars * ctl.bar + s * step, 0.0, 0.0, vel, PAN.get(voice, 0.0), voice)
        for c in range(cycles)
        for voice, hits in pattern.items()
        for s, vel in hits
    ]
    played = humanize(notes, ctl, rng)
    for note in played:
        place(bus, int(round(note.time * sr)), sounds[note.voice], note.pan * ctl.spread, 0.35 * note.vel)
    return played
