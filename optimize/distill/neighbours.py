"""The student's neighbours index, built from a teacher dataset's train split (agent/student/neighbours.py).

The vectors come from the dataset's `embeddings.npz` (MiniLM vectors that a
teacher export ships beside the split files; `optimize.eval.teacher.load_embeddings`);
vibes it lacks are embedded here (`aesthetics.embed`, cached on disk).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from agent.student.neighbours import DEFAULT_K, Neighbours, check_k
from optimize.distill.data import read_records, split_file
from optimize.eval.teacher import EMBEDDINGS, load_embeddings


def build_index(data: Path, k: int = DEFAULT_K, limit: int | None = None) -> Neighbours:
    """An index of the train split of `data` (a dataset folder, or one JSONL file with embeddings.npz beside it)."""
    from aesthetics.embed import embed_texts

    check_k(k)
    data = Path(data)
    records = read_records(split_file(data, "train"), limit)
    shipped = load_embeddings((data if data.is_dir() else data.parent) / EMBEDDINGS)
    vibes = [r["vibe"] for r in records]
    missing = [v for v in dict.fromkeys(vibes) if v not in shipped]
    embedded = dict(zip(missing, embed_texts(missing), strict=True)) if missing else {}
    vectors = np.asarray([shipped[v] if v in shipped else embedded[v] for v in vibes], dtype=np.float32)
    return Neighbours([(r["vibe"], r["config"]) for r in records], vectors, k)
