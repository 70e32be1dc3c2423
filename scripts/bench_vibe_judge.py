"""Speed of the `vibe` judge against realtime and the `dsp` proxy, in one run, on one core.

    OMP_NUM_THREADS=1 .venv/bin/python scripts/bench_vibe_judge.py [--seconds 30] [--repeats 5]

The text embedding is cached (warmed before timing). Reports best-of-N wall time
and process CPU time per clip, realtime factors, and the vibe/dsp ratio.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

from aesthetics import get_scorer  # noqa: E402
from tools.ambient import render_config  # noqa: E402
from tools.schema import EXAMPLE, MusicConfig  # noqa: E402

TEXT = "rainy afternoon in Tokyo"


def _best(fn, repeats: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    audio = render_config(MusicConfig(**EXAMPLE), args.seconds, seed=0, sample_rate=44_100)
    vibe, dsp = get_scorer("vibe"), get_scorer("dsp")
    vibe.score(audio, 44_100, text=TEXT)  # warm: embedding cache, anchors, calibration table
    dsp.score(audio, 44_100)
    v_wall, v_cpu = _best(lambda: vibe.score(audio, 44_100, text=TEXT), args.repeats)
    d_wall, d_cpu = _best(lambda: dsp.score(audio, 44_100), args.repeats)
    print(f"clip {args.seconds:.0f} s stereo 44.1 kHz, best of {args.repeats}, OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}")
    for name, wall, cpu in (("vibe", v_wall, v_cpu), ("dsp ", d_wall, d_cpu)):
        print(
            f"{name}: wall {wall * 1000:.0f} ms ({args.seconds / wall:.0f}x realtime), cpu {cpu * 1000:.0f} ms ({args.seconds / cpu:.0f}x per core)"
        )
    print(f"vibe / dsp time ratio: wall {v_wall / d_wall:.2f}, cpu {v_cpu / d_cpu:.2f}")


if __name__ == "__main__":
    main()
