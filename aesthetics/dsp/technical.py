"""Technical-quality descriptors (the inputs of the PQ proxy).

All take the shared `Analysis`; loudness follows ITU-R BS.1770-4 (integrated,
400 ms blocks, -70 LUFS absolute and -10 LU relative gates, gated and blocked
exactly as pyloudnorm does, so it agrees with `tools.loudness.integrated_lufs`
to ~1e-5 LU) and EBU Tech 3342 (loudness range: 3 s blocks at 10 Hz, -20 LU
relative gate, P95 - P10), both built from the K-weighted 100 ms segment
energies so the filter runs once. The true peak is `tools.loudness.true_peak_dbtp`
(exact 4x oversampling of the whole clip), measured by the caller.

Silence: `tools.loudness` returns -inf for silence; descriptors here are
finite JSON numbers, so loudness floors at SILENCE_LUFS (-70, the BS.1770
absolute gate: nothing quieter is measured) and peaks at SILENCE_DB (-120).
"""

from __future__ import annotations

import numpy as np

from aesthetics.dsp.analysis import Analysis
from tools.loudness import gain_to_db

SILENCE_LUFS = -70.0
SILENCE_DB = -120.0
FULL_SCALE = 0.999
STEREO_BLOCK_SECONDS = 1.0
BALANCE_EDGES_HZ = (250.0, 4000.0)
SUB_BAND_HZ = (30.0, 90.0)
TARGET_LUFS = -14.0  # level-dependent descriptors are measured as if the clip were normalised to this
TILT_RANGE_HZ = (100.0, 10_000.0)


def _block_means(segments: np.ndarray, n: int) -> np.ndarray:
    csum = np.concatenate([np.zeros((1, *segments.shape[1:])), np.cumsum(segments, axis=0)])
    return (csum[n:] - csum[:-n]) / n


def _lufs(power: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return -0.691 + 10.0 * np.log10(power)


def integrated_lufs(k_segments: np.ndarray) -> float:
    """BS.1770-4 gated loudness from 100 ms K-weighted segments; floored at -70 LUFS."""
    if k_segments.shape[0] < 4:
        return SILENCE_LUFS
    blocks = _block_means(k_segments, 4).sum(axis=1)
    loud = _lufs(blocks)
    gated = blocks[loud >= SILENCE_LUFS]
    if gated.size == 0:
        return SILENCE_LUFS
    relative = _lufs(gated.mean()) - 10.0
    gated = blocks[(loud > SILENCE_LUFS) & (loud > relative)]
    return float(max(SILENCE_LUFS, _lufs(gated.mean())))


def loudness_range_lu(k_segments: np.ndarray) -> float:
    """EBU Tech 3342 loudness range in LU (0 for clips under 3 s or silence)."""
    if k_segments.shape[0] < 30:
        return 0.0
    short_term = _lufs(_block_means(k_segments, 30).sum(axis=1))
    short_term = short_term[short_term >= SILENCE_LUFS]
    if short_term.size == 0:
        return 0.0
    relative = _lufs(np.mean(10.0 ** ((short_term + 0.691) / 10.0))) - 20.0
    kept = short_term[short_term >= relative]
    return float(np.percentile(kept, 95) - np.percentile(kept, 10))


def _stereo(ll: np.ndarray, rr: np.ndarray, lr: np.ndarray) -> dict[str, float]:
    """Correlation, mono loss and width from per-block L*L, R*R, L*R sums."""
    energy = ll + rr
    if energy.max() <= 0:
        return {"stereo_correlation": 1.0, "mono_loss_db": 0.0, "stereo_width": 0.0}
    active = energy > 1e-9 * energy.max()
    denom = np.sqrt(ll * rr)
    corr = np.where(denom > 0, lr / np.where(denom > 0, denom, 1.0), 1.0)
    correlation = float(np.average(corr[active], weights=energy[active]))
    e_l, e_r, e_lr = ll.sum(), rr.sum(), lr.sum()
    mid = max((e_l + e_r + 2 * e_lr) / 4.0, 1e-30)
    side = max((e_l + e_r - 2 * e_lr) / 4.0, 0.0)
    mono_loss = 10.0 * np.log10(((e_l + e_r) / 2.0) / mid)
    return {
        "stereo_correlation": correlation,
        "mono_loss_db": float(np.clip(mono_loss, 0.0, 40.0)),
        "stereo_width": float(side / (mid + side)),
    }


def _spectral_shape(a: Analysis) -> dict[str, float]:
    ltas = a.power.mean(axis=0, dtype=np.float64)
    total = max(ltas.sum(), 1e-30)
    low, high = BALANCE_EDGES_HZ
    centres = TILT_RANGE_HZ[0] * 2.0 ** (np.arange(0, 20) / 3.0)
    centres = centres[centres * 2 ** (1 / 6) < min(TILT_RANGE_HZ[1], a.rate / 2)]
    edges = np.searchsorted(a.freqs, np.concatenate([centres * 2 ** (-1 / 6), centres[-1:] * 2 ** (1 / 6)]))
    band = np.array([ltas[lo : max(hi, lo + 1)].mean() for lo, hi in zip(edges[:-1], edges[1:], strict=True)])
    band_db = 10.0 * np.log10(band + 1e-20)
    tilt = float(np.polyfit(np.log2(centres), band_db, 1)[0])
    sub = (a.freqs >= SUB_BAND_HZ[0]) & (a.freqs < SUB_BAND_HZ[1])
    return {
        "sub_energy_ratio": float(ltas[sub].sum() / total),
        "low_energy_ratio": float(ltas[a.freqs < low].sum() / total),
        "mid_energy_ratio": float(ltas[(a.freqs >= low) & (a.freqs < high)].sum() / total),
        "high_energy_ratio": float(ltas[a.freqs >= high].sum() / total),
        "spectral_tilt_db_per_octave": tilt,
    }


def technical_descriptors(a: Analysis, true_peak_dbtp: float) -> dict[str, float]:
    """Clipping, peaks, loudness, crest, DC, silence, spectral balance and stereo image.

    `true_peak_dbtp` is `tools.loudness.true_peak_dbtp` of the clip (-inf for silence).
    Clipping, peaks, DC and `integrated_lufs` describe the clip as given (faults of
    the file); the silence ratio is measured after loudness-normalising the clip to
    TARGET_LUFS, so a quiet mix is not "silent" and only its own quiet parts count.
    Everything else here is a ratio and does not depend on level."""
    channels = a.channels
    frames = channels.shape[1]
    magnitude = np.abs(channels)
    peak = float(magnitude.max())
    block = min(int(STEREO_BLOCK_SECONDS * a.sample_rate), frames)
    n = frames // block
    left, right = (c[: n * block].reshape(n, block) for c in channels)
    ll, rr, lr = (np.einsum("ij,ij->i", x, y).astype(np.float64) for x, y in ((left, left), (right, right), (left, right)))
    rms = float(np.sqrt((ll.sum() + rr.sum()) / (2 * n * block)))
    loudness = integrated_lufs(a.k_segments)
    normalising = 10.0 ** ((TARGET_LUFS - loudness) / 10.0) if loudness > SILENCE_LUFS else 1.0
    segment_lufs = _lufs(a.k_segments.sum(axis=1) * normalising)
    return {
        "clip_ratio": float(np.count_nonzero(magnitude >= FULL_SCALE) / magnitude.size),
        "sample_peak_dbfs": max(SILENCE_DB, gain_to_db(peak)),
        "true_peak_dbtp": max(SILENCE_DB, float(true_peak_dbtp)),
        "integrated_lufs": loudness,
        "loudness_range_lu": loudness_range_lu(a.k_segments),
        "crest_factor_db": float(20 * np.log10(peak / rms)) if rms > 0 else 0.0,
        "dc_offset": float(np.abs(channels.mean(axis=1)).max()),
        "silence_ratio": float(np.mean(segment_lufs < -60.0)),
        **_spectral_shape(a),
        **_stereo(ll, rr, lr),
    }
