"""Build aesthetics/vibe/concepts.npz: the MiniLM embeddings of every concept phrase the reader knows.

    .venv/bin/python scripts/build_reader_bank.py

The reader compares a word it does not know with these phrases
(`aesthetics.vibe.reader`); shipping them saves every user the ~40 s of
embedding ~1,000 phrases on first use. The file records a digest of the phrase
list and the embedding model, and the reader refuses a stale bank with a line
naming this script. Deterministic: same tables, same file.
"""

from __future__ import annotations

import io

import numpy as np
from rich.progress import track

from aesthetics.embed import embed_texts
from aesthetics.vibe.reader import BANK, bank_digest, concept_phrases
from tools.files import write_bytes


def main() -> None:
    phrases = concept_phrases()
    vectors = np.stack([embed_texts([p])[0] for p in track(phrases, description="embedding concept phrases")])
    buffer = io.BytesIO()
    np.savez(buffer, vectors=vectors.astype(np.float32), digest=np.array(bank_digest()))
    write_bytes(BANK, buffer.getvalue())
    print(f"wrote {BANK} ({len(phrases)} phrases)")


if __name__ == "__main__":
    main()
