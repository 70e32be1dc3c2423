"""Audio side of the `dj` judge: the vibe judge's descriptors plus two a DJ set needs.

From `aesthetics.vibe.audio.measure` (the dsp proxy's shared analysis): flux,
onset_rate, note_rate, centroid, peaks, transient, third, flatness, width,
decorrelation and the dsp quality. A club mix keeps nearly all its power
below 250 Hz (kick and bass), so the spectral centroid hardly moves between a
dark and a bright set; and a set has a shape in time that one-clip descriptors
miss. So, on the same analysis:

- `air`: log10 of the share of power above AIR_HZ (hats, open hats, leads):
  how bright the top end is (brightness);
- `novelty`: how much the mix changes from one window of NOVELTY_SECONDS to the
  next: the mean absolute change of the window's log band levels (dB), over
  NOVELTY_BANDS log-spaced bands (a set that holds one groove: low; one that
  keeps swapping patterns and layers: high) (variation).

Added in dj-proxy-2 (chosen on the dev briefs, `optimize/data/dj/dev-v1.jsonl`),
because v1's density (spectral `peaks` and `flux`, from the ambient judge) fell
as a club mix got busier:

- `occupancy`: the share of (frame, band) cells of the NOVELTY_BANDS spectrogram
  within OCCUPANCY_DB of the clip's loudest cells (its 99th percentile level):
  more layers light more of the time-frequency plane (density);
- `layers`: per NOVELTY_SECONDS window, the share of bands within LAYER_DB of
  that window's loudest band, averaged over windows: how many layers sound at once;
- `upper`: log2 of the spectral centroid of the power above UPPER_HZ (the
  club mix's kick and bass left out), how bright what sits over the low end is
  (brightness).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from aesthetics.base import prepare_audio
from aesthetics.dsp.analysis import analyse
from aesthetics.vibe.audio import measure as vibe_measure

AIR_HZ = 4_000.0
NOVELTY_SECONDS = 2.0
NOVELTY_BANDS = 24
NOVELTY_RANGE_HZ = (40.0, 10_000.0)
FLOOR_DB = -100.0
OCCUPANCY_DB = 30.0
LAYER_DB = 20.0
UPPER_HZ = 250.0


@lru_cache(maxsize=8)
def _bands(n_bins: int, rate: float) -> np.ndarray:
    freqs = np.fft.rfftfreq(2 * (n_bins - 1), 1.0 / rate)
    edges = np.geomspace(*NOVELTY_RANGE_HZ, NOVELTY_BANDS + 1)
    index = np.searchsorted(edges, freqs, side="right") - 1
    matrix = np.zeros((n_bins, NOVELTY_BANDS), dtype=np.float64)
    inside = (index >= 0) & (index < NOVELTY_BANDS)
    matrix[np.nonzero(inside)[0], index[inside]] = 1.0
    return matrix


def set_descriptors(power: np.ndarray, freqs: np.ndarray, hop_seconds: float) -> dict[str, float]:
    """`air` and `novelty` from a power spectrogram (frames, bins)."""
    total = float(power.sum())
    air = float(np.log10(max(float(power[:, freqs >= AIR_HZ].sum()) / total, 1e-9))) if total > 0 else -9.0
    per_window = max(1, int(round(NOVELTY_SECONDS / hop_seconds)))
    windows = power.shape[0] // per_window
    if windows < 2 or total <= 0:
        return {"air": air, "novelty": 0.0}
    bands = power[: windows * per_window].reshape(windows, per_window, -1).mean(axis=1) @ _bands(power.shape[1], 2 * freqs[-1])
    level = np.maximum(10.0 * np.log10(bands + 1e-30), FLOOR_DB)
    return {"air": air, "novelty": float(np.abs(np.diff(level, axis=0)).mean())}


def density_descriptors(power: np.ndarray, freqs: np.ndarray, hop_seconds: float) -> dict[str, float]:
    """`occupancy`, `layers` and `upper` from a power spectrogram (frames, bins)."""
    bands = power @ _bands(power.shape[1], 2 * freqs[-1])
    level = np.maximum(10.0 * np.log10(bands + 1e-30), FLOOR_DB)
    occupancy = float((level > np.percentile(level, 99) - OCCUPANCY_DB).mean())
    per_window = max(1, int(round(NOVELTY_SECONDS / hop_seconds)))
    windows = max(1, bands.shape[0] // per_window)
    mean = bands[: windows * per_window].reshape(windows, -1, bands.shape[1]).mean(axis=1)
    window_db = np.maximum(10.0 * np.log10(mean + 1e-30), FLOOR_DB)
    layers = float((window_db > window_db.max(axis=1, keepdims=True) - LAYER_DB).mean())
    above = freqs >= UPPER_HZ
    spectrum = power[:, above].sum(axis=0)
    upper = float(np.log2((spectrum * freqs[above]).sum() / spectrum.sum())) if spectrum.sum() > 0 else float(np.log2(UPPER_HZ))
    return {"occupancy": occupancy, "layers": layers, "upper": upper}


def measure(audio: np.ndarray, sample_rate: int) -> dict[str, float]:
    """Raw descriptors of a DJ set (the vibe judge's, v1's `air`, `novelty`, v2's density and `upper`) and the dsp quality."""
    data = prepare_audio(audio, sample_rate)
    raw = vibe_measure(data, int(sample_rate))
    a = analyse(data, int(sample_rate))
    power = a.power.astype(np.float64)
    return {**raw, **set_descriptors(power, a.freqs, a.hop_seconds), **density_descriptors(power, a.freqs, a.hop_seconds)}
