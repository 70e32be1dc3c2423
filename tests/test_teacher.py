"""The search teacher: cache, resume after kill -9, storages (SQLite, real PostgreSQL), LM warm starts, dataset."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import optuna
import pytest

import pg_server
from agent_lm_server import ConfigChatServer
from optimize.teacher import modal_app
from optimize.teacher.dataset import coverage, export_dataset
from optimize.teacher.job import TeacherSettings, VibeItem, run_teacher
from optimize.teacher.judging import CandidateJudge, Clip
from optimize.teacher.search import study_name
from optimize.teacher.storage import open_storage, redact
from reference.vibe_mapper import map_vibe
from tools.errors import ConfigError
from tools.schema import EXAMPLE, MusicConfig

CLIP = Clip(duration=3.0, sample_rate=22050, seed=0)
FAST = TeacherSettings(judge="dsp", budget=3, clip=CLIP)
VIBES = [VibeItem("rain", "rainy afternoon in Tokyo", "train"), VibeItem("techno", "dark warehouse techno", "train"),
         VibeItem("beach", "sunny beach morning", "test"), VibeItem("night", "lonely city at 3am", "val")]
CLI = [sys.executable, "-m", "vibesynth"]


def _write_vibes(path: Path, items=VIBES) -> Path:
    path.write_text("".join(json.dumps({"id": i.id, "vibe": i.vibe, "split": i.split}) + "\n" for i in items))
    return path


def _complete(url: str, vibe_id: str) -> int:
    study = optuna.load_study(study_name=study_name(vibe_id), storage=open_storage(url))
    return len(study.get_trials(states=(optuna.trial.TrialState.COMPLETE,)))


def test_cache_hits_repeat_and_misses_on_any_change(tmp_path):
    judge = CandidateJudge("dsp", CLIP, tmp_path / "cache.sqlite")
    config = MusicConfig.parse(EXAMPLE)
    first = judge("rainy afternoon", config)
    assert (judge.cache.hits, judge.cache.misses) == (0, 1)
    assert judge("rainy afternoon", config) == first
    assert judge.cache.hits == 1
    other = CandidateJudge("dsp", replace(CLIP, seed=1), tmp_path / "cache.sqlite")
    assert other.key("rainy afternoon", config) != judge.key("rainy afternoon", config)
    assert judge.key("rainy afternoon", config) != judge.key("sunny beach", config)
    assert 0.0 < first.reward <= 1.0 and "OBJ" in first.parts


def test_search_keeps_every_candidate_and_starts_from_the_rules(tmp_path):
    url = run_teacher(VIBES[:2], tmp_path, FAST)
    for item in VIBES[:2]:
        study = optuna.load_study(study_name=study_name(item.id), storage=open_storage(url))
        trials = study.get_trials(states=(optuna.trial.TrialState.COMPLETE,))
        assert len(trials) == FAST.budget
        rule = [t for t in trials if t.user_attrs["source"] == "rule"]
        assert len(rule) == 1 and rule[0].params == map_vibe(item.vibe).model_dump()
        assert study.best_value >= rule[0].value
    again = []
    run_teacher(VIBES[:2], tmp_path, FAST, on_done=again.append)
    assert [s["skipped"] for s in again] == [True, True]


def test_resume_refuses_other_settings(tmp_path):
    run_teacher(VIBES[:1], tmp_path, FAST)
    with pytest.raises(ConfigError, match="budget"):
        run_teacher(VIBES[:1], tmp_path, replace(FAST, budget=5))


def test_kill_9_then_resume_loses_and_duplicates_nothing(tmp_path):
    vibes = _write_vibes(tmp_path / "vibes.jsonl")
    out = tmp_path / "out"
    args = [*CLI, "teacher", "--split", str(vibes), "--judge", "dsp", "--budget", "3",
            "--duration", "3", "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True)
    db = out / "optuna.db"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:  # kill once the first vibe is done and the second has started
        if db.exists():
            with sqlite3.connect(db, timeout=30) as con:
                try:
                    done = con.execute("SELECT COUNT(*) FROM trials WHERE state = 'COMPLETE'").fetchone()[0]
                except sqlite3.OperationalError:
                    done = 0
            if done >= FAST.budget + 1:
                break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    url = f"sqlite:///{db.resolve()}"
    assert 0 < sum(_complete(url, item.id) for item in VIBES if _has_study(url, item.id)) < len(VIBES) * 3
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    for item in VIBES:
        assert _complete(url, item.id) == 3
    records = _read_split(out / "dataset", "train") + _read_split(out / "dataset", "test") + _read_split(out / "dataset", "val")
    assert sorted(r["id"] for r in records) == sorted(item.id for item in VIBES)
    assert all(len(r["candidates"]) == 3 for r in records)


def _has_study(url: str, vibe_id: str) -> bool:
    return study_name(vibe_id) in optuna.get_all_study_names(open_storage(url))


def _read_split(folder: Path, split: str) -> list[dict]:
    with gzip.open(folder / f"{split}.jsonl.gz", "rt") as f:
        return [json.loads(line) for line in f]


def test_dataset_card_coverage_and_hf_loading(tmp_path):
    url = run_teacher(VIBES, tmp_path, FAST)
    stats = export_dataset(url, tmp_path / "dataset", FAST.record(url, "x"), "vibesynth teacher ...")
    assert stats["counts"] == {"test": 1, "train": 2, "val": 1}
    for field, shares in stats["coverage_train"].items():
        assert sum(shares.values()) == pytest.approx(1.0), field
    card = (tmp_path / "dataset" / "README.md").read_text()
    assert "vibesynth teacher ..." in card and "| rhythm |" in card and "proxy" in card
    datasets = pytest.importorskip("datasets")
    loaded = datasets.load_dataset("json", data_files={s: str(tmp_path / "dataset" / f"{s}.jsonl.gz") for s in ("train", "test")})
    assert loaded["train"].num_rows == 2 and set(loaded["train"][0]["config"]) == set(EXAMPLE)
    record = loaded["train"][0]
    assert record["reward"] == max(c["reward"] for c in record["candidates"])


def test_coverage_counts_every_schema_value():
    shares = coverage([{"config": EXAMPLE}, {"config": {**EXAMPLE, "rhythm": "none"}}])
    assert shares["rhythm"]['"minimal"'] == 0.5 and shares["rhythm"]['"none"'] == 0.5
    assert shares["rhythm"]['"military"'] == 0.0 and len(shares["root"]) == 12


def test_storage_errors_are_one_line(tmp_path):
    with pytest.raises(ConfigError, match="not an RDB URL"):
        open_storage("redis://localhost")
    with pytest.raises(ConfigError, match=r"cannot open storage postgresql\+psycopg://u:\*\*\*@127.0.0.1:1/db"):
        open_storage("postgresql+psycopg://u:secret@127.0.0.1:1/db")
    assert redact("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"


@pytest.mark.skipif(not pg_server.available(), reason="PostgreSQL server binaries missing (make setup installs them)")
def test_two_workers_share_one_postgresql_storage(tmp_path):
    vibes = _write_vibes(tmp_path / "vibes.jsonl")
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    with pg_server.PostgresServer() as pg:
        args = [*CLI, "teacher", "--split", str(vibes), "--judge", "dsp", "--budget", "3",
                "--duration", "3", "--storage", pg.url, "--no-export"]
        workers = [subprocess.Popen([*args, "-o", str(tmp_path / f"w{n}")], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True, env=env) for n in range(2)]
        for worker in workers:
            _, err = worker.communicate(timeout=600)
            assert worker.returncode == 0, err
        for item in VIBES:  # each study got its budget from the two workers together (a race may add one)
            assert 3 <= _complete(pg.url, item.id) <= 4
        stats = export_dataset(pg.url, tmp_path / "dataset", FAST.record(pg.url, "x"), "test")
        assert sum(stats["counts"].values()) == len(VIBES)


def test_lm_samples_warm_start_the_search(tmp_path, monkeypatch):
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    lm_config = {**EXAMPLE, "rhythm": "military", "accent": "brass_hit"}
    with ConfigChatServer([json.dumps(lm_config)]) as server:
        settings = replace(FAST, budget=4, lm="openai/teacher-lm", api_base=server.api_base, lm_samples=2)
        url = run_teacher(VIBES[:1], tmp_path, settings)
    assert len(server.requests) == 2
    assert all(request.get("temperature") == 0.9 for request in server.requests)
    study = optuna.load_study(study_name=study_name("rain"), storage=open_storage(url))
    lm_trials = [t for t in study.trials if t.user_attrs.get("source") == "lm"]
    assert lm_trials and lm_trials[0].params == lm_config  # identical samples are enqueued once


def test_modal_shard_runs_locally(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    settings = {"judge": "dsp", "budget": 2, "seed": 0, "clip": {"duration": 3.0, "sample_rate": 22050, "seed": 0},
                "lm": None, "api_base": None, "lm_samples": 1, "lm_temperature": 0.9}
    shard = modal_app.shards(VIBES, 2)[0]
    summaries = modal_app.teach_shard.local(shard, settings, url)
    assert [s["id"] for s in summaries] == [item["id"] for item in shard]
    assert all(_complete(url, item["id"]) == 2 for item in shard)
    assert modal_app.app.name == "vibesynth-teacher"


def test_cli_bad_input_is_one_line(tmp_path):
    vibes = _write_vibes(tmp_path / "vibes.jsonl")
    for args, message in [
        (["--split", str(tmp_path / "none.jsonl")], "does not exist"),
        (["--split", "dev"], "unknown split"),
        (["--split", str(vibes), "--judge", "nope"], "unknown scorer backend"),
        (["--split", str(vibes), "--storage", "redis://x"], "not an RDB URL"),
        (["--split", str(vibes), "--lm", "gpt"], "is not a model string"),
    ]:
        result = subprocess.run([*CLI, "teacher", *args, "-o", str(tmp_path / "o")], capture_output=True, text=True,
                                env={**os.environ, "PYTHONPATH": str(Path.cwd())}, timeout=120)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
