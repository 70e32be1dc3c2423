"""Reading and writing audio files atomically.

Writes go to a temporary file in the target folder and are renamed into
place, so a crash never leaves a half-written WAV. Long files are written in
chunks (libsndfile can crash on very long single writes for some formats).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from tools.errors import AudioError
from tools.files import write_atomic

CHUNK_FRAMES = 1 << 18
# libsndfile's SFC_SET_ADD_PEAK_CHUNK (sndfile.h). Float WAVs otherwise get a
# PEAK chunk stamped with the write time, so identical audio would give
# different files; without it the same samples always give the same bytes.
_SFC_SET_ADD_PEAK_CHUNK = 0x1050
SUBTYPES = {"float": "FLOAT", "pcm16": "PCM_16", "pcm24": "PCM_24"}
FORMATS = {".wav": "WAV", ".flac": "FLAC"}


def write_audio(path: str | Path, audio: np.ndarray, sample_rate: int, subtype: str = "float") -> Path:
    """Write (frames, channels) float audio as WAV/FLAC; subtype float|pcm16|pcm24."""
    path = Path(path)
    if subtype not in SUBTYPES:
        raise AudioError(f"unknown sample format {subtype!r}; use one of {', '.join(SUBTYPES)}")
    data = np.asarray(audio, dtype=np.float32)
    if data.ndim == 1:
        data = data[:, None]
    if not np.all(np.isfinite(data)):
        raise AudioError(f"refusing to write {path}: audio contains NaN or infinity")
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise AudioError(f"{path}: unknown audio file type {path.suffix!r}; name the output .wav or .flac")
    if fmt == "FLAC" and subtype == "float":
        raise AudioError(f"{path}: FLAC cannot hold float samples; write .wav, or 16-bit FLAC (--pcm16)")

    def write(tmp: Path) -> None:
        with sf.SoundFile(tmp, "w", sample_rate, data.shape[1], SUBTYPES[subtype], format=fmt) as f:
            sf._snd.sf_command(f._file, _SFC_SET_ADD_PEAK_CHUNK, sf._ffi.NULL, 0)
            for start in range(0, data.shape[0], CHUNK_FRAMES):
                f.write(data[start : start + CHUNK_FRAMES])

    return write_atomic(path, write)


def read_audio(path: str | Path) -> tuple[np.ndarray, int]:
    """Read any libsndfile format as float32 (frames, channels)."""
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"{path}: no such audio file")
    try:
        data, rate = sf.read(path, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as err:
        raise AudioError(f"{path}: not readable as audio ({err}); use WAV or FLAC") from None
    return data, int(rate)


def finite_or_none(value: float | None, digits: int | None = None) -> float | None:
    """A measurement for a JSON file: rounded, or None where it is NaN/Infinity (silence, a too-short clip)."""
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), digits) if digits is not None else float(value)
