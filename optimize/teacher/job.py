"""`run_teacher`: search every vibe of a list, in parallel processes, resumable.

The storage is the record of progress: a vibe whose study already holds
`budget` finished trials is skipped, and one another live worker holds is
left to it (see `search.claim`), so a killed job restarts where it was and
never duplicates a vibe. The settings are written beside the storage
(run.json) and a resume must repeat them.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from aesthetics.vibe.reader import read
from optimize.render_score import Clip
from optimize.teacher.judging import CandidateJudge
from optimize.teacher.reward import ObjectiveSettings, VibeObjective, fixed_fields, other_vibes
from optimize.teacher.search import WarmStart, claim, save_study, search_vibe
from optimize.teacher.storage import open_storage, portable
from reference.vibe_mapper import map_vibe
from tools.errors import ConfigError
from tools.run_record import read_run, write_run
from tools.schema import MusicConfig


@dataclass(frozen=True)
class VibeItem:
    id: str
    vibe: str
    split: str


@dataclass(frozen=True)
class TeacherSettings:
    judge: str = "vibe"
    budget: int = 32
    seed: int = 0
    contrast: float = ObjectiveSettings.contrast
    others: int = ObjectiveSettings.others
    prior: float = ObjectiveSettings.prior
    clip: Clip = field(default_factory=Clip)
    lm: str | None = None
    api_base: str | None = None
    lm_samples: int = 4
    lm_temperature: float = 0.9

    def record(self, storage: str, vibes_sha256: str, out: Path) -> dict:
        return {**asdict(self), "storage": portable(storage, out), "vibes_sha256": vibes_sha256}


def vibes_digest(items: Sequence[VibeItem]) -> str:
    return hashlib.sha256(json.dumps([asdict(item) for item in items]).encode()).hexdigest()


def check_resume(out: Path, record: dict) -> None:
    """Write run.json, or check a resumed job repeats the recorded settings."""
    before = read_run(out, "teacher settings", old_name="teacher.json")
    if before is not None:
        changed = sorted(key for key in before.keys() | record.keys() if before.get(key) != record.get(key))
        if changed:
            diffs = "; ".join(_difference(key, before.get(key), record.get(key)) for key in changed)
            raise ConfigError(f"{out} was started with other settings ({diffs}); repeat them to resume, or pass a new --out")
        return
    write_run(out, record)


def _difference(key: str, before: object, now: object) -> str:
    if key == "vibes_sha256":  # a digest says nothing to a user: name the options that choose the vibes
        return "other vibes (--split / --limit)"
    return f"--{key.replace('_', '-')}: was {before!r}, now {now!r}"


def lm_warm_starts(vibe: str, settings: TeacherSettings, fixed: dict[str, object]) -> list[WarmStart]:
    """N configs sampled from the LM at the teacher temperature (seeds/000's best-of-N candidates),
    with the fields the text names set as it names them."""
    from agent.lm import parse_lm
    from agent.vibe import config_from_lm

    starts = []
    for sample in range(settings.lm_samples):
        spec = parse_lm(settings.lm, api_base=settings.api_base, temperature=settings.lm_temperature, seed=settings.seed * 1000 + sample)
        config, _ = config_from_lm(vibe, spec)
        starts.append(WarmStart(MusicConfig.parse({**config.model_dump(), **fixed}), "lm"))
    return starts


_worker: dict = {}


def init_worker(storage_url: str, settings: TeacherSettings, cache_path: Path, pools: dict[str, list[str]]) -> None:
    """`pools`: the vibe texts of each split, from which a vibe's K contrastive others are drawn."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # the workers are the parallelism: BLAS threads in each would fight over the cores
    _worker["storage"] = open_storage(storage_url)
    _worker["judge"] = CandidateJudge(settings.judge, settings.clip, cache_path)
    _worker["settings"] = settings
    _worker["pools"] = pools


def split_pools(items: Sequence[VibeItem]) -> dict[str, list[str]]:
    pools: dict[str, list[str]] = {}
    for item in items:
        pools.setdefault(item.split, []).append(item.vibe)
    return pools


def teach_one(item: VibeItem) -> dict:
    """Search one vibe in this worker; returns a one-line summary for the progress display."""
    storage, judge, settings = _worker["storage"], _worker["judge"], _worker["settings"]
    state = claim(storage, item.id, settings.budget)
    if state != "claimed":
        return {"id": item.id, "skipped": state}
    fixed = fixed_fields(read(item.vibe))
    warm = [WarmStart(map_vibe(item.vibe), "rule")]
    if settings.lm:
        warm += lm_warm_starts(item.vibe, settings, fixed)
    others = other_vibes(item.id, item.vibe, _worker["pools"].get(item.split, []), settings.others, settings.seed)
    objective = VibeObjective(
        judge, item.vibe, others if settings.contrast else [], ObjectiveSettings(settings.contrast, settings.others, settings.prior)
    )
    started = time.perf_counter()
    searched = search_vibe(item.id, objective, settings.budget, settings.seed, warm, fixed)
    save_study(
        storage,
        item.id,
        {"vibe": item.vibe, "split": item.split, "fixed": fixed, "others": objective.others, "search_s": round(time.perf_counter() - started, 3)},
        searched,
    )
    return {"id": item.id, "skipped": False, "best": searched.best_value, "cache_hits": judge.cache.hits if judge.cache else 0}


def check_objective(settings: TeacherSettings, judge: CandidateJudge) -> None:
    if settings.contrast and not judge.scorer.text_aware:
        raise ConfigError(
            f"the {settings.judge} judge ignores the vibe text, so its contrastive term is always 0; pass --contrast 0 (or use the vibe judge)"
        )
    if settings.contrast and settings.others < 1:
        raise ConfigError(f"--others {settings.others}: the contrastive term needs at least 1 other vibe; pass --others 8 or --contrast 0")
    if settings.contrast < 0 or settings.prior < 0:
        raise ConfigError("--contrast and --prior are weights; give values >= 0")


def run_teacher(
    items: Sequence[VibeItem],
    out: Path,
    settings: TeacherSettings,
    storage_url: str | None = None,
    workers: int = 1,
    on_done: Callable[[dict], None] = lambda summary: None,
    cache_path: Path | None = None,
) -> str:
    """Search all `items`; returns the storage URL the studies are in. The feature cache (OUT/feature_cache.sqlite
    by default) may be shared by jobs with the same clip and judge: its keys hold both."""
    if not items:
        raise ConfigError("no vibes to teach; check --split and --limit")
    if workers < 1:
        raise ConfigError(f"--workers {workers} must be at least 1")
    out.mkdir(parents=True, exist_ok=True)
    url = storage_url or f"sqlite:///{(out / 'optuna.db').resolve()}"
    open_storage(url)  # fail here, once, on a bad URL or an unreachable server
    cache_path = cache_path or out / "feature_cache.sqlite"
    # a bad judge or objective fails here, before run.json is written
    check_objective(settings, CandidateJudge(settings.judge, settings.clip))
    check_resume(out, settings.record(url, vibes_digest(items), out))
    pools = split_pools(items)
    if workers == 1:
        init_worker(url, settings, cache_path, pools)
        for item in items:
            on_done(teach_one(item))
        return url
    # spawn, not fork: a judge backend may load torch (clap), which does not survive a fork
    context = multiprocessing.get_context("spawn")
    # Ctrl+C is this process's to handle: workers ignore SIGINT (set before they start, so none
    # prints a traceback) and are stopped here; their finished trials stay in the storage for a resume.
    in_main = threading.current_thread() is threading.main_thread()  # only it may set signal handlers
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main else None
    pool = ProcessPoolExecutor(workers, context, _init_pool_worker, (url, settings, cache_path, pools))
    try:
        futures = [pool.submit(teach_one, item) for item in items]  # starts the workers
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)
    try:
        for future in as_completed(futures):
            on_done(future.result())
    except KeyboardInterrupt:
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown()  # as a `with` block would (at once after _stop_workers)
    return url


def _init_pool_worker(storage_url: str, settings: TeacherSettings, cache_path: Path, pools: dict[str, list[str]]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init_worker(storage_url, settings, cache_path, pools)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now (Ctrl+C): drop the queued vibes and end the running searches, as a kill would;
    a resume repeats only the unfinished trials."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)
