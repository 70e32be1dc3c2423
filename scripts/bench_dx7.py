"""DX7 rendering speed: notes per second and realtime factor, ours next to raw dexed-py in one run.

    PYTHONPATH=. .venv/bin/python scripts/bench_dx7.py [--notes 64] [--repeats 3]

Reference: dexed-py's own `DexedSynth.render` of the same notes (raw mono,
unbounded level), timed in the same process. Ours: `tools.dx7.engine.render`
per note, i.e. the voice check, the dexed render, dual-mono stereo and
loudness normalisation with true-peak control. Each note is 1.5 s held +
0.5 s release at 44.1 kHz over the first 8 factory voices; timings are the
best of --repeats (the machine is shared; the minimum is the least noisy),
with CPU time beside wall time.
"""

from __future__ import annotations

import argparse
import time

import dexed
from rich.console import Console
from rich.table import Table

from tools.dx7 import engine
from tools.dx7.factory import factory_entries

HOLD, RELEASE, RATE = 1.5, 0.5, 44100


def _best(fn, repeats: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    entries = factory_entries()[:8]
    jobs = [(entries[i % 8], 36 + (i * 7) % 48) for i in range(args.notes)]

    def raw() -> None:
        synth = dexed.DexedSynth(RATE)
        for entry, note in jobs:
            synth.load_patch(dexed.Patch.from_sysex(entry.vced + b"\x3f"))
            synth.render(note, 100, HOLD, HOLD + RELEASE)

    def ours() -> None:
        for entry, note in jobs:
            engine.render(entry.voice, [engine.Note(note, 100, 0.0, HOLD, RELEASE)], RATE)

    audio_seconds = args.notes * (HOLD + RELEASE)
    table = Table(title=f"{args.notes} notes of {HOLD + RELEASE:g} s at {RATE} Hz, best of {args.repeats}")
    for col in ("renderer", "wall s", "CPU s", "notes/s (wall)", "notes/s (CPU)", "x realtime (wall)", "vs raw (CPU)"):
        table.add_column(col)
    results = {"dexed-py raw render (reference)": _best(raw, args.repeats), "vibesynth engine.render": _best(ours, args.repeats)}
    ref_cpu = results["dexed-py raw render (reference)"][1]
    for name, (wall, cpu) in results.items():
        table.add_row(
            name,
            f"{wall:.3f}",
            f"{cpu:.3f}",
            f"{args.notes / wall:.0f}",
            f"{args.notes / cpu:.0f}",
            f"{audio_seconds / wall:.0f}",
            f"{cpu / ref_cpu:.2f}x time",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
