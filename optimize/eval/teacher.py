"""Teacher datasets: JSONL files of (vibe, config) records that the `teacher` producer looks up.

Record schema (one JSON object per line, plain or gzipped; `vibesynth teacher` writes
`OUT/dataset/{split}.jsonl.gz` in this shape, with `teacher` and `candidates` beside):

    {"vibe": "rainy afternoon in Tokyo",          # required, non-empty string
     "config": {...all 19 MusicConfig fields...},  # required, must validate
     "source": "best-of-8 search, judge vibe",     # optional: who made the config
     "reward": 0.71,                               # optional: the judge reward it got
     "split": "train", "id": "train-00012", ...}   # optional: anything else is kept, ignored here

Vibes are matched on normalised text (lowercase, punctuation dropped,
whitespace collapsed). A vibe given twice must have the same config.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from optimize.vibes.data import read_jsonl
from optimize.vibes.generate import normalise
from tools.errors import ConfigError
from tools.schema import MusicConfig

EMBEDDINGS = "embeddings.npz"  # the MiniLM vectors of a dataset's vibes (retrieval needs no re-embedding)


@dataclass(frozen=True)
class TeacherRecord:
    vibe: str
    config: MusicConfig
    source: str | None
    reward: float | None


class TeacherSet:
    """Configs by normalised vibe text."""

    def __init__(self, records: list[TeacherRecord], path: Path | None = None, embeddings: dict[str, np.ndarray] | None = None) -> None:
        self.path = path
        self.records = records
        self.embeddings = embeddings or {}  # vibe text -> MiniLM vector, shipped beside the dataset
        self._by_vibe: dict[str, TeacherRecord] = {}
        for record in records:
            key = normalise(record.vibe)
            old = self._by_vibe.get(key)
            if old is not None and old.config != record.config:
                raise ConfigError(f"teacher file {path}: vibe {record.vibe!r} appears twice with different configs; keep one")
            self._by_vibe[key] = record

    def get(self, vibe: str) -> TeacherRecord | None:
        return self._by_vibe.get(normalise(vibe))

    def __len__(self) -> int:
        return len(self._by_vibe)


def load_teacher(paths: str | Path) -> TeacherSet:
    """Teacher files or dataset folders (`vibesynth teacher`'s OUT/dataset/: every *.jsonl[.gz] in it), several
    joined by commas ("optimize/data/teacher-v2,optimize/data/teacher-v2/control"). The vibes' embeddings
    (EMBEDDINGS, written by the export) come along when they are there."""
    records, embeddings = [], {}
    for part in str(paths).split(","):
        path = Path(part.strip()).expanduser()
        if not path.is_dir():
            records += _records(path)
            embeddings.update(load_embeddings(path.parent / EMBEDDINGS))
            continue
        files = sorted([*path.glob("*.jsonl"), *path.glob("*.jsonl.gz")])
        if not files:
            raise ConfigError(f"teacher folder {path} holds no .jsonl or .jsonl.gz file; pass a dataset folder or file")
        records += [record for file in files for record in _records(file)]
        embeddings.update(load_embeddings(path / EMBEDDINGS))
    return TeacherSet(records, Path(str(paths)), embeddings)


def load_embeddings(path: Path) -> dict[str, np.ndarray]:
    """text -> vector from a dataset's embeddings file; none when it is missing or from another embedder."""
    if not path.is_file():
        return {}
    from aesthetics.embed import EMBED_VERSION

    with np.load(path) as data:
        if str(data["version"]) != EMBED_VERSION:
            return {}
        return dict(zip(data["texts"].tolist(), data["vectors"], strict=True))


def _records(path: Path) -> list[TeacherRecord]:
    rows = read_jsonl(path, "teacher file")
    if not rows:
        raise ConfigError(f'teacher file {path} is empty; it needs lines of {{"vibe": ..., "config": {{...}}}}')
    records = []
    for n, row in enumerate(rows, 1):
        vibe = row.get("vibe")
        if not isinstance(vibe, str) or not vibe.strip():
            raise ConfigError(f'teacher file {path}: record {n} has no `vibe` text; each line needs "vibe" and "config"')
        if "config" not in row:
            raise ConfigError(f'teacher file {path}: record {n} has no `config`; each line needs "vibe" and "config"')
        try:
            config = MusicConfig.parse(row["config"])
        except ConfigError as err:
            first = str(err).splitlines()[-1].strip()
            raise ConfigError(f"teacher file {path}: record {n} has an invalid config ({first})") from None
        reward = row.get("reward")
        records.append(TeacherRecord(vibe, config, row.get("source"), float(reward) if reward is not None else None))
    return records
