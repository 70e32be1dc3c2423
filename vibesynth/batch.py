"""Batch render (`vibesynth render --vibes vibes.jsonl -o outdir/`): one WAV and sidecar per record, resumable.

Each record is `{"vibe": TEXT, "id": NAME}` (`id` optional: the record's
number, 0001...). A record is done when OUT/ID.json (the sidecar, written
last, atomically) names OUT/ID.wav and every file it lists is there; a
killed batch leaves at most a hidden temporary file (never counted) or an
audio file without its sidecar (rendered again). OUT/batch.json holds the
settings and the vibes file's sha256; rerunning with other settings is
refused so a folder never mixes two batches.
"""

from __future__ import annotations

import multiprocessing
import re
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from tools import safe_json
from tools.errors import ConfigError, InputError
from tools.files import file_sha256, make_folder, write_json

BATCH_FILE = "batch.json"
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
MAX_RECORDS = 100_000
MAY_DIFFER = {"vibes_file"}  # the same vibes (by sha256) may be named by another path on a resume


@dataclass(frozen=True)
class Record:
    id: str
    vibe: str


def read_vibes(path: Path) -> list[Record]:
    """The records of a vibes JSONL file; bad lines are one error naming `FILE:LINE` and the fix."""
    records: list[Record] = []
    try:
        rows = list(safe_json.read_jsonl(path, "vibes file"))
    except InputError as err:
        raise ConfigError(f'{err}; give a JSONL file of {{"vibe": TEXT, "id": NAME}} lines') from None
    for line, row in rows:
        where = f"{path}:{line}"
        if not isinstance(row, dict) or not isinstance(row.get("vibe"), str) or not row["vibe"].strip():
            raise ConfigError(f'{where}: each line needs a non-empty "vibe" text, e.g. {{"vibe": "rain on a tin roof"}}')
        unknown = sorted(set(row) - {"vibe", "id"})
        if unknown:
            raise ConfigError(f'{where}: unknown keys {", ".join(unknown)}; a record holds "vibe" and optionally "id"')
        name = row.get("id", f"{len(records) + 1:04d}")
        if not isinstance(name, str) or not SAFE_ID.match(name):
            raise ConfigError(
                f"{where}: id {name!r} is not a usable file name; use letters, digits, '.', '_' or '-' (at most 100, not starting with '.')"
            )
        if name == Path(BATCH_FILE).stem:
            raise ConfigError(f"{where}: id {name!r} would clash with {BATCH_FILE}; choose another id")
        records.append(Record(name, row["vibe"]))
    if not records:
        raise ConfigError(f'{path} holds no records; add lines like {{"vibe": "rain on a tin roof", "id": "rain"}}')
    if len(records) > MAX_RECORDS:
        raise ConfigError(f"{path} holds {len(records)} records; split it into files of at most {MAX_RECORDS}")
    seen: dict[str, int] = {}
    for number, record in enumerate(records, 1):
        if record.id in seen:
            raise ConfigError(f"{path}: id {record.id!r} is used by records {seen[record.id]} and {number}; ids must be unique")
        seen[record.id] = number
    return records


def is_done(out: Path, record_id: str, settings: dict) -> bool:
    """Whether ID.json is a finished sidecar of ID.wav with every stem and MIDI file it names."""
    sidecar = out / f"{record_id}.json"
    if not sidecar.is_file():
        return False
    try:
        info = safe_json.read_file(sidecar, "sidecar")
    except InputError:
        return False
    if not isinstance(info, dict) or info.get("audio") != f"{record_id}.wav" or not (out / info["audio"]).is_file():
        return False
    names = list((info.get("stems") or {}).get("files", {}).values()) if settings["stems"] else []
    if settings["midi"]:
        if not isinstance(info.get("midi"), dict):
            return False
        names.append(info["midi"].get("file", ""))
    return all(isinstance(name, str) and name and (out / name).is_file() for name in names) and (not settings["stems"] or bool(names))


def check_settings(out: Path, settings: dict) -> None:
    """Write OUT/batch.json, or refuse when it records other settings (the folder holds another batch)."""
    path = out / BATCH_FILE
    if path.is_file():
        try:
            before = safe_json.read_file(path, "batch settings")
        except InputError as err:
            raise ConfigError(f"{err}; move it away or choose another -o folder") from None
        changed = [key for key in sorted(set(before) | set(settings)) if key not in MAY_DIFFER and before.get(key) != settings.get(key)]
        if changed:
            key = changed[0]
            raise ConfigError(
                f"{out} holds a batch made with other settings ({key}: {before.get(key)!r} then, "
                f"{settings.get(key)!r} now); rerun with the same settings to resume, or choose another -o folder"
            )
        return
    write_json(path, settings)


def batch_settings(vibes: Path, render_options: dict, stems: bool, midi: bool, pcm16: bool, count: int) -> dict:
    return {
        "vibes_file": str(vibes.resolve()),
        "vibes_sha256": file_sha256(vibes),
        "records": count,
        **render_options,
        "stems": stems,
        "midi": midi,
        "sample_format": "pcm16" if pcm16 else "float",
    }


def render_record(record: Record, out: Path, options: dict, stems: bool, midi: bool, pcm16: bool) -> dict:
    """Render one record to OUT/ID.wav (+ stems, MIDI) and its sidecar last; returns a one-line summary."""
    from tools.errors import VibesynthError
    from vibesynth.api import render

    try:
        piece = render(record.vibe, stems=stems, **options)
        target = out / f"{record.id}.wav"
        if stems:
            piece.save_stems(target)
        if midi:
            piece.save_midi(target.with_suffix(".mid"))
        piece.info["batch_id"] = record.id
        piece.save(target, pcm16=pcm16)
    except VibesynthError as err:
        raise ConfigError(f"record {record.id!r}: {err}") from None
    return {"id": record.id, "lufs": piece.info.get("integrated_lufs")}


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's: it stops the pool


def run_batch(
    todo: list[Record], out: Path, options: dict, stems: bool, midi: bool, pcm16: bool, workers: int, on_done: Callable[[dict], None]
) -> None:
    """Render `todo`, `workers` at a time (processes); `on_done` gets each summary. On Ctrl+C or an error the
    records not started are dropped and those running finish (each file lands whole), then it raises."""
    if workers == 1:
        for record in todo:
            on_done(render_record(record, out, options, stems, midi, pcm16))
        return
    # spawn: a fresh interpreter per worker (no forked locks or thread pools from this process)
    pool = ProcessPoolExecutor(workers, multiprocessing.get_context("spawn"), initializer=_ignore_sigint)
    try:
        futures = [pool.submit(render_record, record, out, options, stems, midi, pcm16) for record in todo]
        for future in as_completed(futures):
            on_done(future.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def prepare(vibes: Path, out: Path, options: dict, stems: bool, midi: bool, pcm16: bool) -> tuple[list[Record], list[Record]]:
    """(all records, those still to render) after checking the folder's settings."""
    records = read_vibes(vibes)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"-o {out} is a file; a batch writes into a folder")
    try:
        make_folder(out)
    except InputError as err:
        raise ConfigError(str(err)) from None
    settings = batch_settings(vibes, options, stems, midi, pcm16, len(records))
    check_settings(out, settings)
    return records, [r for r in records if not is_done(out, r.id, settings)]
