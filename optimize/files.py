"""Atomic writes of the text files optimize jobs leave behind (JSONL, Markdown, PNG via a writer)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from tools.audio_io import dumps_json


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_text(path: str | Path, text: str) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_jsonl(path: str | Path, records: Iterable[dict]) -> Path:
    """One JSON record per line; NaN and Infinity are refused (`tools.audio_io.dumps_json`)."""
    return write_text(path, "".join(dumps_json(r, ensure_ascii=False) + "\n" for r in records))


def write_json(path: str | Path, payload: object) -> Path:
    """Indented JSON; NaN and Infinity are refused (`tools.audio_io.dumps_json`)."""
    return write_text(path, dumps_json(payload, indent=2) + "\n")
