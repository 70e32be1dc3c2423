"""Latency per config of the student's constrained decoder, next to plain greedy `generate`, in one run.

    .venv-train/bin/python scripts/bench_student.py --model runs/distill/sft/model [--vibes 20] [--threads 2]

The reference is what a user gets without our decoder: transformers'
`generate` (greedy, KV cache, up to 110 new tokens, cut at the first JSON
object), on the same model, vibes and threads. Ours is `FieldDecoder` (valid
by construction, one forward pass per branch point). Both run once on a
warm-up vibe first. Prints per-config mean with a 95 % bootstrap interval,
forward passes, and the speed-up (mean reference / mean ours) with its paired
bootstrap interval and a Wilcoxon signed-rank test on the per-vibe pairs.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from agent.student.model import Student
from optimize.distill.base import resolve
from optimize.distill.export import held_out_vibes
from optimize.eval.stats import paired_test, ratio_of_means, summarise
from tools.errors import ConfigError
from tools.schema import MusicConfig


def _timed(function, vibes: list[str]) -> tuple[list[float], list]:
    seconds, outputs = [], []
    for vibe in vibes:
        started = time.perf_counter()
        outputs.append(function(vibe))
        seconds.append(time.perf_counter() - started)
    return seconds, outputs


def _interval(values) -> tuple[float, float, float]:
    summary = summarise(values)
    return summary["mean"], *summary["ci95"]


def _valid(text: str) -> bool:
    try:
        MusicConfig.parse(text)
        return True
    except ConfigError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="gemma-270m", help="A model folder, or gemma-270m (the untrained base).")
    parser.add_argument("--data", default=None, help="Teacher dataset whose test vibes to use (default: the test vibe set).")
    parser.add_argument("--vibes", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", default=None, help="Also write the numbers to this file.")
    args = parser.parse_args()

    student = Student(resolve(args.model), threads=args.threads)
    vibes = held_out_vibes(Path(args.data) if args.data else None, args.vibes + 1)
    student.decoder(vibes[0])
    student.free(vibes[0])
    vibes = vibes[1:]
    ours, decoded = _timed(student.decoder, vibes)
    reference, free = _timed(student.free, vibes)
    rows = {
        "constrained FieldDecoder (ours)": (_interval(ours), np.mean([d.forward_passes for d in decoded]),
                                            np.mean([_valid(d.text) for d in decoded])),
        "transformers generate, greedy (reference)": (_interval(reference), None, np.mean([_valid(t) for t in free])),
    }
    table = Table(title=f"student latency per config: {args.model}, n = {len(vibes)} vibes, {args.threads} threads")
    for column in ("decoder", "seconds per config (95% CI)", "forward passes", "valid configs"):
        table.add_column(column)
    for name, ((mean, low, high), passes, valid) in rows.items():
        table.add_row(name, f"{mean:.3f} [{low:.3f}, {high:.3f}]", "-" if passes is None else f"{passes:.1f}", f"{valid:.0%}")
    console = Console()
    console.print(table)
    speedup = ratio_of_means(reference, ours)
    test = paired_test(reference, ours)
    low, high = (bound / 100 for bound in speedup["ci95"])
    console.print(f"speed-up, mean reference / mean ours, paired: {speedup['mean'] / 100:.2f}x [{low:.2f}, {high:.2f}] "
                  f"(n = {len(vibes)}, Wilcoxon p = {test['p']:.2g})")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "model": args.model, "threads": args.threads, "n": len(vibes), "ours_s": ours, "reference_s": reference,
            "ours_passes": [d.forward_passes for d in decoded], "reference_valid": [_valid(t) for t in free],
        }, indent=2))


if __name__ == "__main__":
    main()
