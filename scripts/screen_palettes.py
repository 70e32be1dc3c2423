#!/usr/bin/env python3
"""Screen random palettes: play the 32-bar reference with each, score, rank, keep the top K.

    .venv/bin/python scripts/screen_palettes.py --count 40 --top 4 --seed 7 --workers 2

The reference is played through the Policy interface (reference.policy) and
scored by the one metric (agent.metric.AudioMetric). Random palettes use loops for bassline/texture and one-shots for the rest
(palettes.picker). Each is scored by an aesthetics backend (default `dsp`,
a weight-free PROXY of audiobox CE/CU/PC/PQ; the backend is named in every
row). Results go to --results (run.json, one JSON per palette so a rerun
resumes, results.csv ranked by OBJ); the top K palettes go to --out
(default RESULTS/top; `--curated` writes them to palettes/curated instead,
replacing the palette_NNN.json files there). Each kept palette also records
how its reference sounds (`centroid_hz`, `low_energy_ratio` of the dsp
descriptors), which `vibesynth dj` uses to pick a palette from a brief. Ranking needs OBJ, so backends
that give none (clap) are refused; a rerun into the same results folder
must use the same scorer, brief and seed.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.metric import AudioMetric  # noqa: E402
from palettes.library import build_library, read_manifest  # noqa: E402
from palettes.manifest import PaletteFile  # noqa: E402
from palettes.picker import palette_key, random_palette  # noqa: E402
from tools.errors import VibesynthError  # noqa: E402
from tools.files import write_json  # noqa: E402
from tools.run_record import read_run, write_run  # noqa: E402

console = Console()
CURATED = ROOT / "palettes" / "curated"
RESUME_KEYS = ("scorer", "text", "seed")  # a rerun with other values would mix incomparable scores
CHARACTER = ("centroid_hz", "low_energy_ratio")
NO_OBJ = {"clap": "clap gives a text similarity, not OBJ"}
SCREEN_BARS = 32


def score_palette(job: tuple[str, str, str, str | None, int]) -> dict:
    """Render the 32-bar reference with one palette and score it (runs in a worker)."""
    palette_json, palette_path, backend, text, seed = job
    from agent.metric import AudioMetric
    from palettes.library import load_palette
    from reference.policies import FixedPolicy
    from reference.policy import Stage
    from tools.loudness import normalize_peak
    from tools.mixer import MixerSession

    Path(palette_path).write_text(palette_json)
    palette = load_palette(palette_path)
    session = MixerSession(palette.samples, palette.bpm, SCREEN_BARS, seed=seed, alternatives=palette.alternatives)
    FixedPolicy().play(Stage.of_session(session, seed=seed, brief=text or ""))
    audio = normalize_peak(session.render())
    scores = AudioMetric(backend).scores(audio, session.sample_rate, text)
    return {"palette": json.loads(palette_json), **scores.model_dump(exclude={"extra"}), **character(audio, session.sample_rate)}


def character(audio: np.ndarray, sample_rate: int) -> dict[str, float]:
    """How the palette sounds in the reference (kept in curated palettes; the brief mapper picks by it)."""
    from aesthetics.dsp import features

    d = features(audio, sample_rate)
    return {"centroid_hz": round(d["spectral_centroid_hz"], 1), "low_energy_ratio": round(d["low_energy_ratio"], 4)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=positive, default=40, help="palettes to screen (>= 1)")
    parser.add_argument("--top", type=positive, default=4, help="palettes to keep (>= 1)")
    parser.add_argument("--seed", type=natural, default=0, help="seed of the palette draw and of the renders")
    parser.add_argument("--workers", type=positive, default=2, help="worker processes (1: in this process)")
    parser.add_argument("--scorer", default="dsp", help="aesthetics backend with OBJ: dsp | audiobox | remote:URL")
    parser.add_argument("--text", default=None, help="brief for text-aware scorers")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--out", type=Path, default=None, help="where the top K go (default RESULTS/top)")
    target.add_argument("--curated", action="store_true", help="write the top K to palettes/curated (replaces them)")
    parser.add_argument("--results", type=Path, default=None, help="results folder (default runs/screen-seedS)")
    args = parser.parse_args(argv)
    if args.scorer in NO_OBJ:
        parser.error(f"--scorer {args.scorer}: {NO_OBJ[args.scorer]}, and screening ranks by OBJ; use dsp, audiobox or remote:URL")
    return args


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return value


def natural(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} must be 0 or more")
    return value


def check_resume(results: Path, args: argparse.Namespace) -> None:
    """Refuse to pool scores from a run with another scorer, brief or seed in the same folder."""
    before = read_run(results, "screening settings", old_name="config.json")
    if before is None:
        return
    changed = [f"--{k} {before.get(k)!r} -> {getattr(args, k)!r}" for k in RESUME_KEYS if before.get(k) != getattr(args, k)]
    if changed:
        raise SystemExit(
            f"error: {results} holds a run with other settings ({'; '.join(changed)}); "
            "rerun with the same settings to resume, or pass another --results folder"
        )


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
    out = CURATED if args.curated else args.out or results / "top"
    check_resume(results, args)
    try:
        AudioMetric(args.scorer).check()  # a scorer that cannot score fails now, not after the renders
    except VibesynthError as err:
        raise SystemExit(f"error: {err}") from None
    (results / "palettes").mkdir(parents=True, exist_ok=True)
    (results / "scores").mkdir(parents=True, exist_ok=True)
    config = {k: str(v) if isinstance(v, Path) else v for k, v in {**vars(args), "out": out}.items()}
    write_run(results, {**config, "arrangement": "32", "scorer_is_proxy": args.scorer == "dsp"})

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
            if row["OBJ"] is None:
                raise SystemExit(f"error: scorer {args.scorer} returned no OBJ for {pid}; screening ranks by OBJ")
            bar.update(task, advance=1, description=f"{pid} OBJ {row['OBJ']:.3f}")
        if pool:
            pool.shutdown()

    ranked = sorted((done[p.id] for p in palettes), key=lambda r: -r["OBJ"])
    roles = sorted({role for r in ranked for role in r["palette"]["samples"]})
    with (results / "results.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rank", "palette", "backend", "version", "OBJ", "CE", "CU", "PC", "PQ", *roles])
        for rank, row in enumerate(ranked, start=1):
            ids = [row["palette"]["samples"].get(role, {}).get("id", "") for role in roles]
            writer.writerow(
                [rank, row["palette"]["id"], row["backend"], row["version"], *(f"{row[k]:.4f}" for k in ("OBJ", "CE", "CU", "PC", "PQ")), *ids]
            )
    out.mkdir(parents=True, exist_ok=True)
    kept = {f"palette_{rank:03d}.json" for rank in range(1, min(args.top, len(ranked)) + 1)}
    for stale in out.glob("palette_*.json"):  # left by an earlier run with a larger --top
        if re.fullmatch(r"palette_\d{3}\.json", stale.name) and stale.name not in kept:
            stale.unlink()
    for rank, row in enumerate(ranked[: args.top], start=1):
        name = f"palette_{rank:03d}"
        palette = PaletteFile.model_validate(row["palette"]).model_copy(
            update={
                "id": name,
                "scores": {
                    "backend": row["backend"],
                    "version": row["version"],
                    "screen_id": row["palette"]["id"],
                    **{k: row[k] for k in ("OBJ", "CE", "CU", "PC", "PQ", *CHARACTER)},
                },
            }
        )
        write_json(out / f"{name}.json", palette.model_dump())
    objs = np.array([r["OBJ"] for r in ranked])
    console.print(f"OBJ ({args.scorer}) min {objs.min():.3f} median {np.median(objs):.3f} max {objs.max():.3f}")
    console.print(f"ranked CSV: {results / 'results.csv'}; top {min(args.top, len(ranked))} in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
