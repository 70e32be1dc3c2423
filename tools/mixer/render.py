"""Placing samples in the stereo field and writing hits and loops onto buses.

A Bus is a growable stereo buffer; hits write their whole sample, so
one-shot tails ring past the bar line into the next bar (kick and open hat
are monophonic: the next hit chokes the tail). Loops are stretched once to
the session tempo and cut by the bar grid, so every bar of a multi-bar
loop plays in turn and never drifts.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from scipy.signal import resample, resample_poly

from tools.mixer.sample import Sample
from tools.mixer.stretch import stretch_loop
from tools.mixer.timeline import BarGrid

# (pan -1..1, width 0..1.5) per role; unknown roles sit centred, unchanged.
ROLE_STAGE: dict[str, tuple[float, float]] = {
    "kick": (0.0, 0.0),
    "bassline": (0.0, 0.2),
    "hihat": (0.18, 0.6),
    "openhat": (-0.15, 0.8),
    "clap": (0.0, 0.9),
    "perc": (-0.25, 0.7),
    "texture": (0.0, 1.2),
    "synth": (0.1, 1.0),
    "fx": (0.0, 1.2),
}
DECLICK_SECONDS = 0.004
TEMPO_TOLERANCE = 1e-4  # closer than this to the loop's own tempo: only the (tiny) resample


def place(audio: np.ndarray, role: str) -> np.ndarray:
    """Apply the role's width (mid/side) and constant-power pan."""
    pan, width = ROLE_STAGE.get(role, (0.0, 1.0))
    mid = (audio[:, 0] + audio[:, 1]) * 0.5
    side = (audio[:, 0] - audio[:, 1]) * 0.5 * width
    angle = (pan + 1.0) * np.pi / 4.0
    left = (mid + side) * np.cos(angle) * np.sqrt(2.0)
    right = (mid - side) * np.sin(angle) * np.sqrt(2.0)
    return np.stack([left, right], axis=1).astype(np.float32)


class LoopSource:
    """A loop fitted once to the session tempo and cut by the bar grid.

    The loop is converted to the session rate, time-stretched to the session
    tempo (pitch kept, see stretch.py), then cycle j of an n-bar loop spans
    bars [j*n, (j+1)*n) of the grid; cycles differ by a frame at most, so the
    loop is resampled (FFT, which assumes periodic input: exactly what a loop
    is) to each distinct cycle length once, and bar k reads its slice of the
    cycle: every bar of the loop plays in turn and never drifts.
    """

    def __init__(self, sample: Sample, role: str, grid: BarGrid) -> None:
        self.bars = int(sample.bars or 1)
        self.grid = grid
        audio = place(sample.audio, role)
        if sample.sample_rate != grid.sample_rate:
            ratio = Fraction(grid.sample_rate, sample.sample_rate)
            audio = resample_poly(audio, ratio.numerator, ratio.denominator, axis=0)
        speed = grid.bpm / float(sample.bpm or grid.bpm)
        if abs(speed - 1.0) > TEMPO_TOLERANCE:
            audio = stretch_loop(audio, speed, grid.sample_rate)
        self._audio = np.asarray(audio, dtype=np.float64)
        self._cycles: dict[int, np.ndarray] = {}

    def _cycle(self, frames: int) -> np.ndarray:
        if frames not in self._cycles:
            audio = self._audio
            if frames != audio.shape[0]:
                audio = resample(audio, frames, axis=0)
            self._cycles[frames] = audio.astype(np.float32)
        return self._cycles[frames]

    def bar(self, bar: int) -> np.ndarray:
        """The loop's audio for grid bar `bar` (bar mod n of the loop)."""
        first = bar - bar % self.bars
        start = self.grid.bar_start(first)
        cycle = self._cycle(self.grid.bar_start(first + self.bars) - start)
        return cycle[self.grid.bar_start(bar) - start : self.grid.bar_start(bar + 1) - start]


class Bus:
    """Growable stereo float32 buffer addressed by absolute frame."""

    def __init__(self, frames: int = 0) -> None:
        self.data = np.zeros((max(frames, 1), 2), dtype=np.float32)

    def ensure(self, frames: int) -> None:
        if frames > self.data.shape[0]:
            grown = np.zeros((max(frames, 2 * self.data.shape[0]), 2), dtype=np.float32)
            grown[: self.data.shape[0]] = self.data
            self.data = grown

    def add(self, position: int, audio: np.ndarray, gain: float = 1.0) -> None:
        end = position + audio.shape[0]
        self.ensure(end)
        if gain == 1.0:
            self.data[position:end] += audio
        else:
            self.data[position:end] += audio * np.float32(gain)

    def head(self, frames: int) -> np.ndarray:
        self.ensure(frames)
        return self.data[:frames]


def fade(frames: int, rising: bool) -> np.ndarray:
    ramp = np.linspace(0.0, 1.0, frames, endpoint=False, dtype=np.float32)
    return (ramp if rising else ramp[::-1])[:, None]


def declick_frames(sample_rate: int) -> int:
    return max(int(DECLICK_SECONDS * sample_rate), 1)


def write_loop(bus: Bus, loop: LoopSource, bar: int, gain: float, fade_in: int = 0) -> None:
    """Loop audio over grid bar `bar`; `fade_in` frames ramp up when the loop (re)enters."""
    chunk = loop.bar(bar)
    if fade_in:
        chunk = chunk.copy()
        n = min(chunk.shape[0], fade_in)
        chunk[:n] *= fade(n, rising=True)
    bus.add(loop.grid.bar_start(bar), chunk, gain)


def write_loop_release(bus: Bus, loop: LoopSource, bar: int, gain: float) -> None:
    """A few ms of the loop fading out after it stops (in `bar`), so the cut does not click."""
    chunk = loop.bar(bar)
    n = min(declick_frames(loop.grid.sample_rate), chunk.shape[0])
    bus.add(loop.grid.bar_start(bar), chunk[:n] * fade(n, rising=False), gain)


def write_hits(bus: Bus, audio: np.ndarray, positions: np.ndarray, levels: np.ndarray) -> None:
    for position, level in zip(positions.tolist(), levels.tolist()):
        bus.add(position, audio, level)


class ChokeVoice:
    """A monophonic one-shot role (kick, open hat): each hit cuts the previous hit's tail.

    The newest hit stays pending until the next one arrives, so a tail rings
    across bar lines until it is choked (with a short fade) or the set ends.
    """

    def __init__(self, bus: Bus, fade_frames: int) -> None:
        self.bus = bus
        self.fade_frames = fade_frames
        self.pending: tuple[int, np.ndarray, float] | None = None

    def hit(self, position: int, audio: np.ndarray, level: float) -> None:
        if self.pending:
            start, previous, gain = self.pending
            cut = previous[: max(position - start, 0)]
            if cut.shape[0] < previous.shape[0]:
                n = min(self.fade_frames, cut.shape[0])
                cut = cut.copy()
                cut[cut.shape[0] - n :] *= fade(n, rising=False)
            self.bus.add(start, cut, gain)
        self.pending = (position, audio, level)

    def mix_pending(self, out: np.ndarray) -> None:
        """Add the pending hit, cut at the end of `out`, onto `out` (the bus is left as is)."""
        if self.pending:
            start, audio, gain = self.pending
            tail = audio[: max(out.shape[0] - start, 0)]
            out[start : start + tail.shape[0]] += tail * np.float32(gain)
