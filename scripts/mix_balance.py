#!/usr/bin/env python3
"""Measure what a listener hears in the reference sets: band balance, centroid, width, crest, kick definition.

    .venv/bin/python scripts/mix_balance.py                       # curated palettes, 128-bar set, table
    .venv/bin/python scripts/mix_balance.py --kind 32 --json out.json
    .venv/bin/python scripts/mix_balance.py --wav set.wav other.wav  # any rendered files

Per set (mid = (L+R)/2, Welch PSD at the full sample rate):
- % of power below 250 Hz, 250 Hz-2 kHz, 2-8 kHz and above 8 kHz;
- spectral centroid (Hz) of that PSD;
- stereo correlation sum(LR)/sqrt(sum(LL) sum(RR)) (1 = mono) and side/mid energy (dB);
- crest factor (dB): sample peak over RMS of both channels;
- low-end dip (dB): the 40-150 Hz band's level in 10 ms windows, 90th minus
  10th percentile within each beat, median over beats. A kick that stops
  before the next beat dips by tens of dB; a droning low end barely moves.
The last rows give the mean over sets; every number is a plain measurement, no model.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import soundfile as sf
from rich.console import Console
from rich.table import Table
from scipy.signal import butter, sosfiltfilt, welch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BANDS = ((0.0, 250.0), (250.0, 2000.0), (2000.0, 8000.0), (8000.0, float("inf")))
BAND_NAMES = ("<250", "250-2k", "2k-8k", ">8k")
LOW_BAND = (40.0, 150.0)
WINDOW_S = 0.010


def _db(x: float) -> float:
    return float(10.0 * np.log10(max(x, 1e-30)))


def low_end_dip_db(mid: np.ndarray, sr: int, bpm: float) -> float:
    """Median over beats of the 40-150 Hz level's within-beat range (p90 - p10, dB)."""
    sos = butter(4, LOW_BAND, btype="bandpass", fs=sr, output="sos")
    low = sosfiltfilt(sos, mid)
    hop = int(WINDOW_S * sr)
    n = low.size // hop
    level = 10.0 * np.log10(np.mean(low[: n * hop].reshape(n, hop) ** 2, axis=1) + 1e-12)
    per_beat = max(int(round(60.0 / bpm / WINDOW_S)), 2)
    beats = n // per_beat
    if beats == 0:
        return 0.0
    grid = level[: beats * per_beat].reshape(beats, per_beat)
    active = grid.max(axis=1) > level.max() - 40.0  # beats with a low end at all
    if not np.any(active):
        return 0.0
    spread = np.percentile(grid[active], 90, axis=1) - np.percentile(grid[active], 10, axis=1)
    return float(np.median(spread))


def measure(audio: np.ndarray, sr: int, bpm: float) -> dict[str, float]:
    audio = np.asarray(audio, dtype=np.float64)
    left, right = audio[:, 0], audio[:, 1]
    mid = 0.5 * (left + right)
    side = 0.5 * (left - right)
    freqs, psd = welch(mid, fs=sr, nperseg=8192)
    total = max(float(psd.sum()), 1e-30)
    row = {f"pct{name}": 100.0 * float(psd[(freqs >= lo) & (freqs < hi)].sum()) / total for name, (lo, hi) in zip(BAND_NAMES, BANDS)}
    row["centroid_hz"] = float((freqs * psd).sum() / total)
    ll, rr, lr = float(left @ left), float(right @ right), float(left @ right)
    row["stereo_corr"] = lr / np.sqrt(ll * rr) if ll > 0 and rr > 0 else 1.0
    row["side_mid_db"] = _db(float(side @ side)) - _db(float(mid @ mid))
    rms = np.sqrt(np.mean(audio**2))
    row["crest_db"] = _db(float(np.max(np.abs(audio)) ** 2)) - _db(float(rms**2))
    row["low_dip_db"] = low_end_dip_db(mid, sr, bpm)
    return row


def reference_sets(kind: str, palettes: list[Path], seed: int):
    from palettes.library import load_palette
    from reference.arrangements import render_reference

    for path in palettes:
        rendered = render_reference(load_palette(path), kind, None, seed)
        yield path.stem, rendered.audio, rendered.sample_rate, rendered.bpm


def wav_sets(paths: list[Path], bpm: float):
    for path in paths:
        audio, sr = sf.read(str(path), dtype="float32", always_2d=True)
        if audio.shape[1] == 1:
            audio = np.repeat(audio, 2, axis=1)
        yield path.name, audio[:, :2], sr, bpm


COLUMNS = (
    ("%<250", "pct<250", "{:.1f}"),
    ("%250-2k", "pct250-2k", "{:.1f}"),
    ("%2k-8k", "pct2k-8k", "{:.2f}"),
    ("%>8k", "pct>8k", "{:.2f}"),
    ("centroid Hz", "centroid_hz", "{:.0f}"),
    ("L/R corr", "stereo_corr", "{:.3f}"),
    ("side/mid dB", "side_mid_db", "{:.1f}"),
    ("crest dB", "crest_db", "{:.1f}"),
    ("low dip dB", "low_dip_db", "{:.1f}"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", default="set", choices=("32", "64", "set"), help="reference arrangement to render")
    parser.add_argument("--palettes", type=Path, nargs="*", default=None, help="palette files (default: palettes/curated/*.json)")
    parser.add_argument("--wav", type=Path, nargs="*", default=None, help="measure these files instead of rendering")
    parser.add_argument("--bpm", type=float, default=128.0, help="tempo of --wav files (for the low-end dip)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = parser.parse_args(argv)

    if args.wav:
        sets = wav_sets(args.wav, args.bpm)
    else:
        palettes = args.palettes or sorted((ROOT / "palettes" / "curated").glob("*.json"))
        sets = reference_sets(args.kind, palettes, args.seed)
    rows = {name: measure(audio, sr, bpm) for name, audio, sr, bpm in sets}
    if not rows:
        parser.error("nothing to measure")
    rows["mean"] = {key: float(np.mean([r[key] for r in rows.values()])) for key in next(iter(rows.values()))}

    table = Table(title=f"mix balance ({'files' if args.wav else 'reference ' + args.kind}, n={len(rows) - 1})")
    table.add_column("set")
    for title, _, _ in COLUMNS:
        table.add_column(title, justify="right")
    for name, row in rows.items():
        table.add_row(name, *(fmt.format(row[key]) for _, key, fmt in COLUMNS))
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
