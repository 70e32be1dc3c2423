"""What a sample is: stereo audio plus role, loop flag, bars, BPM and key.

Loop or one-shot is a property of the audio, decided here (or by the
generator that made it), never by whoever later plays the sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LOOP_BPM_RANGE = (60.0, 200.0)
# A one-shot decays: its last tenth is far quieter than its body.
TAIL_TO_BODY_LOOP_RATIO = 0.25
BAR_FIT_TOLERANCE = 0.02


@dataclass(frozen=True, eq=False)
class Sample:
    """Stereo float32 audio (frames, 2) with the facts the mixer needs."""

    id: str
    role: str
    audio: np.ndarray
    sample_rate: int
    loop: bool
    bars: int | None = None
    bpm: float | None = None
    key: str | None = None

    def __post_init__(self) -> None:
        audio = np.asarray(self.audio, dtype=np.float32)
        if audio.ndim == 1:
            audio = np.repeat(audio[:, None], 2, axis=1)
        if audio.ndim != 2 or audio.shape[1] != 2 or audio.shape[0] == 0:
            raise ValueError(f"sample {self.id!r}: audio must be non-empty (frames, 2), got {audio.shape}")
        if self.loop and (not self.bars or not self.bpm):
            raise ValueError(f"sample {self.id!r}: a loop needs bars and bpm")
        audio.setflags(write=False)
        object.__setattr__(self, "audio", audio)

    @property
    def duration(self) -> float:
        return self.audio.shape[0] / self.sample_rate

    def facts(self) -> dict:
        """The JSON facts an LM sees about this sample."""
        return {
            "id": self.id,
            "role": self.role,
            "type": "loop" if self.loop else "oneshot",
            "bars": self.bars,
            "bpm": self.bpm,
            "key": self.key,
            "seconds": round(self.duration, 3),
        }


def bars_at(duration: float, bpm: float) -> float:
    return duration * bpm / 240.0


def fit_bars(duration: float, bpm: float) -> int | None:
    """Whole bars (1, 2, 4, 8, 16) the duration spans at this BPM, if it fits."""
    bars = bars_at(duration, bpm)
    for whole in (1, 2, 4, 8, 16):
        if abs(bars - whole) <= BAR_FIT_TOLERANCE * whole:
            return whole
    return None


def detect_loop(audio: np.ndarray, sample_rate: int, bpm: float | None) -> tuple[bool, int | None]:
    """(is_loop, bars) from the audio itself.

    A loop spans a whole number of bars at its BPM and is still sounding at
    its end; a one-shot decays before it finishes.
    """
    if bpm is None or not LOOP_BPM_RANGE[0] <= bpm <= LOOP_BPM_RANGE[1]:
        return False, None
    bars = fit_bars(audio.shape[0] / sample_rate, bpm)
    if bars is None:
        return False, None
    mono = np.abs(np.asarray(audio, dtype=np.float64)).mean(axis=1) if audio.ndim == 2 else np.abs(audio)
    tail = mono[int(0.9 * mono.size):]
    body_rms = float(np.sqrt(np.mean(mono**2))) or 1e-12
    tail_rms = float(np.sqrt(np.mean(tail**2)))
    if tail_rms / body_rms < TAIL_TO_BODY_LOOP_RATIO:
        return False, None
    return True, bars
