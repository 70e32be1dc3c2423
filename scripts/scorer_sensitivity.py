"""How much does the scorer move when only duration, loudness or sample format changes?

seeds/002 found audiobox scores the same arrangement ~0.18 OBJ lower at 120 s
than at 60 s. This measures our scorer the same way, on ambient renders
(tools.ambient, one 120 s render per vibe, cut to 30/60/120 s so the
material is the same), re-levelled to -24/-16/-9 LUFS, and written as
16-bit PCM vs float32. Baseline: 60 s, -16 LUFS, float. Prints a table of
mean OBJ/CE/PQ per condition and the OBJ change from the baseline.

    .venv/bin/python scripts/scorer_sensitivity.py [--backend dsp] [--vibes 3]
"""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf
import typer
from rich.console import Console
from rich.progress import track
from rich.table import Table

from aesthetics import get_scorer
from reference.vibe_mapper import map_vibe
from tools.ambient import render_config
from tools.loudness import normalize_loudness

SR = 44100
VIBES = ("rainy afternoon in Tokyo", "sunrise over a calm sea", "dark berlin techno warehouse", "dusty lo-fi study beats")


def _pcm16(audio: np.ndarray) -> np.ndarray:
    buffer = io.BytesIO()
    sf.write(buffer, audio, SR, subtype="PCM_16", format="WAV")
    buffer.seek(0)
    return sf.read(buffer, dtype="float32", always_2d=True)[0]


def conditions(full: np.ndarray) -> dict[str, tuple[str, np.ndarray]]:
    """name -> (factor, audio); the baseline is 60 s at -16 LUFS in float."""
    base = full[: 60 * SR]
    return {
        "duration 30 s": ("duration", full[: 30 * SR]),
        "duration 60 s (baseline)": ("baseline", base),
        "duration 120 s": ("duration", full),
        "loudness -24 LUFS": ("loudness", normalize_loudness(base, SR, -24.0)),
        "loudness -9 LUFS": ("loudness", normalize_loudness(base, SR, -9.0)),
        "format 16-bit PCM": ("format", _pcm16(base)),
    }


def main(backend: str = "dsp", vibes: int = 3, seed: int = 0) -> None:
    console = Console()
    scorer = get_scorer(backend)
    rows: dict[str, list[tuple[float, float, float]]] = {}
    for vibe in track(VIBES[:vibes], description="rendering and scoring", console=console):
        full = render_config(map_vibe(vibe), 120.0, seed=seed, target_lufs=-16.0)
        for name, (_factor, audio) in conditions(full).items():
            s = scorer.score(audio, SR)
            rows.setdefault(name, []).append((s.OBJ, s.CE, s.PQ))
    base = np.mean([r[0] for r in rows["duration 60 s (baseline)"]])
    table = Table(title=f"scorer sensitivity: {scorer.backend} {scorer.version}, {vibes} ambient renders, mean over renders")
    for column in ("condition", "OBJ", "ΔOBJ vs baseline", "min..max ΔOBJ", "CE", "PQ"):
        table.add_column(column, justify="left" if column == "condition" else "right")
    baseline_each = [r[0] for r in rows["duration 60 s (baseline)"]]
    for name, values in rows.items():
        obj = np.array([v[0] for v in values])
        delta = obj - np.array(baseline_each)
        table.add_row(
            name,
            f"{obj.mean():.3f}",
            f"{obj.mean() - base:+.3f}",
            f"{delta.min():+.3f}..{delta.max():+.3f}",
            f"{np.mean([v[1] for v in values]):.3f}",
            f"{np.mean([v[2] for v in values]):.3f}",
        )
    console.print(table)
    if scorer.backend == "dsp":
        console.print("dsp scores are a weight-free PROXY of audiobox CE/CU/PC/PQ (aesthetics/dsp/scoring.py).")


if __name__ == "__main__":
    typer.run(main)
