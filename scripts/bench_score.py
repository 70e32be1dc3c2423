"""Benchmark: dsp proxy scoring throughput on 60 s stereo 44.1 kHz clips, as a realtime factor.

Reference measured in the same run: pyloudnorm's integrated loudness alone
on the same clip (the cheapest single descriptor a scorer could compute).
The exact true peak runs in a second thread beside the analysis, so the dsp
wall time can be below its CPU time (both columns are printed; on a busy
machine the wall time rises towards the CPU time).

    .venv/bin/python scripts/bench_score.py [--clips 5] [--seconds 60]
"""

from __future__ import annotations

import time

import numpy as np
import pyloudnorm
import typer
from rich.console import Console
from rich.table import Table

from aesthetics import get_scorer
from reference.vibe_mapper import map_vibe
from tools.ambient import render_config

SR = 44100


def _best_of(fn, repeats: int) -> tuple[float, float]:
    """Best wall time and best CPU time (all threads) of `repeats` calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main(clips: int = 3, seconds: float = 60.0, repeats: int = 3) -> None:
    console = Console()
    scorer = get_scorer("dsp")
    meter = pyloudnorm.Meter(SR)
    table = Table(title=f"dsp proxy scoring, {seconds:g} s stereo {SR} Hz clips (best of {repeats})")
    for column in (
        "clip",
        "dsp score s",
        "dsp x realtime",
        "dsp CPU s",
        "dsp CPU x realtime",
        "pyloudnorm LUFS s",
        "LUFS x realtime",
        "dsp / LUFS time",
    ):
        table.add_column(column, justify="right")
    factors, cpu_factors = [], []
    for seed in range(clips):
        audio = render_config(map_vibe(["rainy afternoon in Tokyo", "dark berlin techno", "sunrise over the sea"][seed % 3]), seconds, seed=seed)
        scorer.score(audio, SR)  # warm caches
        t_dsp, cpu_dsp = _best_of(lambda a=audio: scorer.score(a, SR), repeats)
        t_ref, _ = _best_of(lambda a=audio: meter.integrated_loudness(a.astype(np.float64)), repeats)
        factors.append(seconds / t_dsp)
        cpu_factors.append(seconds / cpu_dsp)
        table.add_row(
            str(seed),
            f"{t_dsp:.3f}",
            f"{seconds / t_dsp:.0f}x",
            f"{cpu_dsp:.3f}",
            f"{seconds / cpu_dsp:.0f}x",
            f"{t_ref:.3f}",
            f"{seconds / t_ref:.0f}x",
            f"{t_dsp / t_ref:.2f}",
        )
    console.print(table)
    console.print(f"median dsp realtime factor: {np.median(factors):.0f}x wall, {np.median(cpu_factors):.0f}x CPU (target >= 300x)")


if __name__ == "__main__":
    typer.run(main)
