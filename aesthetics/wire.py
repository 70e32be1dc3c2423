"""Audio on the wire between the scoring service and its clients: WAV/FLAC bytes <-> numpy."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import soundfile as sf

from aesthetics.base import MAX_RATE, MIN_RATE
from tools.errors import AudioError

ACCEPTED_FORMATS = ("WAV", "FLAC")
MAX_BATCH = 16  # files per /score/batch request
MAX_CHANNELS = 2
# Samples (frames x channels) one file may decode to: 10 min of 48 kHz stereo, 230 MB as float32.
# A tiny FLAC of silence can claim far more than its upload size.
MAX_SAMPLES = 600 * 48_000 * 2


class UnsupportedAudio(AudioError):
    """Bytes that are not a readable WAV or FLAC file."""


class AudioTooLong(AudioError):
    """Audio longer than the configured limit."""


def encode_wav(audio: np.ndarray, sample_rate: int) -> bytes:
    """float32 WAV bytes (lossless for the float32 audio the project uses)."""
    buffer = io.BytesIO()
    sf.write(buffer, np.asarray(audio, np.float32), int(sample_rate), subtype="FLOAT", format="WAV")
    return buffer.getvalue()


def decode_audio(
    data: bytes,
    max_seconds: float | None = None,
    max_samples: int | None = None,
    admit: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Decode WAV/FLAC bytes to float32 (frames, channels).

    Channels, sample rate, duration and decoded size (at most `max_samples`,
    default MAX_SAMPLES) are checked from the header before anything is decoded;
    `admit(samples, len(data))` is then asked for room to decode them (it raises to refuse)."""
    max_samples = MAX_SAMPLES if max_samples is None else max_samples
    try:
        info = sf.info(io.BytesIO(data))
    except (sf.LibsndfileError, RuntimeError, TypeError) as err:
        raise UnsupportedAudio(f"not a readable WAV or FLAC file ({err}); upload WAV or FLAC") from None
    if info.format not in ACCEPTED_FORMATS:
        raise UnsupportedAudio(f"audio format {info.format} is not accepted; upload WAV or FLAC")
    if info.samplerate <= 0 or info.frames <= 0:
        raise AudioError("the file holds no audio frames; upload a non-empty WAV or FLAC")
    if info.channels > MAX_CHANNELS:
        raise AudioError(f"audio has {info.channels} channels; upload mono or stereo (mix down first)")
    if not MIN_RATE <= info.samplerate <= MAX_RATE:
        raise AudioError(f"sample rate {info.samplerate} Hz is out of range; upload {MIN_RATE}..{MAX_RATE} Hz (44100 is the default)")
    seconds = info.frames / info.samplerate
    if max_seconds is not None and seconds > max_seconds:
        raise AudioTooLong(f"audio is {seconds:.1f} s long; the limit is {max_seconds:.0f} s (trim it or score in parts)")
    if info.frames * info.channels > max_samples:
        raise AudioTooLong(
            f"audio holds {info.frames * info.channels} samples ({info.frames} frames x {info.channels} channels); "
            f"the limit is {max_samples} (trim it, resample to 48 kHz, or send fewer files per batch)"
        )
    if admit is not None:
        admit(info.frames * info.channels, len(data))
    try:
        audio, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as err:
        raise UnsupportedAudio(f"the WAV/FLAC data is corrupt ({err}); re-export the file") from None
    return audio, int(rate)
