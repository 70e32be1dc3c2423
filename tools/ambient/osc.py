"""Vectorised synthesis primitives: additive tones, envelopes, noise, placement.

Speed: every function works on whole notes with numpy (no per-sample
Python). Phases are built in blocks (`_phase`) so float32 stays precise for
minutes-long notes: each block starts from a phase wrapped in float64.
Buses are channel-major float32 arrays shaped (2, frames).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import numpy as np

from tools.synth_core import TWO_PI, accumulator_osc, harmonic_table, midi_to_hz

BLOCK = 2048
_RAMP = np.arange(BLOCK, dtype=np.float32)
CONTROL = 32  # control-rate decimation for LFOs


def _phase(freq: float, n: int, sr: int) -> np.ndarray:
    """Phase in radians of a steady sine, wrapped per block (float32, precise)."""
    inc = freq / sr
    blocks = -(-n // BLOCK)
    start = (np.arange(blocks, dtype=np.float64) * (BLOCK * inc)) % 1.0
    ph = (start * TWO_PI).astype(np.float32)[:, None] + _RAMP[None, :] * np.float32(TWO_PI * inc)
    return ph.reshape(-1)[:n]


def seconds(n: int, sr: int) -> np.ndarray:
    return np.arange(n, dtype=np.float32) / np.float32(sr)


def tone(
    freq: float,
    n: int,
    sr: int,
    ratios: tuple[float, ...],
    amps: tuple[float, ...],
    decay: float | None = None,
    partial_decay: float = 0.0,
    pm: np.ndarray | None = None,
) -> np.ndarray:
    """Sum of sine partials at freq*ratios, optional phase modulation `pm` (rad).

    With `decay` and `partial_decay`, partial k decays as exp(-t (1 + partial_decay k) / decay)
    (bells, plucks); the evenly stepped rates let each curve be the previous one
    times a fixed factor, one multiply instead of one exp per partial.
    Harmonic partials without their own decay are baked into a one-cycle
    wavetable read by a 32-bit phase accumulator (one lookup per sample
    whatever the partial count).
    """
    keep = {k for k, (r, a) in enumerate(zip(ratios, amps)) if freq * r < 0.45 * sr and a >= 1e-4}
    per_partial = decay is not None and partial_decay > 0
    if not per_partial and all(float(ratios[k]).is_integer() for k in keep):
        ordered = sorted(keep)
        table = _table(tuple(int(ratios[k]) for k in ordered), tuple(float(amps[k]) for k in ordered))
        return accumulator_osc(table, freq, n, sr, pm)
    out = np.zeros(n, dtype=np.float32)
    curve = factor = None
    if per_partial:
        t = seconds(n, sr)
        curve = np.exp(t * np.float32(-1.0 / decay))
        factor = np.exp(t * np.float32(-partial_decay / decay))
    for k in range(max(keep) + 1 if keep else 0):
        if k > 0 and curve is not None:
            curve *= factor
        if k not in keep:
            continue
        ph = _phase(freq * ratios[k], n, sr)
        if pm is not None:
            ph += pm * np.float32(ratios[k])
        s = np.sin(ph)
        if curve is not None:
            s *= curve
        s *= np.float32(amps[k])
        out += s
    return out


@functools.lru_cache(maxsize=512)
def _table(harmonics: tuple[int, ...], amps: tuple[float, ...]) -> np.ndarray:
    return harmonic_table(harmonics, amps).astype(np.float32)


def shape(sig: np.ndarray, sr: int, attack: float, release: float, decay: float | None = None) -> np.ndarray:
    """Apply a smooth (sine-shaped) attack, optional exponential decay and a linear release, in place.

    Only the attack and release spans are touched for sustained notes, so
    long pad notes cost nothing beyond their oscillator.
    """
    n = sig.size
    if decay is not None:
        sig *= np.exp(seconds(n, sr) * np.float32(-1.0 / decay))
    a = min(n, max(1, int(attack * sr)))
    sig[:a] *= np.sin(np.linspace(0.0, np.pi / 2, a, dtype=np.float32)) ** 2
    r = min(n - a, max(1, int(release * sr)))
    if r > 0:
        sig[n - r :] *= np.linspace(1.0, 0.0, r, dtype=np.float32)
    return sig


def _interpolate(coarse: np.ndarray, factor: int, n: int) -> np.ndarray:
    """Linear interpolation of a control-rate curve up by an integer factor."""
    w = np.arange(factor, dtype=np.float32) / np.float32(factor)
    fine = coarse[:-1, None] * (1.0 - w) + coarse[1:, None] * w
    return fine.reshape(-1)[:n]


def smooth_noise(n: int, rng: np.random.Generator, factor: int) -> np.ndarray:
    """Zero-mean noise band-limited by linear interpolation of `factor`-times slower noise."""
    factor = max(1, int(factor))
    coarse = rng.random(n // factor + 2, dtype=np.float32) * 2.0 - 1.0
    return coarse[:n] if factor == 1 else _interpolate(coarse, factor, n)


def pan_gains(pan: float) -> tuple[float, float]:
    """Equal-power gains for pan in [-1 (left), 1 (right)]."""
    angle = (np.clip(pan, -1.0, 1.0) + 1.0) * np.pi / 4
    return float(np.cos(angle)), float(np.sin(angle))


def place(bus: np.ndarray, start: int, signal: np.ndarray, pan: float = 0.0, gain: float = 1.0) -> None:
    """Add a mono signal into a (2, frames) bus at `start`, cut at the bus end."""
    if start >= bus.shape[1] or start + signal.size <= 0:
        return
    lo = max(0, -start)
    end = min(bus.shape[1], start + signal.size)
    piece = signal[lo : end - start]
    left, right = pan_gains(pan)
    bus[0, start + lo : end] += piece * np.float32(gain * left)
    bus[1, start + lo : end] += piece * np.float32(gain * right)


@dataclass(frozen=True)
class Note:
    time: float  # seconds
    dur: float  # seconds the note is held before its release
    midi: float
    vel: float = 1.0
    pan: float = 0.0
    voice: str | None = None  # the drum voice of a rhythm hit (its midi is unused)


@dataclass(frozen=True)
class Timbre:
    """An additive instrument: partial ratios/amps, envelope, optional per-partial decay."""

    ratios: tuple[float, ...]
    amps: tuple[float, ...]
    attack: float = 0.01
    release: float = 0.3
    decay: float | None = None  # exponential amplitude decay (s); None = sustained
    partial_decay: float = 0.0  # partial k decays (1 + partial_decay*k) times faster
    vibrato: float = 0.0  # phase-modulation depth (rad) at the motion rate
    chorus: bool = False  # detune voices against each other by the stereo field's cents
    scale_attack: bool = True  # follows the `attack` field

    def brightened(self, tilt: float) -> Timbre:
        """Roll partials off by ratio**-tilt (the brightness field)."""
        amps = tuple(a * r ** -tilt for r, a in zip(self.ratios, self.amps))
        return replace(self, amps=amps)


def play(
    bus: np.ndarray,
    notes: list[Note],
    timbre: Timbre,
    sr: int,
    attack: tuple[float, float] = (1.0, 0.0),
    spread: float = 0.0,
    detune_cents: float = 0.0,
    vibrato_hz: float = 0.0,
    gain: float = 1.0,
) -> None:
    """Render notes with one timbre into the bus."""
    ratios, amps = timbre.ratios, timbre.amps
    per_partial = timbre.decay is not None and timbre.partial_decay > 0
    scale, floor = attack if timbre.scale_attack else (1.0, 0.0)
    attack_s = max(timbre.attack * scale, floor)
    for k, note in enumerate(notes):
        n = int((note.dur + timbre.release) * sr)
        if n <= 0:
            continue
        start = int(round(note.time * sr))
        hz = float(midi_to_hz(note.midi))
        pm = None
        if timbre.vibrato > 0 and vibrato_hz > 0:
            pm = np.sin(_phase(vibrato_hz, n, sr)) * np.float32(timbre.vibrato)
        if timbre.chorus:  # each voice detuned its own way: voices beat slowly against each other
            hz *= 2.0 ** (detune_cents * ((k % 3) - 1) / 1200.0)
        sig = tone(hz, n, sr, ratios, amps, timbre.decay, timbre.partial_decay, pm)
        sig = shape(sig, sr, max(attack_s, 0.002), timbre.release, None if per_partial else timbre.decay)
        place(bus, start, sig, note.pan * spread, gain * note.vel)


def modulator(
    n: int, sr: int, hz: float, depth: float, chaotic: bool, width: float, rng: np.random.Generator
) -> np.ndarray:
    """Per-channel gain curves (2, n) in [1 - depth, 1]: the `motion` LFO.

    The right channel's phase is offset by `width` (auto-pan); 'chaotic' sums
    three unrelated rates so the movement never settles into a period.
    """
    gains = np.ones((2, n), dtype=np.float32)
    if hz <= 0 or depth <= 0:
        return gains
    rates = (hz, hz * 1.63, hz * 2.71) if chaotic else (hz,)
    weights = (0.5, 0.3, 0.2) if chaotic else (1.0,)
    phase0 = rng.uniform(0, 1)
    coarse_n = n // CONTROL + 2
    for ch in range(2):
        wave = np.zeros(coarse_n, dtype=np.float32)
        for i, (rate, weight) in enumerate(zip(rates, weights)):
            offset = phase0 + 0.37 * i + 0.25 * width * ch
            ph = _phase(rate, coarse_n, sr / CONTROL) + np.float32(TWO_PI * offset)
            wave += np.float32(weight) * np.sin(ph)
        gains[ch] -= _interpolate(np.float32(depth) * (0.5 + 0.5 * wave), CONTROL, n)
    return gains
