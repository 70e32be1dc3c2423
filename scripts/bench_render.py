"""Realtime factors of our ambient engine next to LatentScore's synth, side by side in one run.

    .venv/bin/python scripts/bench_render.py [--repeats 3] [--durations 30 120]

LatentScore (the reference) is not a dependency; install it into the
project environment first (its synth needs only numpy, scipy, pydantic and
soundfile, which are already there):

    .venv/bin/pip install --no-deps latentscore==0.1.8

Two races, printed side by side in one run: in process (render calls
only, after warm-up) and whole process (a fresh interpreter per run:
start-up, imports, render, write; `vibesynth render --config` against a
script that imports LatentScore's synth, renders and writes a WAV).

Both engines render the same three configs with a seeded generator; each
timing is the best of `--repeats` runs (the machine is shared, so the
minimum is the least noisy estimate). CPU time (all threads) is shown too: it
is steadier than wall time when other jobs share the cores, and it does not
credit our use of a second thread for the loudness/true-peak measurement.
Ours includes everything `render_config` does (stereo, reverb, echo,
loudness normalisation and true-peak control); LatentScore's `assemble`
renders mono with its own peak normalisation.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from tools.ambient import render_config
from tools.schema import EXAMPLE, MusicConfig

CONFIGS = {
    "sparse (density 2)": {**EXAMPLE, "density": 2, "rhythm": "none", "texture": "none", "accent": "none", "depth": False, "grain": "clean"},
    "seeds' example (density 4)": EXAMPLE,
    "dense gritty fast (density 6)": {
        **EXAMPLE,
        "density": 6,
        "grain": "gritty",
        "tempo": "very_fast",
        "rhythm": "kit_medium",
        "texture": "glitch",
        "accent": "blip_random",
        "bass": "arp_bass",
        "melody": "arp_melody",
        "motion": "chaotic",
    },
}
INSTALL = ".venv/bin/pip install --no-deps latentscore==0.1.8"
ROOT = Path(__file__).resolve().parents[1]
# LatentScore's side of the whole-process race: import, render, write a WAV (its synth's own entry points).
THEIR_SCRIPT = """
import json, sys
import numpy as np
import soundfile as sf
from latentscore.config import MusicConfig
from latentscore.synth import assemble
raw = json.load(open(sys.argv[1]))
audio = assemble(MusicConfig(**raw).to_internal(), float(sys.argv[2]), rng=np.random.default_rng(0))
sf.write(sys.argv[3], audio, 44100)
"""


def _latentscore():
    try:
        from latentscore.config import MusicConfig as LSConfig
        from latentscore.synth import assemble
    except ImportError:
        Console(stderr=True).print(f"[bold red]error:[/] LatentScore (the reference engine) is not installed; run:\n  {INSTALL}")
        sys.exit(2)
    return LSConfig, assemble


def _best(fn, repeats: int) -> tuple[float, float]:
    """Best wall-clock and best CPU time (all threads of this process) over the repeats."""
    wall = cpu = float("inf")
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--durations", type=float, nargs="+", default=[30.0, 120.0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--process-seconds", type=float, default=60.0, help="Render length of the whole-process race.")
    args = parser.parse_args()
    ls_config, assemble = _latentscore()
    console = Console()
    table = Table(title="Ambient render speed (x realtime, best of %d)" % args.repeats)
    for column in ("config", "duration", "ours xRT (stereo)", "LatentScore xRT (mono)", "speed ratio (wall)", "speed ratio (CPU time)"):
        table.add_column(column, justify="left" if column == "config" else "right")
    render_config(MusicConfig.parse(EXAMPLE), 2.0)  # warm caches and imports for both
    assemble(ls_config(**EXAMPLE).to_internal(), 2.0, rng=np.random.default_rng(0))
    ratios = []
    for name, raw in CONFIGS.items():
        ours_config, theirs_config = MusicConfig.parse(raw), ls_config(**raw).to_internal()
        for duration in args.durations:
            with console.status(f"{name}, {duration:.0f} s"):
                ours, ours_cpu = _best(lambda: render_config(ours_config, duration, seed=0), args.repeats)
                theirs, theirs_cpu = _best(lambda: assemble(theirs_config, duration, rng=np.random.default_rng(0)), args.repeats)
            ratios.append(theirs / ours)
            table.add_row(
                name,
                f"{duration:.0f} s",
                f"{duration / ours:.0f}x",
                f"{duration / theirs:.0f}x",
                f"{theirs / ours:.2f}x",
                f"{theirs_cpu / ours_cpu:.2f}x",
            )
    console.print(table)
    console.print(f"in process: slowest wall-clock ratio {min(ratios):.2f}x (target >= 4x)")
    _whole_process(console, args.process_seconds, args.repeats)


def _wall(command: list[str], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def _whole_process(console: Console, seconds: float, repeats: int) -> None:
    """Start-up + render + write, each a fresh interpreter: `vibesynth render` against LatentScore's synth script."""
    table = Table(title=f"Whole process, {seconds:g} s render (fresh interpreter, best of {repeats})")
    for column in ("config", "ours: vibesynth render (s)", "LatentScore script (s)", "speed ratio (wall)"):
        table.add_column(column, justify="left" if column == "config" else "right")
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, raw in CONFIGS.items():
            config = Path(tmp) / "config.json"
            config.write_text(json.dumps(raw))
            ours = _wall(
                [sys.executable, "-m", "vibesynth", "render", "--config", str(config), "--duration", f"{seconds:g}", "-o", f"{tmp}/ours.wav"], repeats
            )
            theirs = _wall([sys.executable, "-c", THEIR_SCRIPT, str(config), f"{seconds:g}", f"{tmp}/theirs.wav"], repeats)
            ratios.append(theirs / ours)
            table.add_row(name, f"{ours:.2f}", f"{theirs:.2f}", f"{theirs / ours:.2f}x")
    console.print(table)
    console.print(f"whole process: slowest wall-clock ratio {min(ratios):.2f}x (target >= 2x)")


if __name__ == "__main__":
    main()
