"""Fit aesthetics/vibe/audio_probe.npz: the vibe judge's cross-talk-free audio readings (see that module).

    .venv/bin/python scripts/build_audio_probe.py [--bases 200] [--workers 2] [--folds 5]

Renders the rule mapper's configs of the first BASES train-split vibes with each
driving field (reader_check.DRIVERS) set to its two ends, at the teacher's clip
(8 s, 22.05 kHz; render seed = the base's index), measures the calibrated
descriptor ranks, and fits one weight vector per axis. No text of any
validation set is read: the probe learns from audio and config fields only.
Before writing it prints, per axis, over held-out bases (k folds): how often the
axis's own field pairs move the reading the right way, and how far the other
fields' pairs move it (mean |change| in projection units, 1 = an own-field
pair's target). Deterministic: same arguments, same file.
"""

from __future__ import annotations

import argparse
import io
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

from aesthetics.vibe.audio_probe import ALSO_MOVED_BY, DESCRIPTORS, LEVELS, PROBE, fit_weights
from aesthetics.vibe.axes import AXIS_NAMES
from aesthetics.vibe.scorer import descriptor_ranks
from optimize.eval.reader_check import DRIVERS, flipped
from optimize.render_score import Clip
from optimize.vibes.data import load_split
from reference.vibe_mapper import map_vibe
from tools.files import write_bytes
from tools.schema import MusicConfig

FIELDS = tuple(dict.fromkeys(field for field, _low, _high in DRIVERS.values()))


def ranks(job: tuple[str, int]) -> np.ndarray:
    """Calibrated descriptor ranks (DESCRIPTORS order) of one config rendered at the teacher's clip."""
    config_json, seed = job
    clip = Clip(seed=seed)
    ranked, _quality = descriptor_ranks(clip.render(MusicConfig.parse(config_json)), clip.sample_rate)
    return np.array([ranked[d] for d in DESCRIPTORS])


def pairs(bases: int) -> list[tuple[int, str, str, str]]:
    """(base index, field, low-end config, high-end config) for every base and driving field."""
    axis_of = {field: axis for axis, (field, _low, _high) in reversed(DRIVERS.items())}
    out = []
    for i, row in enumerate(load_split("train")[:bases]):
        base = map_vibe(row["vibe"])
        for field in FIELDS:
            low, high = (flipped(base, axis_of[field], end).model_dump_json() for end in (False, True))
            out.append((i, field, low, high))
    return out


def fit(deltas: dict[str, np.ndarray], keep: np.ndarray) -> np.ndarray:
    """(axes, descriptors) weights from the per-field rank changes of the kept pairs."""
    weights = []
    for axis in AXIS_NAMES:
        own = DRIVERS[axis][0]
        others = [f for f in FIELDS if f != own and f not in ALSO_MOVED_BY.get(axis, ())]
        weights.append(fit_weights(deltas[own][keep], np.vstack([deltas[f][keep] for f in others])))
    return np.array(weights)


def cross_validate(deltas: dict[str, np.ndarray], folds: int) -> Table:
    n = len(next(iter(deltas.values())))
    fold = np.arange(n) % folds
    table = Table("axis", "own field pairs ordered right (held-out bases)", "other fields' mean |move|")
    moves = {axis: ([], []) for axis in AXIS_NAMES}
    for k in range(folds):
        weights = fit(deltas, fold != k)
        for a, axis in enumerate(AXIS_NAMES):
            for field, d in deltas.items():
                projected = d[fold == k] @ weights[a]
                if field == DRIVERS[axis][0]:
                    moves[axis][0].extend(projected > 0)
                elif field not in ALSO_MOVED_BY.get(axis, ()):
                    moves[axis][1].extend(np.abs(projected))
    for axis, (right, cross) in moves.items():
        table.add_row(axis, f"{np.mean(right):.3f} (n = {len(right)})", f"{np.mean(cross):.3f}")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bases", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    todo = pairs(args.bases)
    jobs = sorted({(config, i) for i, _field, low, high in todo for config in (low, high)})
    with ProcessPoolExecutor(args.workers) as pool:
        measured = dict(zip(jobs, track(pool.map(ranks, jobs, chunksize=4), total=len(jobs), description="rendering field-end pairs"), strict=True))
    deltas = {field: np.array([measured[(high, i)] - measured[(low, i)] for i, f, low, high in todo if f == field]) for field in FIELDS}
    Console().print(cross_validate(deltas, args.folds))
    weights = fit(deltas, np.ones(len(deltas[FIELDS[0]]), dtype=bool))
    projections = np.array(list(measured.values())) @ weights.T
    buffer = io.BytesIO()
    np.savez(
        buffer,
        axes=np.array(AXIS_NAMES),
        descriptors=np.array(DESCRIPTORS),
        weights=weights,
        quantiles=np.quantile(projections, LEVELS, axis=0).T,
        bases=np.array(args.bases),
    )
    write_bytes(PROBE, buffer.getvalue())
    print(f"wrote {PROBE} ({args.bases} bases, {len(jobs)} renders)")


if __name__ == "__main__":
    main()
