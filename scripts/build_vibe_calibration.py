"""Build aesthetics/vibe/calibration.json: quantiles of the vibe judge's audio descriptors over renders.

    .venv/bin/python scripts/build_vibe_calibration.py [--n 120] [--seconds 15] [--seed 0]

Renders `n` MusicConfigs drawn uniformly over every field's values (one seeded
numpy Generator) with `tools.ambient.render_config` at 44.1 kHz, measures them
with `aesthetics.vibe.audio.measure`, and writes QUANTILES of each descriptor
with the corpus description, atomically. Deterministic: same arguments, same table.
"""

from __future__ import annotations

import argparse

import numpy as np
from rich.progress import track

from aesthetics.base import prepare_audio
from aesthetics.vibe.audio import measure
from aesthetics.vibe.axes import AXES
from aesthetics.vibe.calibration import QUANTILES, TABLE
from tools.ambient import render_config
from tools.files import dumps_json, write_text
from tools.schema import FIELDS, MusicConfig, choices

VERSION = "vibe-cal-4"
RATE = 44_100


def random_config(rng: np.random.Generator) -> MusicConfig:
    """Every field uniform over its values."""
    return MusicConfig(**{f: (lambda c: c[int(rng.integers(len(c)))])(choices(f)) for f in FIELDS})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=120)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    rows = []
    for i in track(range(args.n), description="rendering calibration corpus"):
        audio = render_config(random_config(rng), args.seconds, seed=i, sample_rate=RATE)
        rows.append(measure(prepare_audio(audio, RATE), RATE))
    descriptors = sorted({d for axis in AXES for d in axis.descriptors})
    table = {
        "version": VERSION,
        "corpus": {
            "renders": args.n,
            "seconds": args.seconds,
            "sample_rate": RATE,
            "seed": args.seed,
            "configs": "every MusicConfig field uniform over its values",
            "script": "scripts/build_vibe_calibration.py",
        },
        "quantile_levels": [round(float(q), 4) for q in QUANTILES],
        "quantiles": {d: [round(float(v), 6) for v in np.quantile([r[d] for r in rows], QUANTILES)] for d in descriptors},
    }
    write_text(TABLE, dumps_json(table, indent=1) + "\n")
    print(f"wrote {TABLE} ({args.n} renders x {args.seconds} s)")


if __name__ == "__main__":
    main()
