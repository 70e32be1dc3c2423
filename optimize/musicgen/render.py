"""`vibesynth render --engine musicgen`: a vibe to a levelled stereo clip and the sidecar's fields.

The sidecar has the synth's shape (seed, duration, sample_rate, source, vibe,
engine, target and measured loudness) with `config: null` (MusicGen makes
audio, not a config) and a `musicgen` record: checkpoint or remote, the
generation settings, and the wall time of the generation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from optimize.musicgen.clip import to_clip
from tools.audio_io import finite_or_none
from tools.loudness import missed_target

ENGINE = "musicgen"


@dataclass
class Generated:
    mono: np.ndarray  # at `rate`
    rate: int
    model: dict
    seconds: float  # wall time of the generation (local or remote, transfer included)


def generate(
    vibe: str, seconds: float, seed: int, checkpoint: str | None = None, device: str = "cpu", remote: str | None = None, model=None
) -> Generated:
    """Sample one waveform: on `remote` (modal | URL), with a loaded `model`, or with a model loaded here."""
    if remote is None and model is None:
        from optimize.musicgen.model import MusicGen

        model = MusicGen(checkpoint, device=device)
    started = time.perf_counter()  # the generation alone (a load is paid once per process, not per clip)
    if remote is not None:
        from optimize.musicgen.remote import call

        mono, rate, described = call(remote, {"vibe": vibe, "seconds": seconds, "seed": seed, "checkpoint": checkpoint})
        described = {**described, "remote": remote}
    else:
        mono, rate, described = model.generate(vibe, seconds, seed), model.sample_rate, model.describe()
    return Generated(mono, rate, described, time.perf_counter() - started)


def render(
    vibe: str,
    duration: float,
    seed: int = 0,
    sample_rate: int = 44100,
    target_lufs: float = -16.0,
    checkpoint: str | None = None,
    device: str = "cpu",
    remote: str | None = None,
    model=None,
) -> tuple[np.ndarray, dict]:
    """(stereo float32 audio, sidecar fields) for one vibe."""
    made = generate(vibe, duration, seed, checkpoint, device, remote, model)
    result = to_clip(made.mono, made.rate, duration, sample_rate, target_lufs)
    note = missed_target(result, sample_rate, target_lufs)
    info = {
        "config": None,
        "seed": int(seed),
        "duration": float(duration),
        "sample_rate": int(sample_rate),
        "source": "vibe",
        "vibe": vibe,
        "mapper": None,
        "engine": ENGINE,
        "musicgen": {**made.model, "generate_s": round(made.seconds, 3)},
        "target_lufs": float(target_lufs),
        "integrated_lufs": finite_or_none(result.integrated_lufs, 3),
        "true_peak_dbtp": finite_or_none(result.true_peak_dbtp, 3),
        **({"loudness_note": note} if note else {}),
    }
    return result.audio, info
