"""Files the project writes and fingerprints: atomic writes, strict JSON out, a file's sha256.

Every write goes to a temporary file in the target folder and is renamed into
place, so a crash never leaves a half-written file; outputs get the
permissions a plain open() would give them. JSON out refuses NaN and Infinity
(they are not JSON). JSON in from outside goes through `tools.safe_json`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tools.errors import InputError


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp creates 0600 files; outputs get the permissions a plain open() would give them.
FILE_MODE = 0o666 & ~_umask()


def make_folder(folder: Path) -> None:
    """Create an output folder and its missing parents, but never new top-level folders of the file system:
    a mistyped `-o /nonexistent/dir/x.wav` is refused instead of creating /nonexistent as root would."""
    folder = Path(folder).absolute()
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if existing != folder and existing == Path(existing.anchor):
        missing = folder.relative_to(existing).parts[0]
        raise InputError(f"{existing / missing} does not exist; create it first (mkdir -p {folder}) or write under an existing folder")
    folder.mkdir(parents=True, exist_ok=True)


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` on a temporary file beside `path` (`.NAME.XXXX.tmp`), then rename it into place."""
    path = Path(path)
    make_folder(path.parent)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, FILE_MODE)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_bytes(path: str | Path, data: bytes) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


def write_text(path: str | Path, text: str) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def dumps_json(payload: Any, **options: Any) -> str:
    """`json.dumps` that refuses NaN and Infinity: they are not JSON, and strict readers reject the file.

    A value that cannot be measured belongs in a file as null, with a note saying why. The error names
    where the bad number is (e.g. `audio.lufs`), so the code that produced it is easy to find."""
    try:
        return json.dumps(payload, allow_nan=False, **options)
    except ValueError:
        found = _non_finite(payload)
        if found is None:
            raise
        raise ValueError(
            f"refusing to write {found[0]} = {found[1]!r} as JSON (NaN and Infinity are not JSON); "
            "the code that made it should write null and say why"
        ) from None


def _non_finite(value: Any, where: str = "") -> tuple[str, float] | None:
    """Where the first NaN/Infinity in a JSON-like value is (`a.b[2]`), and the value."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return where or "the value", value
    if isinstance(value, dict):
        items = ((f"{where}.{k}" if where else str(k), v) for k, v in value.items())
    elif isinstance(value, (list, tuple)):
        items = ((f"{where}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    return next((found for key, v in items if (found := _non_finite(v, key)) is not None), None)


def write_json(path: str | Path, payload: Any) -> Path:
    """Indented JSON (sidecars, manifests, summaries), written atomically; NaN and Infinity are refused
    before anything is written."""
    return write_text(path, dumps_json(payload, indent=2) + "\n")


def write_jsonl(path: str | Path, records: Iterable[dict]) -> Path:
    """One JSON record per line, written atomically; NaN and Infinity are refused."""
    return write_text(path, "".join(dumps_json(r, ensure_ascii=False) + "\n" for r in records))


def file_sha256(path: str | Path) -> str:
    """sha256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def file_sha256_or_none(path: str | Path) -> str | None:
    """`file_sha256`, or None where there is no such file (a record notes what it could not pin)."""
    return file_sha256(path) if Path(path).is_file() else None
