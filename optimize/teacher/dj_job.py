"""`run_dj_teacher`: search every brief of a list (optimize.teacher.dj), in worker processes, resumable.

The briefs come from a frozen DJ pair set of optimize/data/dj (each side of each
pair is a brief: ID a / ID b, split = the set's name) or a JSONL file of
{"id", "brief"[, "split"]}. The settings are written beside the storage
(run.json) and a resume must repeat them (`job.check_resume`).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from optimize.teacher.dj import BriefItem, DjTeacherSettings, briefs_digest, init_worker, teach_one
from optimize.teacher.job import check_resume
from optimize.teacher.storage import open_storage
from tools import safe_json
from tools.errors import ConfigError

SET_FOLDER = Path(__file__).resolve().parents[1] / "data" / "dj"


def load_briefs(source: str, limit: int | None = None) -> list[BriefItem]:
    """Briefs of a frozen pair set (`dev-v1`) or a JSONL file (see the module docstring), the first `limit`."""
    path = Path(source)
    if path.suffix == ".jsonl" and path.is_file():
        items = []
        for number, record in safe_json.read_jsonl(path, "brief set"):
            if not isinstance(record, dict) or not str(record.get("brief", "")).strip():
                raise ConfigError(f'{path}:{number} has no "brief"; each line is {{"id", "brief"[, "split"]}}')
            items.append(BriefItem(str(record.get("id", number)), str(record["brief"]).strip(), str(record.get("split", "train"))))
    else:
        from optimize.eval.reader_check import load_frozen

        if not (SET_FOLDER / f"{source}.jsonl").is_file():
            raise ConfigError(
                f'no brief set {source!r}: pass a JSONL file of {{"id", "brief"}} or one of {sorted(p.stem for p in SET_FOLDER.glob("*.jsonl"))}'
            )
        items = [BriefItem(f"{pair['id']}{side}", pair[side], source) for pair in load_frozen(source, SET_FOLDER) for side in "ab"]
    return items[:limit] if limit else items


def run_dj_teacher(
    items: list[BriefItem],
    out: Path,
    settings: DjTeacherSettings,
    workers: int = 1,
    on_done: Callable[[dict], None] = lambda summary: None,
    source: str = "",
) -> str:
    """Search every brief; returns the storage URL (sqlite:///OUT/optuna.db)."""
    if not items:
        raise ConfigError("no briefs to teach; check --briefs and --limit")
    if workers < 1 or settings.budget < 1 or settings.bars < 4:
        raise ConfigError("--workers and --budget must be at least 1 and --bars at least 4")
    out.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{(out / 'optuna.db').resolve()}"
    open_storage(url)
    record = {**settings.record(url, briefs_digest(items), out), "briefs": source}
    check_resume(out, record)  # run.json, the ambient teacher's resume rule (its settings differ: refused there)
    pools: dict[str, list[str]] = {}
    for item in items:
        pools.setdefault(item.split, []).append(item.brief)
    cache = out / "feature_cache.sqlite"
    if workers == 1:
        init_worker(url, settings, cache, out, pools)
        for item in items:
            on_done(teach_one(item))
        return url
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, context, init_worker, (url, settings, cache, out, pools)) as pool:
        for future in as_completed([pool.submit(teach_one, item) for item in items]):
            on_done(future.result())
    return url
