"""Build a dj judge version's calibration table: quantiles of its descriptors over DJ renders.

    .venv/bin/python scripts/build_dj_calibration.py [--judge dj-proxy-2] [--n 48] [--bars 32] [--seed 0] [--workers 2]

Draws `n` random points of the arrangement space (one seeded numpy Generator:
every set-plan knob uniform, a hold from reference.set_plan.HOLDS, a curated
palette, a tempo uniform in 100..150 BPM), lays each out on its palette,
renders it through the mixer at 44.1 kHz (`render_arrangement`), measures it
with `aesthetics.dj.audio.measure`, and writes QUANTILES of each descriptor
with the corpus description, atomically, to the version's table
(`aesthetics.dj.calibration.TABLES`: dj-proxy-1 -> calibration.json, dj-cal-1;
dj-proxy-2 -> calibration-2.json, dj-cal-2). `--corpus FILE` also keeps every
point's knobs and raw descriptors (to check a descriptor against the knob it
should follow). No brief is read: the corpus knows nothing of any brief set.
Deterministic: same arguments, same table.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from rich.progress import track

from aesthetics.dj.axes import AXES, LATEST, descriptors
from aesthetics.dj.calibration import CALIBRATIONS, QUANTILES, TABLES
from tools.files import dumps_json, write_json, write_text

RATE = 44_100
KNOBS = ("variation", "highs", "percussion", "density", "energy", "space", "drop")
BPM = (100.0, 150.0)


def draw(rng: np.random.Generator, palettes: list[str], bars: int) -> dict:
    from reference.set_plan import HOLDS

    return {
        "palette": palettes[int(rng.integers(len(palettes)))],
        "bpm": round(float(rng.uniform(*BPM)), 2),
        "bars": bars,
        "hold": int(HOLDS[int(rng.integers(len(HOLDS)))]),
        "breakdown_at": round(float(rng.uniform(0.45, 0.7)), 4),
        **{knob: round(float(rng.random()), 4) for knob in KNOBS},
    }


def render_and_measure(job: tuple[int, dict]) -> dict:
    index, knobs = job
    from aesthetics.dj.audio import measure
    from palettes import find_palette
    from palettes.library import load_palette
    from reference.arrangement_space import render_arrangement
    from reference.set_plan import SetPlan, lay_out

    palette = load_palette(find_palette(knobs["palette"]))
    loops = {role for role, sample in palette.samples.items() if sample.loop}
    point = lay_out(SetPlan(**knobs), set(palette.samples), loops)
    audio = render_arrangement(point, palette, seed=index, sample_rate=RATE).audio
    return measure(audio, RATE)


def main() -> None:
    from palettes import curated_palettes

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judge", choices=sorted(AXES), default=LATEST)
    parser.add_argument("--corpus", type=Path, default=None, help="also write each point's knobs and raw descriptors here")
    parser.add_argument("--n", type=int, default=48)
    parser.add_argument("--bars", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    palettes = [path.stem for path in curated_palettes()]
    jobs = [(i, draw(rng, palettes, args.bars)) for i in range(args.n)]
    with ProcessPoolExecutor(args.workers) as pool:
        rows = list(track(pool.map(render_and_measure, jobs), total=args.n, description="rendering the DJ corpus"))
    if args.corpus is not None:
        write_json(args.corpus, [{"knobs": knobs, "raw": row} for (_i, knobs), row in zip(jobs, rows, strict=True)])
    table = {
        "version": CALIBRATIONS[args.judge],
        "judge": args.judge,
        "corpus": {
            "renders": args.n,
            "bars": args.bars,
            "sample_rate": RATE,
            "seed": args.seed,
            "points": "random set plans (every knob uniform, hold from HOLDS), curated palettes, "
            f"{BPM[0]:g}-{BPM[1]:g} BPM, laid out and rendered through the mixer",
            "palettes": sorted(set(palettes)),
            "script": "scripts/build_dj_calibration.py",
        },
        "quantile_levels": [round(float(q), 4) for q in QUANTILES],
        "quantiles": {d: [round(float(v), 6) for v in np.quantile([r[d] for r in rows], QUANTILES)] for d in descriptors(args.judge)},
    }
    write_text(TABLES[args.judge], dumps_json(table, indent=1) + "\n")
    print(f"wrote {TABLES[args.judge]} ({args.n} renders x {args.bars} bars)")


if __name__ == "__main__":
    main()
