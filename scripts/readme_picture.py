"""The README's picture: spectrograms of what the quick start makes (ambient render and DJ set).

    .venv/bin/python scripts/readme_picture.py [-o docs/quickstart.png]

Renders the quick start's vibe (30 s, seed 1) through the Python API and plays the 32-bar
reference DJ set from the same brief as the README, then draws a log-frequency spectrogram of
each (mid channel) with the dsp proxy's OBJ in the title. Same inputs, same picture.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import typer  # noqa: E402
from scipy.signal import spectrogram  # noqa: E402

import vibesynth  # noqa: E402
from tools.errors import VibesynthError  # noqa: E402
from tools.files import write_atomic  # noqa: E402


def _panel(ax, audio: np.ndarray, rate: int, title: str) -> None:
    freqs, times, power = spectrogram(audio.mean(axis=1), fs=rate, nperseg=2048, noverlap=1024)
    keep = freqs >= 30
    db = 10 * np.log10(power[keep] + 1e-12)
    ax.pcolormesh(times, freqs[keep], db, shading="auto", cmap="magma", vmin=db.max() - 80, vmax=db.max())
    ax.set_yscale("log")
    ax.set_ylim(30, rate / 2)
    ax.set_xlabel("seconds")
    ax.set_ylabel("Hz")
    ax.set_title(title, fontsize=10)


def main(out: Path = typer.Option(Path("docs/quickstart.png"), "-o", "--out", help="PNG to write.")) -> None:
    try:
        piece = vibesynth.render("rainy afternoon in Tokyo", duration=30, seed=1)
        mix = vibesynth.dj("dark warehouse techno, hypnotic", bars=32)
    except VibesynthError as err:  # e.g. no sample library yet: the line says to run `vibesynth palettes build`
        print(f"error: {err}", file=sys.stderr)
        raise typer.Exit(2) from None
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), constrained_layout=True)
    _panel(axes[0], piece.audio, piece.sample_rate, f'render "rainy afternoon in Tokyo" (dsp OBJ {piece.scores.OBJ:.2f})')
    _panel(axes[1], mix.audio, mix.sample_rate, f'dj "dark warehouse techno, hypnotic" (dsp OBJ {mix.scores.OBJ:.2f})')
    write_atomic(out, lambda tmp: fig.savefig(tmp, dpi=90, format="png", metadata={"Software": None}))
    print(f"wrote {out}")


if __name__ == "__main__":
    typer.run(main)
