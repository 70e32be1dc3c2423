"""Audio on the wire between the scoring service and its clients: WAV/FLAC bytes <-> numpy."""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf

from tools.errors import AudioError

ACCEPTED_FORMATS = ("WAV", "FLAC")
MAX_BATCH = 16  # files per /score/batch request


class UnsupportedAudio(AudioError):
    """Bytes that are not a readable WAV or FLAC file."""


class AudioTooLong(AudioError):
    """Audio longer than the configured limit."""


def encode_wav(audio: np.ndarray, sample_rate: int) -> bytes:
    """float32 WAV bytes (lossless for the float32 audio the project uses)."""
    buffer = io.BytesIO()
    sf.write(buffer, np.asarray(audio, np.float32), int(sample_rate), subtype="FLOAT", format="WAV")
    return buffer.getvalue()


def decode_audio(data: bytes, max_seconds: float | None = None) -> tuple[np.ndarray, int]:
    """Decode WAV/FLAC bytes to float32 (frames, channels); duration is checked before decoding."""
    try:
        info = sf.info(io.BytesIO(data))
    except (sf.LibsndfileError, RuntimeError, TypeError) as err:
        raise UnsupportedAudio(f"not a readable WAV or FLAC file ({err}); upload WAV or FLAC") from None
    if info.format not in ACCEPTED_FORMATS:
        raise UnsupportedAudio(f"audio format {info.format} is not accepted; upload WAV or FLAC")
    if info.samplerate <= 0 or info.frames <= 0:
        raise AudioError("the file holds no audio frames; upload a non-empty WAV or FLAC")
    seconds = info.frames / info.samplerate
    if max_seconds is not None and seconds > max_seconds:
        raise AudioTooLong(f"audio is {seconds:.1f} s long; the limit is {max_seconds:.0f} s (trim it or score in parts)")
    try:
        audio, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as err:
        raise UnsupportedAudio(f"the WAV/FLAC data is corrupt ({err}); re-export the file") from None
    return audio, int(rate)
