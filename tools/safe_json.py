"""The one JSON reader for everything that comes from outside: files, trajectories, the sandbox bridge.

`json.loads` on hostile text fails in ways a user cannot act on: a 5,000-digit
integer is a ValueError, 100,000 nested brackets a RecursionError, a repeated
key silently keeps the last value, and opening /dev/zero or a FIFO reads
forever. Here every one of those is an `InputError` with one line naming the
problem, and files are checked to be regular files (by `stat`, before they
are opened) and size-capped before a byte is read.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tools.errors import InputError

MAX_DEPTH = 64  # nesting of arrays/objects; real project files stay under 10
MAX_INT_DIGITS = 40  # seeds and counts fit in far fewer
MAX_FILE_BYTES = 64 * 1024 * 1024
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def _depth(text: str) -> int:
    """Deepest bracket nesting outside strings, counted without recursion."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InputError(f"duplicate key {key!r} (a JSON object must name each key once)")
        result[key] = value
    return result


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise InputError(f"an integer of {len(digits.lstrip('-'))} digits (at most {MAX_INT_DIGITS} are accepted)")
    return int(digits)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InputError(f"the number {text[:20]}{'...' if len(text) > 20 else ''} is out of range")
    return value


def _no_constant(name: str) -> Any:
    raise InputError(f"{name} is not a JSON number")


def loads(text: str | bytes, what: str, *, max_depth: int = MAX_DEPTH, allow_nan: bool = False) -> Any:
    """Parse JSON text; any problem is an InputError '{what}: problem'."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as err:
            raise InputError(f"{what}: not UTF-8 text (byte {err.start}); give a JSON file") from None
    if (depth := _depth(text)) > max_depth:
        raise InputError(f"{what}: JSON nested {depth} levels deep (at most {max_depth})")
    hooks: dict[str, Any] = {"object_pairs_hook": _pairs, "parse_int": _int, "parse_float": _float}
    if not allow_nan:
        hooks["parse_constant"] = _no_constant
    try:
        return json.loads(text, **hooks)
    except InputError as err:
        raise InputError(f"{what}: {err}") from None
    except json.JSONDecodeError as err:
        raise InputError(f"{what}: not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})") from None
    except (ValueError, RecursionError) as err:  # belt and braces: nothing else may escape as a traceback
        raise InputError(f"{what}: not usable JSON ({type(err).__name__}: {str(err)[:120]})") from None


def regular_file(path: str | Path, what: str, max_bytes: int | None = MAX_FILE_BYTES) -> Path:
    """`path` if it is a regular file under `max_bytes`; devices, FIFOs, sockets and folders are refused unopened."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{what} {path} not found; check the path") from None
    except OSError as err:
        raise InputError(f"cannot read {what} {path} ({err.strerror or err})") from None
    if not stat.S_ISREG(info.st_mode):
        kind = _kind(info.st_mode)
        raise InputError(f"{what} {path} is {kind}, not a regular file; pass a file")
    if max_bytes is not None and info.st_size > max_bytes:
        raise InputError(f"{what} {path} is {info.st_size / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB limit")
    return path


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bytes(path: str | Path, what: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, never more than `max_bytes` (a file that grows meanwhile is cut off, then refused)."""
    path = regular_file(path, what, max_bytes)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise InputError(f"cannot read {what} {path} ({err.strerror or err})") from None
    if len(data) > max_bytes:
        raise InputError(f"{what} {path} grew past the {max_bytes / 2**20:.0f} MB limit while being read")
    return data


def read_file(path: str | Path, what: str, max_bytes: int = MAX_FILE_BYTES, **options: Any) -> Any:
    """Parse the JSON file at `path` safely (see `loads`)."""
    return loads(read_bytes(path, what, max_bytes), f"{what} {path}", **options)


def read_jsonl(path: str | Path, what: str) -> Iterator[tuple[int, Any]]:
    """(line number, value) for each non-blank line of a JSONL file (`.gz`: read through gzip), parsed as `loads` does;
    a bad line is an InputError naming `path:line`. A file that cannot be read as text (a torn gzip, not UTF-8)
    raises OSError, EOFError or UnicodeDecodeError for the caller to word (what to give instead differs)."""
    path = regular_file(path, what, max_bytes=None)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield number, loads(line, f"{path}:{number}")


def inside(root: Path, relative: str | Path, what: str) -> Path:
    """`root / relative`, refused when it resolves (through `..` or symlinks) outside `root`."""
    root = Path(root).resolve()
    target = (root / relative).resolve()
    if target != root and root not in target.parents:
        raise InputError(f"{what} {relative} resolves to {target}, outside the library root {root}; refusing it")
    return target
