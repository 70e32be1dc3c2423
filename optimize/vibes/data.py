"""The shipped vibe sets (package data in optimize/data/vibes) and any JSONL file of vibes.

A split is named (`train`, `val`, `test`) or given as a
path to a JSONL file whose records have at least a non-empty `vibe` string.
"""

from __future__ import annotations

from pathlib import Path

from tools import safe_json
from tools.errors import ConfigError, InputError

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "vibes"
SPLITS = ("train", "val", "test")
CONTROL_PATH = DATA_DIR / "controllability.jsonl"


def split_path(split: str) -> Path:
    """The file of a named split, or `split` itself when it is a path to a .jsonl file."""
    if split in SPLITS:
        return DATA_DIR / f"{split}.jsonl"
    path = Path(split).expanduser()
    if path.name.endswith((".jsonl", ".jsonl.gz")) or path.exists():
        return path
    raise ConfigError(f"unknown split {split!r}; use one of {', '.join(SPLITS)} or a path to a .jsonl file of vibes")


def read_jsonl(path: Path, what: str = "file") -> list[dict]:
    """One JSON object per line; `.gz` files are read through gzip (the teacher's dataset files)."""
    if not path.is_file():
        raise ConfigError(f"{what} {path} does not exist; pass a JSONL file with one JSON object per line")
    try:
        return _read_lines(path)
    except (OSError, EOFError, UnicodeDecodeError) as err:
        raise ConfigError(f"{what} {path} cannot be read ({type(err).__name__}: {err}); give UTF-8 JSONL, optionally gzipped") from None


def _read_lines(path: Path) -> list[dict]:
    records = []
    try:
        for n, record in safe_json.read_jsonl(path, "vibes file"):
            if not isinstance(record, dict):
                raise ConfigError(f"{path}:{n}: each line must be a JSON object, got {type(record).__name__}")
            records.append(record)
    except InputError as err:
        raise ConfigError(f"{err}; fix or remove the line") from None
    return records


def load_split(split: str, limit: int | None = None) -> list[dict]:
    """Records of a split, each with `id` (line-based when missing) and a non-empty `vibe`."""
    path = split_path(split)
    records = read_jsonl(path, "split")
    if not records:
        raise ConfigError(f'split {split!r} ({path}) has no vibes; give a JSONL file with at least one {{"vibe": ...}}')
    for n, record in enumerate(records, 1):
        vibe = record.get("vibe")
        if not isinstance(vibe, str) or not vibe.strip():
            raise ConfigError(f'{path}: record {n} has no `vibe` text; every line needs {{"vibe": "..."}}')
        record.setdefault("id", f"{path.stem}-{n:05d}")
    ids = [r["id"] for r in records]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{path}: duplicate `id` values; give each record a unique id")
    return records[:limit] if limit else records
