"""Benchmark: reading a new vibe text on one core, the reader (vibe-proxy-5) against the anchors alone (vibe-proxy-3's text side).

    OMP_NUM_THREADS=1 .venv/bin/python scripts/bench_reader.py [--texts 120] [--set dev-v1]

Both read the same texts, which neither has seen: each run uses a fresh
embedding cache, so every text (and every unknown word) goes through MiniLM.
The model and the shipped concept bank are loaded before timing. Prints the
median and 95th percentile per text for first reads and for cached re-reads,
and the ratio of medians (reader / anchors) measured in this run.
"""

from __future__ import annotations

import os
import tempfile
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ["VIBESYNTH_CACHE"] = tempfile.mkdtemp(prefix="bench_reader_")

import numpy as np  # noqa: E402
import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from aesthetics.embed import _model, embed_texts  # noqa: E402
from aesthetics.vibe.anchors import anchor_targets  # noqa: E402
from aesthetics.vibe.reader import _concept_bank, _read, normalise, read  # noqa: E402
from optimize.eval.reader_check import load_frozen  # noqa: E402


def _times(fn, texts: list[str]) -> np.ndarray:
    out = []
    for text in texts:
        start = time.perf_counter()
        fn(text)
        out.append((time.perf_counter() - start) * 1000.0)
    return np.array(out)


def main(texts: int = typer.Option(120, help="texts per reader"), vibe_set: str = typer.Option("dev-v1", "--set")) -> None:
    items = [item["text"] for item in load_frozen(vibe_set)]
    _model().embed("warm up")
    _concept_bank()
    embed_texts(["warm up the anchors"])
    anchor_targets("warm up")
    # Disjoint halves: neither reader benefits from the other's cached embeddings.
    reader_texts, anchor_texts = items[:texts], items[texts : 2 * texts] or items[:texts]
    first = {"reader (vibe-proxy-5)": _times(read, reader_texts), "anchors (vibe-proxy-3)": _times(anchor_targets, anchor_texts)}
    _read.cache_clear()
    anchor_targets.cache_clear()
    again = {"reader (vibe-proxy-5)": _times(read, reader_texts), "anchors (vibe-proxy-3)": _times(anchor_targets, anchor_texts)}
    table = Table(title=f"reading a vibe text, ms per text, one core ({len(reader_texts)} texts of {vibe_set} each)")
    for column in ("reader", "first read: median", "p95", "cached re-read: median", "p95"):
        table.add_column(column, justify="left" if column == "reader" else "right")
    for name in first:
        table.add_row(
            name,
            f"{np.median(first[name]):.1f}",
            f"{np.percentile(first[name], 95):.1f}",
            f"{np.median(again[name]):.2f}",
            f"{np.percentile(again[name], 95):.2f}",
        )
    Console().print(table)
    ratio = np.median(first["reader (vibe-proxy-5)"]) / np.median(first["anchors (vibe-proxy-3)"])
    print(f"first read, median: reader / anchors = {ratio:.2f}x (texts normalised like {normalise('A  Text')!r})")


if __name__ == "__main__":
    typer.run(main)
