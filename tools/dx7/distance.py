"""Weight-free audio distances between DX7 renders (or a recorded target).

Every render is mono and loudness-normalised (-20 LUFS) before features are
taken, so the distances compare timbre and envelope, not level. A "probe
set" is the list of (note, velocity) pairs a voice is played at; distances
are averaged over it. All four are 0 for identical audio:

- mrstft: multi-resolution STFT loss (spectral convergence + L1 of log
  magnitudes) at FFT sizes 256..2048, hop 1/4, Hann window;
- log_mel: mean L1 between log mel spectrograms (80 bands, FFT 2048, hop 512);
- mcd: mel-cepstral distortion in dB over cepstra 1..13 of the log mel spectrum;
- rms_cos: 1 - cosine similarity of frame RMS envelopes (the seeds/003 RMS metric as a distance).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
from scipy.fft import dct
from scipy.signal import stft

from tools.dx7.engine import Engine, Note
from tools.dx7.voice import Voice
from tools.loudness import db_to_gain, integrated_lufs

FFT_SIZES = (256, 512, 1024, 2048)
MEL_BANDS = 80
MEL_FFT = 2048
HOP = 512
CEPSTRA = 13
FEATURE_LUFS = -20.0
EPS = 1e-7
METRICS = ("mrstft", "log_mel", "mcd", "rms_cos")


@dataclass(frozen=True)
class Probe:
    """How a voice is played for comparison."""

    pairs: tuple[tuple[int, int], ...] = ((48, 70), (60, 100), (72, 120))
    hold: float = 0.8
    release: float = 0.4

    def notes(self) -> list[Note]:
        return [Note(n, v, 0.0, self.hold, self.release) for n, v in self.pairs]


HELD_OUT_PROBE = Probe(pairs=((43, 90), (55, 60), (67, 127), (79, 85)), hold=1.0, release=0.5)


@dataclass
class Features:
    mags: dict[int, np.ndarray] = field(default_factory=dict)
    log_mel: np.ndarray | None = None
    cepstra: np.ndarray | None = None
    rms: np.ndarray | None = None


def loudness_normalise(mono: np.ndarray, sample_rate: int) -> np.ndarray:
    loud = integrated_lufs(mono, sample_rate)
    if not np.isfinite(loud):
        return mono.astype(np.float32)
    return (mono * db_to_gain(FEATURE_LUFS - loud)).astype(np.float32)


@functools.cache
def _mel_bank(sample_rate: int) -> np.ndarray:
    """Triangular HTK-mel filters, shape (bands, MEL_FFT // 2 + 1)."""

    def mel(hz: np.ndarray) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + hz / 700.0)

    edges_mel = np.linspace(mel(np.array(30.0)), mel(np.array(sample_rate / 2)), MEL_BANDS + 2)
    edges = 700.0 * (10 ** (edges_mel / 2595.0) - 1.0)
    bins = np.fft.rfftfreq(MEL_FFT, 1.0 / sample_rate)
    bank = np.zeros((MEL_BANDS, bins.size))
    for b in range(MEL_BANDS):
        lo, mid, hi = edges[b], edges[b + 1], edges[b + 2]
        bank[b] = np.clip(np.minimum((bins - lo) / (mid - lo), (hi - bins) / (hi - mid)), 0, None)
    return bank


def _mag(audio: np.ndarray, n_fft: int, hop: int) -> np.ndarray:
    _, _, z = stft(audio, nperseg=n_fft, noverlap=n_fft - hop, window="hann", boundary=None, padded=True)
    return np.abs(z).astype(np.float64)


def features(audio: np.ndarray, sample_rate: int) -> Features:
    """Features of one loudness-normalised mono render."""
    x = np.asarray(audio, dtype=np.float64)
    f = Features()
    for n in FFT_SIZES:
        f.mags[n] = _mag(x, n, n // 4)
    power = _mag(x, MEL_FFT, HOP) ** 2
    f.log_mel = np.log(_mel_bank(sample_rate) @ power + EPS)
    f.cepstra = dct(f.log_mel, type=2, axis=0, norm="ortho")[1 : CEPSTRA + 1]
    frames = max(1, x.size // HOP)
    f.rms = np.sqrt(np.mean(x[: frames * HOP].reshape(frames, HOP) ** 2, axis=1)) if x.size >= HOP else np.zeros(1)
    return f


def _pair(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = min(a.shape[-1], b.shape[-1])
    return a[..., :n], b[..., :n]


def distances(cand: Features, target: Features) -> dict[str, float]:
    out = {}
    losses = []
    for n in FFT_SIZES:
        x, y = _pair(cand.mags[n], target.mags[n])
        sc = np.sqrt(np.sum((y - x) ** 2)) / max(np.sqrt(np.sum(y**2)), EPS)
        mag = np.mean(np.abs(np.log(y + EPS) - np.log(x + EPS)))
        losses.append(sc + mag)
    out["mrstft"] = float(np.mean(losses))
    x, y = _pair(cand.log_mel, target.log_mel)
    out["log_mel"] = float(np.mean(np.abs(x - y)))
    x, y = _pair(cand.cepstra, target.cepstra)
    out["mcd"] = float(np.mean(10.0 / np.log(10.0) * np.sqrt(2.0 * np.sum((x - y) ** 2, axis=0))))
    x, y = _pair(cand.rms, target.rms)
    denom = np.linalg.norm(x) * np.linalg.norm(y)
    out["rms_cos"] = float(1.0 - (x @ y) / denom) if denom > 0 else (0.0 if not x.any() and not y.any() else 1.0)
    return out


def mean_distances(cands: list[Features], targets: list[Features]) -> dict[str, float]:
    rows = [distances(c, t) for c, t in zip(cands, targets, strict=True)]
    return {m: float(np.mean([r[m] for r in rows])) for m in METRICS}


def probe_features(engine: Engine, voice: Voice | bytes, probe: Probe) -> list[Features]:
    """Features of the voice played at each (note, velocity) of the probe."""
    return [features(loudness_normalise(engine.note(voice, n), engine.sample_rate), engine.sample_rate) for n in probe.notes()]


def audio_distances(a: Voice, b: Voice, probe: Probe = Probe(), sample_rate: int = 44100) -> dict[str, float]:
    engine = Engine(sample_rate)
    return mean_distances(probe_features(engine, a, probe), probe_features(engine, b, probe))
