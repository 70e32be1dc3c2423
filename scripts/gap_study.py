#!/usr/bin/env python3
"""The four-experiment gap test of seeds/002: where does a policy lose to the reference?

    .venv/bin/python scripts/gap_study.py --palette palettes/curated/palette_001.json --replicas 5

A = reference at the target length (32 bars), B = reference at the other
length (64), C = policy at 32, D = policy at 64. Deltas: duration (B-A),
decisions (C-A), decisions at 64 (D-B), policy duration (D-C), total (D-A),
each with a 95% t-interval over replicas (one policy seed per replica).
The policy is any Policy (reference.policy) that `--lm` of `vibesynth dj`
names: "random" (a random DJ through the same tools), "reference",
"package.module:attribute", or a model string (an LM through dspy.RLM).
Scores come from the one metric (agent.metric.AudioMetric).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.metric import AudioMetric  # noqa: E402
from agent.policies import parse_policy  # noqa: E402
from palettes.library import load_palette  # noqa: E402
from reference.policies import FixedPolicy  # noqa: E402
from reference.policy import Policy, Stage  # noqa: E402
from tools.errors import VibesynthError  # noqa: E402
from tools.files import write_json  # noqa: E402
from tools.loudness import normalize_peak  # noqa: E402
from tools.mixer import MixerSession, SetComplete  # noqa: E402
from tools.run_record import write_run  # noqa: E402

console = Console()
DELTAS = {
    "duration (B-A)": ("B", "A"),
    "decisions (C-A)": ("C", "A"),
    "decisions at 64 (D-B)": ("D", "B"),
    "policy duration (D-C)": ("D", "C"),
    "total (D-A)": ("D", "A"),
}


def run(palette, policy: Policy, bars: int, bpm: float, seed: int, brief: str) -> np.ndarray:
    session = MixerSession(palette.samples, bpm, bars, seed=seed, alternatives=palette.alternatives)
    try:
        policy.play(Stage.of_session(session, seed=seed, brief=brief))
    except SetComplete:
        pass
    return normalize_peak(session.render())


def interval(values: np.ndarray) -> tuple[float, tuple[float, float] | None]:
    """(mean, 95% t-interval); the interval is None when it cannot be estimated (n < 2 or no spread)."""
    mean = float(values.mean())
    if values.size < 2 or values.max() == values.min():
        return mean, None
    low, high = stats.t.interval(0.95, values.size - 1, loc=mean, scale=stats.sem(values))
    return mean, (float(low), float(high))


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return value


def tempo(text: str) -> float:
    value = float(text)
    if not 60 <= value <= 200:
        raise argparse.ArgumentTypeError(f"{text} is outside 60..200 BPM; pick a tempo in range (or omit it for the palette's)")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--palette", type=Path, default=ROOT / "palettes" / "curated" / "palette_001.json")
    parser.add_argument("--policy", default="random", help="random | reference | package.module:attribute | PROVIDER/MODEL (an LM)")
    parser.add_argument("--brief", default="dark warehouse techno, hypnotic", help="the brief (LM policies read it)")
    parser.add_argument("--replicas", type=positive, default=5)
    parser.add_argument("--bpm", type=tempo, default=None, help="60..200; default: the palette's")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scorer", default="dsp")
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "score-gap")
    args = parser.parse_args(argv)

    palette = load_palette(args.palette)
    try:
        policy = parse_policy(args.policy)
        for bars in (32, 64):
            policy.check(bars, None)
        metric = AudioMetric(args.scorer)
        metric.check()
    except VibesynthError as err:
        parser.error(str(err))
    reference = FixedPolicy()
    bpm = palette.bpm if args.bpm is None else args.bpm
    seeds = [args.seed + r for r in range(args.replicas)]
    objs: dict[str, list[float]] = {k: [] for k in "ABCD"}
    for seed in seeds:
        for name, who, bars in (("A", reference, 32), ("B", reference, 64), ("C", policy, 32), ("D", policy, 64)):
            audio = run(palette, who, bars, bpm, seed, args.brief)
            objs[name].append(metric({"brief": args.brief}, {"audio": audio, "sample_rate": 44100}))
        console.print(f"seed {seed}: " + "  ".join(f"{k}={v[-1]:.3f}" for k, v in objs.items()))

    proxy = " = proxy" if args.scorer == "dsp" else ""
    table = Table("delta", "mean OBJ", "95% CI", title=f"gap test (scorer {args.scorer}{proxy}, policy {policy.label}, n={len(seeds)})")
    summary = {}
    for label, (left, right) in DELTAS.items():
        mean, ci = interval(np.array(objs[left]) - np.array(objs[right]))
        summary[label] = {"mean": mean, "ci95": list(ci) if ci else None}
        table.add_row(label, f"{mean:+.3f}", f"[{ci[0]:+.3f}, {ci[1]:+.3f}]" if ci else "n/a (n < 2 or no spread)")
    console.print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    config = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    write_run(args.out, {**config, "bpm": bpm, "scorer_is_proxy": args.scorer == "dsp"})
    write_json(args.out / "results.json", {"obj": objs, "deltas": summary, "seeds": seeds})
    console.print(f"results: {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
