"""The refiner's last reader: the nearest labelled instruction of the edit tuning sets (MiniLM cosine).

When no rule of `reference.refiner` reads any word of an instruction as an edit ("the wobble makes me
seasick", "stop the wobbling entirely"), the instruction is compared with the instructions of the tuning
sets in `optimize/data/edits/`, each labelled by its writer with the edit it asks. If the nearest one is
close enough (cosine >= its THRESHOLD, chosen by leave-one-set-out on those sets), its edit is applied and
the edit's notes name the instruction it was read as; otherwise the instruction is refused as before.

The memory ships as `refine_memory.npz` (built by `scripts/build_refine_memory.py`, which refuses the
held-out set of the day): the instructions, their labels as JSON, their embeddings, the embedding model's
version and the threshold. Same instruction, same edit.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from tools.errors import ScorerError

MEMORY = Path(__file__).with_name("refine_memory.npz")
REBUILD = "rebuild it with `.venv/bin/python scripts/build_refine_memory.py`"


@dataclass(frozen=True)
class Recall:
    instruction: str  # the labelled instruction it was read as
    expect: list[dict]  # its label: [{"field", "move", "steps"} | {"field", "value"}]
    cosine: float


class Memory:
    """Labelled instructions and their embeddings; `recall(text)` is the nearest one above the threshold, or None."""

    def __init__(self, instructions: list[str], expects: list[list[dict]], vectors: np.ndarray, threshold: float):
        self.instructions, self.expects, self.threshold = instructions, expects, threshold
        self.vectors = vectors.astype(np.float16).astype(np.float32)  # as shipped: float16 halves the file

    def recall(self, text: str) -> Recall | None:
        from aesthetics.embed import embed_texts

        cosines = self.vectors @ embed_texts([text])[0]
        best = int(np.argmax(cosines))  # ties: the first in memory order
        if cosines[best] < self.threshold:
            return None
        return Recall(self.instructions[best], self.expects[best], round(float(cosines[best]), 3))

    def save(self, path: Path, sources: dict[str, str]) -> None:
        """Write the memory (`sources`: set name -> sha256 of the file it came from) atomically."""
        from aesthetics.embed import EMBED_VERSION
        from tools.files import write_bytes

        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            instructions=np.array(self.instructions),
            vectors=self.vectors.astype(np.float16),
            expects=np.array([json.dumps(e, sort_keys=True) for e in self.expects]),
            threshold=np.float32(self.threshold),
            embed_version=np.array(EMBED_VERSION),
            sources=np.array(json.dumps(sources, sort_keys=True)),
        )
        write_bytes(path, buffer.getvalue())


def load(path: Path = MEMORY) -> Memory:
    """The memory at `path`; a missing or foreign file raises with the rebuild command."""
    from aesthetics.embed import EMBED_VERSION

    if not path.is_file():
        raise ScorerError(f"the refiner's instruction memory {path} is missing; {REBUILD}")
    with np.load(path, allow_pickle=False) as data:
        if str(data["embed_version"]) != EMBED_VERSION:
            raise ScorerError(f"the refiner's instruction memory {path} was embedded with {data['embed_version']}, not {EMBED_VERSION}; {REBUILD}")
        return Memory(
            [str(t) for t in data["instructions"]], [json.loads(str(e)) for e in data["expects"]], data["vectors"], float(data["threshold"])
        )


def sources(path: Path = MEMORY) -> dict[str, str]:
    """The sets the memory holds: name -> sha256 of the file."""
    with np.load(path, allow_pickle=False) as data:
        return json.loads(str(data["sources"]))


@lru_cache(maxsize=1)
def shipped() -> Memory:
    return load(MEMORY)
