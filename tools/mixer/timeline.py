"""Sample-accurate bar grid: positions come from exact rationals, never rounded steps.

Bar k starts at round(k * 240 / bpm * sample_rate) frames, computed from the
absolute position each time, so rounding never accumulates: 64 bars at
133 BPM last exactly round(64 * 240 / 133 * sample_rate) frames.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np

from tools.mixer.patterns import STEPS


class BarGrid:
    def __init__(self, bpm: float, sample_rate: int) -> None:
        self.bpm = float(bpm)
        self.sample_rate = int(sample_rate)
        self._frames_per_bar = Fraction(240) * self.sample_rate / Fraction(self.bpm)
        self.step_frames = lru_cache(maxsize=None)(self._step_frames)

    @property
    def frames_per_bar(self) -> float:
        """Exact bar length as a float (not a frame count; bars differ by a frame)."""
        return float(self._frames_per_bar)

    def position(self, bar: int, step: int = 0) -> int:
        """Absolute frame of a sixteenth: bar + step/16, rounded once."""
        return round((bar + Fraction(step, STEPS)) * self._frames_per_bar)

    def bar_start(self, bar: int) -> int:
        return self.position(bar)

    def _step_frames(self, bar: int) -> np.ndarray:
        """The 17 frame positions of bar's sixteenths and the next bar line."""
        return np.array([self.position(bar, s) for s in range(STEPS + 1)], dtype=np.int64)

    def frames(self, bars: int) -> int:
        return self.bar_start(bars)
