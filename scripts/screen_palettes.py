#!/usr/bin/env python3
"""Screen random palettes: render the 32-bar reference with each, score, rank, keep the top K.

    .venv/bin/python scripts/screen_palettes.py --count 40 --top 4 --seed 7 --workers 2

Random palettes use loops for bassline/texture and one-shots for the rest
(palettes.picker). Each is scored by an aesthetics backend (default `dsp`,
a weight-free PROXY of audiobox CE/CU/PC/PQ; the backend is named in every
row). Results go to --results (config.json, one JSON per palette so a rerun
resumes, results.csv ranked by OBJ); the top K palettes go to --out.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from palettes.library import build_library, read_manifest  # noqa: E402
from palettes.manifest import PaletteFile  # noqa: E402
from palettes.picker import palette_key, random_palette  # noqa: E402
from tools.audio_io import write_json  # noqa: E402

console = Console()


def score_palette(job: tuple[str, str, str, str | None, int]) -> dict:
    """Render the 32-bar reference with one palette and score it (runs in a worker)."""
    palette_json, palette_path, backend, text, seed = job
    from aesthetics import get_scorer
    from palettes.library import load_palette
    from reference.arrangements import render_reference

    Path(palette_path).write_text(palette_json)
    rendered = render_reference(load_palette(palette_path), "32", None, seed)
    scores = get_scorer(backend).score(rendered.audio, rendered.sample_rate, text)
    return {"palette": json.loads(palette_json), **scores.model_dump(exclude={"extra"})}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=40, help="palettes to screen")
    parser.add_argument("--top", type=int, default=4, help="palettes to keep")
    parser.add_argument("--seed", type=int, default=0, help="seed of the palette draw and of the renders")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (1: in this process)")
    parser.add_argument("--scorer", default="dsp", help="aesthetics backend: dsp | audiobox | clap | remote:URL")
    parser.add_argument("--text", default=None, help="brief for text-aware scorers")
    parser.add_argument("--out", type=Path, default=ROOT / "palettes" / "curated", help="where the top K go")
    parser.add_argument("--results", type=Path, default=None, help="results folder (default runs/screen-seedS)")
    return parser.parse_args(argv)


def draw(count: int, seed: int) -> list[PaletteFile]:
    manifest = read_manifest() or build_library()
    rng = np.random.default_rng(seed)
    palettes, seen = [], set()
    for _ in range(count * 20):
        if len(palettes) == count:
            break
        candidate = random_palette(manifest, rng, f"screen-s{seed}-{len(palettes) + 1:03d}")
        if palette_key(candidate) not in seen:
            seen.add(palette_key(candidate))
            palettes.append(candidate)
    return palettes


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results = args.results or ROOT / "runs" / f"screen-seed{args.seed}"
    (results / "palettes").mkdir(parents=True, exist_ok=True)
    (results / "scores").mkdir(parents=True, exist_ok=True)
    config = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    write_json(results / "config.json", {**config, "arrangement": "32", "scorer_is_proxy": args.scorer == "dsp"})

    palettes = draw(args.count, args.seed)
    done = {p.stem: json.loads(p.read_text()) for p in (results / "scores").glob("*.json")}
    todo = [p for p in palettes if p.id not in done]
    console.print(f"{len(palettes)} palettes, {len(done)} already scored, scorer {args.scorer}")
    jobs = [(p.model_dump_json(), str(results / "palettes" / f"{p.id}.json"), args.scorer, args.text, args.seed) for p in todo]
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console) as bar:
        task = bar.add_task("screening", total=len(jobs))
        pool = ProcessPoolExecutor(max_workers=args.workers) if args.workers > 1 else None
        for row in (pool.map if pool else map)(score_palette, jobs):
            pid = row["palette"]["id"]
            write_json(results / "scores" / f"{pid}.json", row)
            done[pid] = row
            bar.update(task, advance=1, description=f"{pid} OBJ {row['OBJ']:.3f}")
        if pool:
            pool.shutdown()

    ranked = sorted((done[p.id] for p in palettes), key=lambda r: -(r["OBJ"] or 0.0))
    roles = sorted({role for r in ranked for role in r["palette"]["samples"]})
    with (results / "results.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rank", "palette", "backend", "version", "OBJ", "CE", "CU", "PC", "PQ", *roles])
        for rank, row in enumerate(ranked, start=1):
            ids = [row["palette"]["samples"].get(role, {}).get("id", "") for role in roles]
            writer.writerow([rank, row["palette"]["id"], row["backend"], row["version"],
                             *(f"{row[k]:.4f}" for k in ("OBJ", "CE", "CU", "PC", "PQ")), *ids])
    args.out.mkdir(parents=True, exist_ok=True)
    for rank, row in enumerate(ranked[: args.top], start=1):
        name = f"palette_{rank:03d}"
        palette = PaletteFile.model_validate(row["palette"]).model_copy(
            update={"id": name, "scores": {"backend": row["backend"], "version": row["version"], "screen_id": row["palette"]["id"],
                                            **{k: row[k] for k in ("OBJ", "CE", "CU", "PC", "PQ")}}}
        )
        write_json(args.out / f"{name}.json", palette.model_dump())
    objs = np.array([r["OBJ"] for r in ranked])
    console.print(f"OBJ ({args.scorer}) min {objs.min():.3f} median {np.median(objs):.3f} max {objs.max():.3f}")
    console.print(f"ranked CSV: {results / 'results.csv'}; top {min(args.top, len(ranked))} in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
