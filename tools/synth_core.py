"""The synthesis core every instrument shares: pitch, harmonic wavetables, table oscillators.

One place for midi -> Hz and for one-cycle wavetables, so the ambient engine,
the sample recipes in `palettes/` and the DX7 instrument agree on tuning and
on how a table is built and read. Two readers cover the two needs:

- `accumulator_osc`: a 32-bit integer phase accumulator with truncating
  lookup (exact, wrap-free for any length, one `take` per sample; the
  ambient engine's steady tones, optionally phase-modulated);
- `interpolated_osc`: a float phase with linear interpolation between table
  points (smoother for short one-shots and loops; the sample recipes).

Everything is numpy only and deterministic: same arguments, same bits.
"""

from __future__ import annotations

import functools

import numpy as np

TABLE_BITS = 12
TABLE_SIZE = 1 << TABLE_BITS
TWO_PI = 2.0 * np.pi
_COUNTER = np.arange(1 << 16, dtype=np.uint32)


def midi_to_hz(midi: float | np.ndarray) -> float | np.ndarray:
    """Equal-tempered frequency of a MIDI note (A4 = 69 = 440 Hz); floats allowed."""
    return 440.0 * 2.0 ** ((np.asarray(midi, dtype=np.float64) - 69.0) / 12.0)


@functools.lru_cache(maxsize=512)
def harmonic_table(harmonics: tuple[int, ...], amps: tuple[float, ...], size: int = TABLE_SIZE) -> np.ndarray:
    """One period (float64, read-only) of sum(amp * sin(h * phase)); not normalised."""
    cycle = np.arange(size) * (TWO_PI / size)
    table = np.zeros(size)
    for h, a in zip(harmonics, amps):
        if a:
            table += a * np.sin(h * cycle)
    table.flags.writeable = False
    return table


def band_limited_amps(shape: str, f0: float, sr: int) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """Harmonic numbers and amplitudes of a saw, square or sine kept under ~0.4 * sr."""
    if shape not in ("saw", "square", "sine"):
        raise ValueError(f"unknown oscillator shape {shape!r}; use saw, square or sine")
    count = max(int(0.4 * sr / f0), 1) if shape != "sine" else 1
    harmonics = tuple(range(1, count + 1))
    if shape == "square":
        return harmonics, tuple(1.0 / k if k % 2 else 0.0 for k in harmonics)
    return harmonics, tuple(1.0 / k for k in harmonics)


def band_limited_table(shape: str, f0: float, sr: int) -> np.ndarray:
    """A band-limited saw/square/sine period for `f0`, peak-normalised to 1 (float64, read-only)."""
    table = harmonic_table(*band_limited_amps(shape, f0, sr))
    return table / max(float(np.max(np.abs(table))), 1e-12)


def counter(n: int) -> np.ndarray:
    """A read-only view of 0, 1, ..., n-1 as uint32 (one cached ramp)."""
    global _COUNTER
    if _COUNTER.size < n:
        _COUNTER = np.arange(max(n, 2 * _COUNTER.size), dtype=np.uint32)
        _COUNTER.flags.writeable = False
    return _COUNTER[:n]


def accumulator_osc(table: np.ndarray, freq: float, n: int, sr: int, pm: np.ndarray | None = None) -> np.ndarray:
    """Read a 2**TABLE_BITS table with a 32-bit phase accumulator; `pm` adds phase (radians)."""
    if table.size != TABLE_SIZE:
        raise ValueError(f"accumulator_osc needs a table of {TABLE_SIZE} points, got {table.size}")
    step = np.uint32(int(round(freq / sr * 2.0**32)) % 2**32)
    phase = counter(n) * step
    if pm is not None:
        phase += (pm * np.float32(2.0**32 / TWO_PI)).astype(np.int32).view(np.uint32)
    return np.take(table, phase >> np.uint32(32 - TABLE_BITS))


def interpolated_osc(table: np.ndarray, freq: float, n: int, sr: int, phase: float = 0.0) -> np.ndarray:
    """Read a table of any size at `freq` with linear interpolation; `phase` in cycles (0..1)."""
    pos = (phase + np.arange(n) * freq / sr) % 1.0 * table.size
    index = pos.astype(np.int64)
    frac = pos - index
    return table[index] * (1 - frac) + table[(index + 1) % table.size] * frac
