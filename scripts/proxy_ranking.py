#!/usr/bin/env python3
"""Does a judge rank broken sets below the reference? And does loudness still move its score?

    .venv/bin/python scripts/proxy_ranking.py                      # curated palettes + 8 random ones, dsp
    .venv/bin/python scripts/proxy_ranking.py --random 0 --kind 64 --json ranking.json

For every palette (the curated ones plus --random palettes drawn as screening
draws them) it renders the reference arrangement and the four broken sets of
`reference.broken` (no kick, off-grid, silence gaps, all sub), plus the
reference turned down 12 dB, and scores all with the backend. Each row compares
one variant with the reference of the same palette: n palettes, mean OBJ,
the paired difference with its 95 % CI (t), a paired t-test (agent.ab.stats.paired)
and how often the variant scored below the reference. A judge that works ranks
every fault below the reference; a loudness-normalising judge gives the quiet
copy a difference near 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUIET_DB = -12.0


def palettes_for(args: argparse.Namespace, scratch: Path) -> list[Path]:
    from palettes.library import build_library, read_manifest
    from palettes.picker import random_palette

    paths = list(args.palettes or sorted((ROOT / "palettes" / "curated").glob("*.json")))
    if args.random:
        manifest = read_manifest() or build_library()
        rng = np.random.default_rng(args.seed)
        for k in range(args.random):
            path = scratch / f"random_{k + 1:02d}.json"
            path.write_text(random_palette(manifest, rng, path.stem).model_dump_json())
            paths.append(path)
    return paths


def variants(palette_path: Path, kind: str, seed: int):
    from palettes.library import load_palette
    from reference.arrangements import render_reference
    from reference.broken import FAULTS, broken_set

    palette = load_palette(palette_path)
    reference = render_reference(palette, kind, None, seed)
    yield "reference", reference.audio, reference.sample_rate
    yield f"reference {QUIET_DB:+.0f} dB", reference.audio * np.float32(10 ** (QUIET_DB / 20)), reference.sample_rate
    for fault in FAULTS:
        yield fault, broken_set(fault, palette, kind, None, seed, reference.sample_rate), reference.sample_rate


def compare(scores: dict[str, list[float]]) -> list[dict]:
    from agent.ab.stats import paired

    base = np.array(scores["reference"])
    rows = []
    for name, values in scores.items():
        values = np.array(values)
        row = {"set": name, "n": int(values.size), "mean_OBJ": float(values.mean())}
        if name != "reference":
            test = paired(values, base)
            row.update(
                mean_diff=test["diff"],
                ci95=test["ci95"] or [float("nan"), float("nan")],
                p_paired_t=float("nan") if test["p"] is None else test["p"],
                below_reference=int(np.sum(values < base)),
            )
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scorer", default="dsp", help="aesthetics backend with OBJ (default dsp, a PROXY)")
    parser.add_argument("--kind", default="32", choices=("32", "64", "set"), help="reference arrangement")
    parser.add_argument("--palettes", type=Path, nargs="*", default=None, help="palette files (default: curated)")
    parser.add_argument("--random", type=int, default=8, help="random palettes added (drawn like screening)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random palettes and of the renders")
    parser.add_argument("--json", type=Path, default=None, help="also write the per-palette scores and rows here")
    args = parser.parse_args(argv)

    from aesthetics import get_scorer

    scorer = get_scorer(args.scorer)
    scores: dict[str, list[float]] = {}
    per_palette: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        paths = palettes_for(args, Path(scratch))
        for path in track(paths, description="rendering and scoring"):
            for name, audio, rate in variants(path, args.kind, args.seed):
                obj = scorer.score(audio, rate).OBJ
                scores.setdefault(name, []).append(obj)
                per_palette.setdefault(path.stem, {})[name] = obj
    rows = compare(scores)

    table = Table(title=f"{scorer.backend} {scorer.version}: reference {args.kind} vs broken sets (paired by palette)")
    for column in ("set", "n", "mean OBJ", "diff vs reference [95% CI]", "paired t p", "below ref"):
        table.add_column(column, justify="left" if column == "set" else "right")
    for row in rows:
        if row["set"] == "reference":
            table.add_row(row["set"], str(row["n"]), f"{row['mean_OBJ']:.3f}", "", "", "")
            continue
        lo, hi = row["ci95"]
        table.add_row(
            row["set"],
            str(row["n"]),
            f"{row['mean_OBJ']:.3f}",
            f"{row['mean_diff']:+.3f} [{lo:+.3f}, {hi:+.3f}]",
            f"{row['p_paired_t']:.2g}",
            f"{row['below_reference']}/{row['n']}",
        )
    Console(width=140).print(table)
    if args.json:
        args.json.write_text(
            json.dumps({"backend": scorer.backend, "version": scorer.version, "kind": args.kind, "rows": rows, "per_palette": per_palette}, indent=2)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
