#!/usr/bin/env python3
"""Benchmark the DJ mixer: render the 64-bar reference at 128 BPM and print realtime factors.

    .venv/bin/python scripts/bench_dj.py [--palette palettes/curated/palette_001.json] [--repeats 5]

Measured in the same run, against named references:
  - "numpy sum": adding one full-length stereo float32 layer per role onto a
    buffer of the same length (a floor for any mixer that touches every frame),
  - "copy": one np.copyto of the output buffer (memory bandwidth).
The mixer's time covers the whole session: tool calls, mixing, master bus
(ducking, pedalboard glue, brickwall). Peak normalisation is timed apart.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from palettes.library import build_library, load_palette  # noqa: E402
from reference.arrangements import play_calls, reference_calls  # noqa: E402
from tools.loudness import normalize_peak  # noqa: E402
from tools.mixer import MixerSession  # noqa: E402

BPM, BARS, SR = 128.0, 64, 44100


def best_of(repeats: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--palette", type=Path, default=ROOT / "palettes" / "curated" / "palette_001.json")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    build_library()  # idempotent: makes the library only if it is missing
    palette = load_palette(args.palette)

    def mixer():
        session = MixerSession(palette.samples, BPM, BARS, sample_rate=SR)
        play_calls(session, reference_calls("64"))
        return session.render()

    mix_s, audio = best_of(args.repeats, mixer)
    norm_s, _ = best_of(args.repeats, lambda: normalize_peak(audio))
    frames = audio.shape[0]
    seconds = frames / SR
    layers = [np.full((frames, 2), 0.01 * i, dtype=np.float32) for i in range(len(palette.samples))]

    def numpy_sum():
        out = np.zeros((frames, 2), dtype=np.float32)
        for layer in layers:
            out += layer
        return out

    sum_s, _ = best_of(args.repeats, numpy_sum)
    target = np.empty_like(audio)
    copy_s, _ = best_of(args.repeats, lambda: np.copyto(target, audio))
    assert frames == round(BARS * 240 / BPM * SR)
    print(f"64-bar reference at {BPM:g} BPM: {seconds:.2f} s of stereo audio ({frames} frames), best of {args.repeats}")
    print(f"  mixer session (calls + mixing + master): {mix_s * 1e3:8.1f} ms  realtime x{seconds / mix_s:7.1f}")
    print(f"  peak normalisation (true peak, 4x):      {norm_s * 1e3:8.1f} ms  realtime x{seconds / norm_s:7.1f}")
    print(f"  reference: numpy sum of {len(layers)} layers:       {sum_s * 1e3:8.1f} ms  realtime x{seconds / sum_s:7.1f}")
    print(f"  reference: copy of the output buffer:     {copy_s * 1e3:8.1f} ms  realtime x{seconds / copy_s:7.1f}")
    print(f"  mixer / numpy-sum time ratio: {mix_s / sum_s:.1f}   end to end (mixer + normalise): realtime x{seconds / (mix_s + norm_s):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
