"""Build the vibe sets (optimize/data/vibes): templates over the taxonomy, deduplicated, concept hold-out splits,
and the controllability pairs.

    python scripts/make_vibe_sets.py [--seed 0] [--out optimize/data/vibes]

Near-duplicates are found with all-MiniLM-L6-v2 embeddings (aesthetics.embed).
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the numpy MiniLM forward is ~10x faster single-threaded here
from pathlib import Path

from optimize.eval.controllability import labelled_set
from optimize.vibes.card import write_sets
from optimize.vibes.data import DATA_DIR
from optimize.vibes.generate import NEAR_DUPLICATE, SIZES, build
from tools.files import write_jsonl


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    parser.add_argument("--threshold", type=float, default=NEAR_DUPLICATE, help="cosine at or above which two vibes are one")
    args = parser.parse_args()
    from aesthetics.embed import embed_texts

    splits, holdout, stats = build(embed_texts, seed=args.seed, threshold=args.threshold)
    config = {"seed": args.seed, "threshold": args.threshold, "sizes": SIZES, "embedder": "all-MiniLM-L6-v2"}
    write_sets(args.out, splits, holdout, stats, config)
    write_jsonl(args.out / "controllability.jsonl", labelled_set())
    print(f"wrote {', '.join(f'{k} {v}' for k, v in stats.sizes.items())} vibes to {args.out}")
    print(stats)


if __name__ == "__main__":
    main()
