"""Reading and writing audio files atomically.

Writes go to a temporary file in the target folder and are renamed into
place, so a crash never leaves a half-written WAV. Long files are written in
chunks (libsndfile can crash on very long single writes for some formats).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from tools.errors import AudioError, InputError

CHUNK_FRAMES = 1 << 18
# libsndfile's SFC_SET_ADD_PEAK_CHUNK (sndfile.h). Float WAVs otherwise get a
# PEAK chunk stamped with the write time, so identical audio would give
# different files; without it the same samples always give the same bytes.
_SFC_SET_ADD_PEAK_CHUNK = 0x1050
SUBTYPES = {"float": "FLOAT", "pcm16": "PCM_16", "pcm24": "PCM_24"}
FORMATS = {".wav": "WAV", ".flac": "FLAC"}


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp creates 0600 files; outputs get the permissions a plain open() would give them.
FILE_MODE = 0o666 & ~_umask()


def make_folder(folder: Path) -> None:
    """Create an output folder and its missing parents, but never new top-level folders of the file system:
    a mistyped `-o /nonexistent/dir/x.wav` is refused instead of creating /nonexistent as root would."""
    folder = folder.absolute()
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if existing != folder and existing == Path(existing.anchor):
        missing = folder.relative_to(existing).parts[0]
        raise InputError(f"{existing / missing} does not exist; create it first (mkdir -p {folder}) "
                         "or write under an existing folder")
    folder.mkdir(parents=True, exist_ok=True)


def _atomic_target(path: Path) -> tuple[int, Path]:
    make_folder(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, FILE_MODE)
    return fd, Path(tmp)


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
    fd, tmp = _atomic_target(path)
    os.close(fd)
    try:
        with sf.SoundFile(tmp, "w", sample_rate, data.shape[1], SUBTYPES[subtype], format=fmt) as f:
            sf._snd.sf_command(f._file, _SFC_SET_ADD_PEAK_CHUNK, sf._ffi.NULL, 0)
            for start in range(0, data.shape[0], CHUNK_FRAMES):
                f.write(data[start : start + CHUNK_FRAMES])
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


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


def dumps_json(payload: Any, **options: Any) -> str:
    """`json.dumps` that refuses NaN and Infinity: they are not JSON, and strict readers reject the file.

    A value that cannot be measured belongs in a file as null, with a note saying why. The error names
    where the bad number is (e.g. `audio.lufs`), so the code that produced it is easy to find."""
    try:
        return json.dumps(payload, allow_nan=False, **options)
    except ValueError:
        found = _non_finite(payload)
        if found is None:
            raise
        raise ValueError(f"refusing to write {found[0]} = {found[1]!r} as JSON (NaN and Infinity are not JSON); "
                         "the code that made it should write null and say why") from None


def _non_finite(value: Any, where: str = "") -> tuple[str, float] | None:
    """Where the first NaN/Infinity in a JSON-like value is (`a.b[2]`), and the value."""
    if isinstance(value, float) and not np.isfinite(value):
        return where or "the value", value
    if isinstance(value, dict):
        items = ((f"{where}.{k}" if where else str(k), v) for k, v in value.items())
    elif isinstance(value, (list, tuple)):
        items = ((f"{where}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    return next((found for key, v in items if (found := _non_finite(v, key)) is not None), None)


def finite_or_none(value: float | None, digits: int | None = None) -> float | None:
    """A measurement for a JSON file: rounded, or None where it is NaN/Infinity (silence, a too-short clip)."""
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), digits) if digits is not None else float(value)


def write_json(path: str | Path, payload: Any) -> Path:
    """Write JSON atomically (sidecars, manifests, summaries); NaN and Infinity are refused (`dumps_json`)."""
    path = Path(path)
    text = dumps_json(payload, indent=2, sort_keys=False) + "\n"  # refused before anything is written
    fd, tmp = _atomic_target(path)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
