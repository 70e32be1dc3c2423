"""Descriptors -> CE/CU/PC/PQ *proxies* on the audiobox 1-10 scale.

These are hand-set formulas over DSP descriptors, not a learned model: they
only imitate the meaning of audiobox-aesthetics' axes. `want(x, a, b, c, d)`
is a trapezoid: 0 at or below `a`, rising to 1 at `b`, 1 up to `c`, falling
to 0 at `d` (a = b or c = d gives a one-sided ramp).

Scoring is loudness-free: the silence ratio is measured on the clip
normalised to -14 LUFS and no score depends on the clip's level, so a set
turned down 12 dB scores as the set (only clipping, true-peak overs and DC,
faults of the file itself, are measured as given).

PQ proxy (production quality) = clip(9.5 - sum of penalties, 1, 10):

| penalty | formula (capped at) |
|---|---|
| clipping | 400 * clip_ratio (4) |
| true peak over -1 dBTP | true_peak_dbtp + 1 (2) |
| DC offset | 60 * dc_offset (3) |
| low crest factor (< 6 dB) | 0.5 per dB under (2) |
| harsh tilt (flatter than -1.5 dB/oct) | 1.0 per dB/oct over (3) |
| hiss (high-band energy over 25 %) | 8 * excess (2) |
| boom (energy below 250 Hz over 95 %) | 40 * excess (2) |
| mono loss over 3 dB | 0.5 per dB (2) |
| negative stereo correlation | 2 * -correlation (2) |
| silence | 4 * silence_ratio (4) |

quality = (PQ - 1) / 9; gate = clip(0.3 + 0.7 * quality / 0.8, 0, 1)
(technical faults pull the content scores down too).

CE proxy (content enjoyment) = 1 + 9 * gate * (weighted mean):
0.25 want(1 - flatness, 0.55, 0.85, 1, 1) tonality, 0.20 want(novelty_db,
0.2, 1.5, 8, 15) movement, 0.10 want(novelty_long_db, 0.1, 1, 10, 20)
evolution, 0.10 want(onset_rate, 0, 0.3, 6, 14) events, 0.10
want(repetition, 0, 0.25, 0.95, 1.01) recurrence, 0.15 want(spectral_peaks,
1, 4, 80, 200) harmonic richness, 0.10 want(centroid_hz, 150, 500, 3000,
6000) brightness, 0.15 groove. Groove asks rhythmic material for a steady
pulse over a low-end foundation and leaves the rest alone:
groove = (1 - r) + r * want(pulse_clarity, 0.1, 0.5, 1, 1) *
want(sub_energy_ratio, 0.05, 0.4, 1, 1), r = want(onset_rate, 0.5, 2, inf, inf)
(a beat that drifts off the grid, or a dance groove without a kick, loses it).

CU proxy (content usefulness) = 1 + 9 * (0.35 quality + 0.20 (1 - silence_ratio)
+ 0.10 want(mono_loss_db, -1, 0, 3, 10) falling + 0.15 want(loudness_range_lu, 0,
1, 15, 25)) / 0.8.

PC proxy (production complexity) = 1 + 9 * gate * (0.25 band spread
(normalised entropy of low/mid/high energy) + 0.20 want(spectral_peaks, 1,
40, 1000, 1001) + 0.15 want(stereo_width, 0, 0.05, 0.4, 0.8) + 0.15
want(onset_rate, 0, 1, 8, 16) + 0.15 want(novelty_db, 0.2, 2, 10, 20) +
0.10 want(decay_t60_s, 0.05, 0.3, 4, 30) space).

OBJ = 0.60 CE + 0.05 CU + 0.05 PC + 0.30 PQ (aesthetics.scores.objective).
Completely silent audio (no 100 ms segment above -70 LUFS) scores 1 on all four.
"""

from __future__ import annotations

import numpy as np


def want(x: float, a: float, b: float, c: float, d: float) -> float:
    """Trapezoid desirability: 0 <= a, 1 on [b, c], 0 >= d (linear in between)."""
    if x < b:
        return 0.0 if x <= a else (x - a) / (b - a)
    if x > c:
        return 0.0 if x >= d else (d - x) / (d - c)
    return 1.0


def _capped(value: float, cap: float) -> float:
    return float(min(max(value, 0.0), cap))


def pq_penalties(f: dict[str, float]) -> dict[str, float]:
    """Each PQ penalty by name (see the module table)."""
    return {
        "clipping": _capped(400.0 * f["clip_ratio"], 4.0),
        "true_peak": _capped(f["true_peak_dbtp"] + 1.0, 2.0),
        "dc_offset": _capped(60.0 * f["dc_offset"], 3.0),
        "crest": _capped(0.5 * (6.0 - f["crest_factor_db"]), 2.0),
        "harsh_tilt": _capped(f["spectral_tilt_db_per_octave"] + 1.5, 3.0),
        "hiss": _capped(8.0 * (f["high_energy_ratio"] - 0.25), 2.0),
        "boom": _capped(40.0 * (f["low_energy_ratio"] - 0.95), 2.0),
        "mono_loss": _capped(0.5 * (f["mono_loss_db"] - 3.0), 2.0),
        "phase": _capped(-2.0 * f["stereo_correlation"], 2.0),
        "silence": _capped(4.0 * f["silence_ratio"], 4.0),
    }


def groove(f: dict[str, float]) -> float:
    """1 for material without a beat; for rhythmic material, a clear pulse times a low-end foundation."""
    rhythmic = want(f["onset_rate"], 0.5, 2.0, np.inf, np.inf)
    steady = want(f["pulse_clarity"], 0.1, 0.5, 1.0, 1.0)
    foundation = want(f["sub_energy_ratio"], 0.05, 0.4, 1.0, 1.0)
    return (1.0 - rhythmic) + rhythmic * steady * foundation


def _weighted(parts: list[tuple[float, float]]) -> float:
    return sum(w * v for w, v in parts) / sum(w for w, _ in parts)


def _band_spread(f: dict[str, float]) -> float:
    p = np.array([f["low_energy_ratio"], f["mid_energy_ratio"], f["high_energy_ratio"]])
    p = p[p > 0] / p.sum()
    return float(-(p * np.log(p)).sum() / np.log(3.0))


def proxy_scores(f: dict[str, float]) -> dict[str, float]:
    """CE, CU, PC, PQ proxies (1-10) from the descriptor dict."""
    if f["silence_ratio"] >= 1.0:
        return {"CE": 1.0, "CU": 1.0, "PC": 1.0, "PQ": 1.0}
    pq = float(np.clip(9.5 - sum(pq_penalties(f).values()), 1.0, 10.0))
    quality = (pq - 1.0) / 9.0
    gate = float(np.clip(0.3 + 0.7 * quality / 0.8, 0.0, 1.0))
    ce = _weighted([
        (0.25, want(1.0 - f["spectral_flatness"], 0.55, 0.85, 1.0, 1.0)),
        (0.20, want(f["novelty_db"], 0.2, 1.5, 8.0, 15.0)),
        (0.10, want(f["novelty_long_db"], 0.1, 1.0, 10.0, 20.0)),
        (0.10, want(f["onset_rate"], 0.0, 0.3, 6.0, 14.0)),
        (0.10, want(f["repetition"], 0.0, 0.25, 0.95, 1.01)),
        (0.15, want(f["spectral_peaks"], 1.0, 4.0, 80.0, 200.0)),
        (0.10, want(f["spectral_centroid_hz"], 100.0, 250.0, 3000.0, 6000.0)),
        (0.15, groove(f)),
    ])
    cu = _weighted([
        (0.35, quality),
        (0.20, 1.0 - f["silence_ratio"]),
        (0.10, want(f["mono_loss_db"], -1.0, 0.0, 3.0, 10.0)),
        (0.15, want(f["loudness_range_lu"], 0.0, 1.0, 15.0, 25.0)),
    ])
    pc = _weighted([
        (0.25, _band_spread(f)),
        (0.20, want(f["spectral_peaks"], 1.0, 40.0, 1000.0, 1001.0)),
        (0.15, want(f["stereo_width"], 0.0, 0.05, 0.4, 0.8)),
        (0.15, want(f["onset_rate"], 0.0, 1.0, 8.0, 16.0)),
        (0.15, want(f["novelty_db"], 0.2, 2.0, 10.0, 20.0)),
        (0.10, want(f["decay_t60_s"], 0.05, 0.3, 4.0, 30.0)),
    ])
    return {
        "CE": 1.0 + 9.0 * gate * ce,
        "CU": 1.0 + 9.0 * cu,
        "PC": 1.0 + 9.0 * gate * pc,
        "PQ": pq,
    }
