"""Words for a DX7 voice: its structure from the parameters, its sound from a render."""

from __future__ import annotations

import numpy as np

from tools.dx7.algorithms import ALGORITHMS
from tools.dx7.voice import Operator, Voice


def speed_word(rate: int) -> str:
    """A word for an envelope rate (0 = slowest, 99 = fastest)."""
    return "instant" if rate >= 90 else "fast" if rate >= 70 else "medium" if rate >= 45 else "slow"


def _role(voice: Voice, number: int) -> str:
    return "carrier" if number in ALGORITHMS[voice.algorithm].carriers else "modulator"


def _op_line(number: int, op: Operator, role: str) -> str:
    freq = f"{op.ratio():.2f} Hz fixed" if op.mode == "fixed" else f"ratio {op.ratio():.2f}"
    return (
        f"OP{number} {role}: level {op.output_level}, {freq}, {speed_word(op.eg_rates[0])} attack "
        f"(R1 {op.eg_rates[0]}), {speed_word(op.eg_rates[2])} decay (R3 {op.eg_rates[2]}), "
        f"sustain level {op.eg_levels[2]}, velocity sens {op.velocity_sens}"
    )


def structure(voice: Voice) -> dict:
    alg = ALGORITHMS[voice.algorithm]
    ops = [_op_line(n, voice.op(n), _role(voice, n)) for n in range(1, 7) if voice.op(n).output_level > 0]
    silent = [f"OP{n}" for n in range(1, 7) if voice.op(n).output_level == 0]
    mod_depth = [voice.op(n).output_level for n in range(1, 7) if _role(voice, n) == "modulator"]
    return {
        "name": voice.name,
        "algorithm": alg.diagram(),
        "feedback": voice.feedback,
        "operators": ops,
        "silent_operators": silent,
        "strongest_modulator_level": max(mod_depth, default=0),
    }


def sound(audio: np.ndarray, sample_rate: int) -> dict:
    """Measured character of a mono render: brightness, attack, decay, sustain."""
    x = np.asarray(audio, dtype=np.float64)
    if not np.any(x):
        return {"silent": True}
    spectrum = np.abs(np.fft.rfft(x * np.hanning(x.size)))
    freqs = np.fft.rfftfreq(x.size, 1.0 / sample_rate)
    centroid = float(np.sum(freqs * spectrum) / np.sum(spectrum))
    hop = max(1, sample_rate // 100)
    frames = x.size // hop
    env = np.sqrt(np.mean(x[: frames * hop].reshape(frames, hop) ** 2, axis=1))
    peak = float(np.max(env))
    peak_at = int(np.argmax(env >= 0.5 * peak))  # attack: first frame within 6 dB of the peak
    below = np.nonzero(env[peak_at:] < peak * 0.1)[0]
    half = env[frames // 2] / peak if frames else 0.0
    words = [
        "bright" if centroid > 2500 else "dark" if centroid < 800 else "mid",
        "percussive"
        if peak_at * hop / sample_rate < 0.03 and half < 0.3
        else "soft attack"
        if peak_at * hop / sample_rate > 0.15
        else "quick attack",
        "sustained" if half > 0.5 else "decaying",
    ]
    return {
        "silent": False,
        "spectral_centroid_hz": round(centroid, 1),
        "attack_ms": round(peak_at * hop / sample_rate * 1000, 1),
        "decay_to_-20dB_ms": round(float(below[0]) * hop / sample_rate * 1000, 1) if below.size else None,
        "level_at_half_time_vs_peak": round(float(half), 3),
        "words": words,
    }
