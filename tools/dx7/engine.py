"""Render DX7 voices with dexed-py: notes, chords and phrases to stereo float32.

dexed-py renders one note per call, mono, deterministically, and unbounded
(factory voices peak anywhere from 0.02 to ~4x full scale). Chords and
phrases are sums of single notes placed in time; `master` turns the sum into
stereo (the DX7 is a mono instrument, so both channels are equal) at a
target loudness with the true peak under -1 dBTP (tools.loudness).
"""

from __future__ import annotations

from dataclasses import dataclass

import dexed
import numpy as np

from tools.dx7.voice import Voice
from tools.errors import ConfigError
from tools.loudness import end_in_silence, normalize_loudness

SAMPLE_RATES = (44100, 48000)
DEFAULT_LUFS = -16.0
MAX_SECONDS = 60.0


@dataclass(frozen=True)
class Note:
    note: int
    velocity: int = 100
    start: float = 0.0  # seconds
    hold: float = 1.0  # seconds the key is held
    release: float = 1.0  # seconds rendered after the key goes up

    def check(self) -> None:
        if not 0 <= self.note <= 127:
            raise ConfigError(f"note {self.note} is outside MIDI 0..127; 60 is middle C")
        if not 1 <= self.velocity <= 127:
            raise ConfigError(f"velocity {self.velocity} is outside 1..127")
        if self.start < 0 or self.hold <= 0 or self.release < 0:
            raise ConfigError("a note needs start >= 0, hold > 0 and release >= 0 seconds")
        if self.start + self.hold + self.release > MAX_SECONDS:
            raise ConfigError(f"a render is at most {MAX_SECONDS:g} s; shorten the notes")


def check_rate(sample_rate: int) -> int:
    if sample_rate not in SAMPLE_RATES:
        raise ConfigError(f"sample rate {sample_rate} is not supported; use one of {', '.join(map(str, SAMPLE_RATES))}")
    return int(sample_rate)


class Engine:
    """One dexed synth per engine; loading a voice is cheap, so one engine serves many voices."""

    def __init__(self, sample_rate: int = 44100) -> None:
        self.sample_rate = check_rate(sample_rate)
        self._synth = dexed.DexedSynth(float(self.sample_rate))
        self._loaded: bytes | None = None

    def load(self, voice: Voice | bytes) -> None:
        vced = voice if isinstance(voice, bytes) else voice.to_vced()
        if vced != self._loaded:
            self._synth.load_patch(dexed.Patch.from_sysex(vced + b"\x3f"))  # all six operators on
            self._loaded = vced

    def note(self, voice: Voice | bytes, note: Note) -> np.ndarray:
        """Raw mono render of one note (unbounded level), `hold + release` seconds long."""
        note.check()
        self.load(voice)
        total = note.hold + note.release
        audio = self._synth.render(int(note.note), int(note.velocity), float(note.hold), float(total))
        return np.asarray(audio, dtype=np.float32)

    def notes(self, voice: Voice | bytes, notes: list[Note]) -> np.ndarray:
        """Raw mono sum of notes, each placed at its start (a chord is notes with one start)."""
        if not notes:
            raise ConfigError("nothing to render; give at least one note")
        for n in notes:
            n.check()
        length = max(round((n.start + n.hold + n.release) * self.sample_rate) for n in notes)
        out = np.zeros(length, dtype=np.float64)
        for n in sorted(notes, key=lambda n: (n.start, n.note, n.velocity)):
            audio = self.note(voice, n)
            at = round(n.start * self.sample_rate)
            end = min(length, at + audio.shape[0])
            out[at:end] += audio[: end - at]
        return out.astype(np.float32)


def master(mono: np.ndarray, sample_rate: int, target_lufs: float = DEFAULT_LUFS) -> np.ndarray:
    """Dual-mono stereo float32 (frames, 2) at the target loudness, true peak <= -1 dBTP.

    The render stops where the notes' release time ends, often while a bell or gong still
    rings: the end fades to silence after levelling (tools.loudness.end_in_silence), no click."""
    stereo = np.repeat(np.asarray(mono, dtype=np.float32)[:, None], 2, axis=1)
    return end_in_silence(normalize_loudness(stereo, sample_rate, target_lufs=target_lufs), sample_rate)


def render(voice: Voice | bytes, notes: list[Note], sample_rate: int = 44100, target_lufs: float = DEFAULT_LUFS) -> np.ndarray:
    engine = Engine(sample_rate)
    return master(engine.notes(voice, notes), engine.sample_rate, target_lufs)


def chord(notes: list[int], velocity: int = 100, hold: float = 1.5, release: float = 1.0) -> list[Note]:
    return [Note(n, velocity, 0.0, hold, release) for n in notes]


def phrase(notes: list[int], step: float = 0.4, velocity: int = 100, hold: float = 0.35, release: float = 1.0) -> list[Note]:
    """Notes one after another, `step` seconds apart."""
    return [Note(n, velocity, i * step, hold, release) for i, n in enumerate(notes)]
