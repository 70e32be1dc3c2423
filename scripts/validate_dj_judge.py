"""2AFC validation of the `dj` judge on the frozen held-out DJ briefs (optimize/data/dj/heldout-v1.jsonl).

    .venv/bin/python scripts/validate_dj_judge.py [--bars 32] [--workers 2] [--out runs/dj-judge-validation]

For every brief of every pair, the brief-reading reference policy plays its set
(palette and tempo from reference.brief_mapper, arrangement from
reference.set_rules) through the mixer, `--bars` long, seed 0. A trial: under
brief A, the judge must score A's set above B's (a tie is a miss); two trials
per pair (under A and under B). Reported per axis and overall: n, hit rate,
Wilson 95 % CI and an exact binomial test against chance (0.5), for the `dj`
judge and, on the same sets, the ambient `vibe` judge. Rendered sets' features
are kept in `features.json` (a rerun resumes from them); results.json holds the
settings beside the numbers. Both are written atomically.
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table
from scipy import stats

from optimize.eval.reader_check import load_frozen, wilson
from tools.files import file_sha256, write_json

SET_FOLDER = Path(__file__).resolve().parents[1] / "optimize" / "data" / "dj"
SET_NAME = "heldout-v1"
console = Console()


def play_and_measure(job: tuple[str, int]) -> dict:
    """Features of the set the reference policy plays for a brief: the dj and the vibe judges' measurements."""
    brief, bars = job
    from aesthetics.dj.scorer import DjScorer
    from aesthetics.vibe.scorer import VibeScorer
    from palettes import curated_palettes
    from palettes.library import load_palette
    from reference.brief_mapper import choose
    from reference.policies import ReferencePolicy
    from reference.policy import Stage
    from tools.loudness import normalize_peak
    from tools.mixer import MixerSession, SetComplete

    choice = choose(brief, curated_palettes())
    palette = load_palette(choice.palette)
    bpm = palette.bpm if choice.bpm is None else choice.bpm
    session = MixerSession(palette.samples, bpm, bars, seed=0, alternatives=palette.alternatives)
    try:
        ReferencePolicy().play(Stage.of_session(session, brief=brief))
    except SetComplete:
        pass
    audio = normalize_peak(session.render())
    return {"brief": brief, "palette": choice.palette.stem, "bpm": bpm,
            "dj": DjScorer().audio_features(audio, session.sample_rate),
            "vibe": VibeScorer().audio_features(audio, session.sample_rate)}


def trials(pairs: list[dict], features: dict[str, dict], judge: str) -> list[dict]:
    from aesthetics.dj.scorer import DjScorer
    from aesthetics.vibe.scorer import VibeScorer

    scorer = DjScorer() if judge == "dj" else VibeScorer()
    key = f"{judge}_reward"
    out = []
    for pair in pairs:
        for own, other in (("a", "b"), ("b", "a")):
            brief = pair[own]
            mine = scorer.judge_features(features[pair[own]][judge], brief).extra[key]
            theirs = scorer.judge_features(features[pair[other]][judge], brief).extra[key]
            out.append({"id": pair["id"], "axis": pair["axis"], "under": own, "own": mine, "other": theirs,
                        "hit": mine > theirs, "tie": mine == theirs})
    return out


def summarise(rows: list[dict]) -> dict:
    groups = {"all": rows, **{axis: [r for r in rows if r["axis"] == axis] for axis in sorted({r["axis"] for r in rows})}}
    summary = {}
    for name, group in groups.items():
        hits = sum(r["hit"] for r in group)
        summary[name] = {**wilson(hits, len(group)), "ties": sum(r["tie"] for r in group),
                         "p_vs_chance": float(stats.binomtest(hits, len(group), 0.5, alternative="greater").pvalue)}
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bars", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("runs/dj-judge-validation"))
    args = parser.parse_args()
    pairs = load_frozen(SET_NAME, SET_FOLDER)
    args.out.mkdir(parents=True, exist_ok=True)
    cache = args.out / "features.json"
    features: dict[str, dict] = json.loads(cache.read_text()) if cache.exists() else {}
    if features and features.get("_bars") != args.bars:
        raise SystemExit(f"{cache} holds {features.get('_bars')}-bar sets; pass --bars {features.get('_bars')} or another --out")
    features["_bars"] = args.bars
    todo = sorted({p[side] for p in pairs for side in "ab"} - set(features))
    with ProcessPoolExecutor(args.workers) as pool:
        for done in track(pool.map(play_and_measure, [(b, args.bars) for b in todo]), total=len(todo),
                          description="playing and measuring the held-out briefs' sets"):
            features[done["brief"]] = done
            write_json(cache, features)
    results = {"settings": {"set": f"{SET_NAME}.jsonl", "set_sha256": file_sha256(SET_FOLDER / f"{SET_NAME}.jsonl"),
                            "bars": args.bars, "seed": 0, "policy": "reference (reference.set_rules)",
                            "trial": "under brief A, A's set must score above B's; ties are misses"}}
    table = Table("judge", "group", "n", "hit rate", "95% CI (Wilson)", "ties", "p (binomial, > 0.5)")
    for judge in ("dj", "vibe"):
        rows = trials(pairs, features, judge)
        summary = summarise(rows)
        results[judge] = {"summary": summary, "trials": rows}
        for name, s in summary.items():
            table.add_row(judge, name, str(s["n"]), f"{s['rate']:.3f}", f"[{s['ci95'][0]:.3f}, {s['ci95'][1]:.3f}]",
                          str(s["ties"]), f"{s['p_vs_chance']:.2g}")
    write_json(args.out / "results.json", results)
    console.print(table)
    console.print(f"results in {args.out / 'results.json'}")


if __name__ == "__main__":
    main()
