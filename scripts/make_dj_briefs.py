"""Build the DJ brief sets (optimize/data/dj-briefs): train/val/test briefs with held-out concepts and contrast pairs.

    python scripts/make_dj_briefs.py [--seed 0] [--out optimize/data/dj-briefs]

Near-duplicates are found with all-MiniLM-L6-v2 embeddings (aesthetics.embed), as for the vibe sets.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the numpy MiniLM forward is ~10x faster single-threaded here
from pathlib import Path

from optimize.vibes.dj_briefs import SIZES, build, contrast_pairs, write_sets
from optimize.vibes.generate import NEAR_DUPLICATE

OUT = Path(__file__).resolve().parents[1] / "optimize" / "data" / "dj-briefs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--threshold", type=float, default=NEAR_DUPLICATE, help="cosine at or above which two briefs are one")
    args = parser.parse_args()
    from aesthetics.embed import embed_texts

    splits, held, stats = build(embed_texts, seed=args.seed, threshold=args.threshold)
    pairs = contrast_pairs(held, seed=args.seed)
    config = {"seed": args.seed, "threshold": args.threshold, "sizes": SIZES, "embedder": "all-MiniLM-L6-v2"}
    write_sets(args.out, splits, held, stats, pairs, config)
    print(f"wrote {', '.join(f'{k} {v}' for k, v in stats.sizes.items())} briefs and {len(pairs)} contrast pairs to {args.out}")


if __name__ == "__main__":
    main()
