"""The search teacher: objective, claims, cache, resume after kill -9, storages (SQLite, real PostgreSQL), LM warm starts, dataset."""

from __future__ import annotations

import gzip
import inspect
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import optuna
import pytest

from aesthetics.embed import embed_texts
from aesthetics.vibe.reader import read
from optimize.eval.producers import ProducerContext, RetrievalProducer
from optimize.eval.teacher import load_teacher
from optimize.teacher import modal_app
from optimize.teacher.dataset import coverage, export_dataset
from optimize.teacher.job import TeacherSettings, VibeItem, run_teacher
from optimize.teacher.judging import CandidateJudge, Clip, Judgement
from optimize.teacher.reward import ObjectiveSettings, VibeObjective, contradiction, mismatch, other_vibes, prior_fields
from optimize.teacher.search import claim, finished, study_name
from optimize.teacher.storage import open_storage, redact
from optimize.teacher.vibes import split_label
from reference.vibe_mapper import map_vibe
from tools.ambient import render_config
from tools.errors import ConfigError
from tools.schema import EXAMPLE, MusicConfig

import pg_server
from agent_lm_server import ConfigChatServer

CLIP = Clip(duration=3.0, sample_rate=22050, seed=0)
FAST = TeacherSettings(judge="dsp", budget=3, clip=CLIP, contrast=0.0)  # dsp ignores the text: no contrast
VIBES = [
    VibeItem("rain", "rainy afternoon in Tokyo", "train"),
    VibeItem("techno", "dark warehouse techno", "train"),
    VibeItem("beach", "sunny beach morning", "test"),
    VibeItem("night", "lonely city at 3am", "val"),
]
CLI = [sys.executable, "-m", "vibesynth"]


def _write_vibes(path: Path, items=VIBES) -> Path:
    path.write_text("".join(json.dumps({"id": i.id, "vibe": i.vibe, "split": i.split}) + "\n" for i in items))
    return path


def _complete(url: str, vibe_id: str) -> int:
    study = optuna.load_study(study_name=study_name(vibe_id), storage=open_storage(url))
    return finished(study)


def test_one_render_serves_every_vibe_and_any_change_misses(tmp_path):
    judge = CandidateJudge("dsp", CLIP, tmp_path / "cache.sqlite")
    config = MusicConfig.parse(EXAMPLE)
    first = judge("rainy afternoon", config)
    assert (judge.cache.hits, judge.cache.misses) == (0, 1)
    assert judge("rainy afternoon", config) == first
    judge("sunny beach", config)  # the measurement does not depend on the vibe
    assert (judge.cache.hits, judge.cache.misses) == (2, 1)
    other = CandidateJudge("dsp", replace(CLIP, seed=1), tmp_path / "cache.sqlite")
    assert other.key(config) != judge.key(config)
    assert judge.key(MusicConfig.parse({**EXAMPLE, "rhythm": "none"})) != judge.key(config)
    assert 0.0 < first.reward <= 1.0 and "OBJ" in first.parts


def test_cached_features_judge_exactly_as_a_fresh_score(tmp_path):
    judge = CandidateJudge("vibe", CLIP, tmp_path / "cache.sqlite")
    config = MusicConfig.parse(EXAMPLE)
    fresh = judge("a funeral procession in the rain", config)
    cached = judge("a funeral procession in the rain", config)
    assert judge.cache.hits == 1 and cached == fresh
    audio = render_config(config, CLIP.duration, seed=CLIP.seed, sample_rate=CLIP.sample_rate)
    scores = judge.scorer.score(audio, CLIP.sample_rate, text="a funeral procession in the rain")
    assert fresh.reward == round(scores.extra["vibe_reward"], 6)


def test_search_keeps_every_candidate_and_starts_from_the_rules(tmp_path):
    url = run_teacher(VIBES[:2], tmp_path, FAST)
    for item in VIBES[:2]:
        study = optuna.load_study(study_name=study_name(item.id), storage=open_storage(url))
        trials = study.user_attrs["candidates"]
        assert len(trials) == FAST.budget
        rule = [t for t in trials if t["source"] == "rule"]
        fixed = study.user_attrs["fixed"]
        assert len(rule) == 1 and {**rule[0]["params"], **fixed} == map_vibe(item.vibe).model_dump()
        assert max(t["value"] for t in trials) >= rule[0]["value"]
    again = []
    run_teacher(VIBES[:2], tmp_path, FAST, on_done=again.append)
    assert [s["skipped"] for s in again] == ["done", "done"]


def test_resume_refuses_other_settings(tmp_path):
    run_teacher(VIBES[:1], tmp_path, FAST)
    with pytest.raises(ConfigError, match="--budget: was 3, now 5"):
        run_teacher(VIBES[:1], tmp_path, replace(FAST, budget=5))
    with pytest.raises(ConfigError) as refused:  # a second vibes file into the same folder
        run_teacher(VIBES[1:2], tmp_path, FAST)
    assert "other vibes (--split / --limit)" in str(refused.value) and "sha256" not in str(refused.value)


def test_kill_9_then_resume_loses_and_duplicates_nothing(tmp_path):
    vibes = _write_vibes(tmp_path / "vibes.jsonl")
    out = tmp_path / "out"
    args = [*CLI, "teacher", "--split", str(vibes), "--judge", "dsp", "--contrast", "0", "--budget", "3", "--duration", "3", "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True)
    db = out / "optuna.db"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:  # kill once the first vibe is done and the second has started
        if db.exists():
            with sqlite3.connect(db, timeout=30) as con:
                try:
                    done = con.execute("SELECT COUNT(*) FROM study_user_attributes WHERE key = 'candidates'").fetchone()[0]
                except sqlite3.OperationalError:
                    done = 0
            if done >= 1:  # the first vibe is saved; the next is being searched
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
    stats = export_dataset(url, tmp_path / "dataset", FAST.record(url, "x", tmp_path), "vibesynth teacher ...")
    assert stats["counts"] == {"test": 1, "train": 2, "val": 1}
    for field, shares in stats["coverage"].items():
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
        args = [
            *CLI,
            "teacher",
            "--split",
            str(vibes),
            "--judge",
            "dsp",
            "--contrast",
            "0",
            "--budget",
            "3",
            "--duration",
            "3",
            "--storage",
            pg.url,
            "--no-export",
        ]
        workers = [
            subprocess.Popen([*args, "-o", str(tmp_path / f"w{n}")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
            for n in range(2)
        ]
        for worker in workers:
            _, err = worker.communicate(timeout=600)
            assert worker.returncode == 0, err
        for item in VIBES:  # each vibe searched by one of the two workers, never both
            assert _complete(pg.url, item.id) == 3
        stats = export_dataset(pg.url, tmp_path / "dataset", FAST.record(pg.url, "x", tmp_path), "test")
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
    lm_trials = [t for t in study.user_attrs["candidates"] if t["source"] == "lm"]
    fixed = study.user_attrs["fixed"]
    assert len(lm_trials) == 1 and {**lm_trials[0]["params"], **fixed} == {**lm_config, **fixed}  # identical samples enqueued once


def test_modal_shard_runs_locally(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    settings = {
        "judge": "dsp",
        "budget": 2,
        "seed": 0,
        "clip": {"duration": 3.0, "sample_rate": 22050, "seed": 0},
        "lm": None,
        "api_base": None,
        "lm_samples": 1,
        "lm_temperature": 0.9,
    }
    shard = modal_app.shards(VIBES, 2)[0]
    settings["contrast"] = 0.0
    summaries = modal_app.teach_shard.local(shard, settings, {"train": [item.vibe for item in VIBES]}, url)
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
        result = subprocess.run(
            [*CLI, "teacher", *args, "-o", str(tmp_path / "o")],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path.cwd())},
            timeout=120,
        )
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr


class _TableJudge:
    """A stand-in CandidateJudge: the 'features' of a config are its rhythm, rewards come from a table."""

    def __init__(self, table: dict[tuple[str, str], float]) -> None:
        self.table = table

    def features(self, config: MusicConfig) -> dict:
        return {"rhythm": config.rhythm}

    def judge(self, vibe: str, features: dict) -> Judgement:
        return Judgement(self.table[(features["rhythm"], vibe)], {})


def test_contrast_prefers_the_config_that_fits_only_this_vibe():
    vibes = ["marching band at dawn", "quiet snowfall", "rain on a tin roof"]
    table = {("kit_medium", v): 0.80 for v in vibes}  # fits every vibe a little better than anything else
    table |= {("military", vibes[0]): 0.75, ("military", vibes[1]): 0.30, ("military", vibes[2]): 0.30}
    judge = _TableJudge(table)
    generic, specific = (MusicConfig.parse({**EXAMPLE, "rhythm": r}) for r in ("kit_medium", "military"))
    plain = VibeObjective(judge, vibes[0], vibes[1:], ObjectiveSettings(contrast=0.0, prior=0.0))
    assert plain(generic).reward > plain(specific).reward  # the judge alone picks the generic config
    contrastive = VibeObjective(judge, vibes[0], vibes[1:], ObjectiveSettings(contrast=1.0, prior=0.0))
    assert contrastive(generic).reward == pytest.approx(0.0)
    assert contrastive(specific).reward == pytest.approx(0.45)
    assert contrastive(specific).parts == {"judge_reward": 0.75, "others_reward": 0.3}


def test_prior_penalises_contradicting_confident_implied_fields():
    vibe = "a funeral procession in the rain"
    prior = prior_fields(read(vibe))
    assert prior["mode"][0] == "minor" and prior["tempo"] == ("slow", 1.0)
    mapped = map_vibe(vibe)
    assert contradiction(mapped, prior) == 0.0
    one_step = MusicConfig.parse({**mapped.model_dump(), "tempo": "medium"})
    contrary = MusicConfig.parse({**mapped.model_dump(), "tempo": "very_fast", "mode": "major"})
    assert 0.0 < contradiction(one_step, prior) < contradiction(contrary, prior) <= 1.0
    assert mismatch("tempo", "slow", "medium") == 0.5 and mismatch("tempo", "slow", "very_fast") == 1.0


def test_other_vibes_are_deterministic_and_never_the_vibe_itself():
    pool = [f"vibe {n}" for n in range(20)]
    first = other_vibes("id-3", "vibe 3", pool, 8, seed=0)
    assert first == other_vibes("id-3", "vibe 3", pool, 8, seed=0) and len(first) == 8 and "vibe 3" not in first
    assert first != other_vibes("id-3", "vibe 3", pool, 8, seed=1)
    assert other_vibes("a", "x", ["x"], 8, seed=0) == []


def test_no_drums_never_yields_a_rhythm_layer(tmp_path):
    item = VibeItem("nodrums", "a warm summer night on the porch, no drums", "train")
    url = run_teacher([item], tmp_path, replace(FAST, budget=8))
    study = optuna.load_study(study_name=study_name(item.id), storage=open_storage(url))
    assert study.user_attrs["fixed"]["rhythm"] == "none"
    stats = export_dataset(url, tmp_path / "dataset", FAST.record(url, "x", tmp_path), "test")
    records = _read_split(tmp_path / "dataset", "train")
    assert stats["counts"] == {"train": 1} and len(records[0]["candidates"]) == 8
    assert {c["config"]["rhythm"] for c in records[0]["candidates"]} == {"none"}


def test_claims_skip_live_holders_and_take_over_dead_ones(tmp_path):
    storage = open_storage(f"sqlite:///{tmp_path / 'claims.db'}")
    assert claim(storage, "a", budget=3) == "claimed"
    assert claim(storage, "a", budget=3) == "taken"  # held by this (live) process
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    study = optuna.load_study(study_name=study_name("a"), storage=storage)
    study.set_user_attr("claimed_by", f"{socket.gethostname()}:{dead.stdout.strip()}")
    assert claim(storage, "a", budget=3) == "claimed"  # its holder is gone: searched again from scratch
    assert finished(optuna.load_study(study_name=study_name("a"), storage=storage)) == 0


def test_split_from_a_file_gets_a_clean_name_and_relative_paths(tmp_path):
    vibes = tmp_path / "my_vibes.jsonl"
    vibes.write_text(json.dumps({"id": "x", "vibe": "sunny beach morning"}) + "\n")
    out = tmp_path / "out"
    result = subprocess.run(
        [*CLI, "teacher", "--split", str(vibes), "--judge", "dsp", "--contrast", "0", "--budget", "2", "--duration", "3", "-o", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "dataset").iterdir()) == ["README.md", "embeddings.npz", "my_vibes.jsonl.gz", "stats.json"]
    assert not list(tmp_path.glob("*.jsonl.gz"))
    assert str(tmp_path) not in (out / "dataset" / "README.md").read_text().split("```")[0]
    teacher_json = json.loads((out / "run.json").read_text())
    assert teacher_json["storage"] == "sqlite:///optuna.db (in the job folder)"  # the folder can move
    assert split_label("/a/b/my vibes.jsonl") == "my_vibes" and split_label("test") == "test"


def test_text_blind_judge_refuses_a_contrast(tmp_path):
    with pytest.raises(ConfigError, match="--contrast 0"):
        run_teacher(VIBES[:1], tmp_path, replace(FAST, contrast=1.0))


def test_dataset_ships_its_embeddings_and_retrieval_uses_them(tmp_path):
    url = run_teacher(VIBES, tmp_path, FAST)
    export_dataset(url, tmp_path / "dataset", FAST.record(url, "x", tmp_path), "test")
    teacher = load_teacher(tmp_path / "dataset")
    assert set(teacher.embeddings) == {item.vibe for item in VIBES}
    assert np.array_equal(teacher.embeddings[VIBES[0].vibe], embed_texts([VIBES[0].vibe])[0])
    asked: list[str] = []

    def embed(texts):
        asked.extend(texts)
        return embed_texts(texts)

    producer = RetrievalProducer(ProducerContext(teacher=teacher, embed=embed, quiet=True))
    assert asked == [] and len(producer.index) == len(VIBES)
    producer.produce("a rainy evening in a big city", "q1")
    assert asked == ["a rainy evening in a big city"]


def test_cli_defaults_are_the_objective_defaults():
    from vibesynth.cli.teacher import teacher

    defaults = {
        name: param.default.default for name, param in inspect.signature(teacher).parameters.items() if name in ("contrast", "others", "prior")
    }
    assert defaults == {"contrast": ObjectiveSettings.contrast, "others": ObjectiveSettings.others, "prior": ObjectiveSettings.prior}
    assert TeacherSettings().budget == 32


def test_throughput_benchmark_runs_both_teachers_and_prints_the_ratio():
    """The benchmark of scripts/bench_teacher.py on a tiny budget (its numbers are read by people, not asserted)."""
    result = subprocess.run(
        [sys.executable, "scripts/bench_teacher.py", "--vibes", "1", "--budget", "2", "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "teacher v1 (d85e015)" in result.stdout and "throughput ratio v2 / v1 =" in result.stdout


REPO = Path(__file__).resolve().parents[1]


def test_the_control_split_is_both_sides_of_every_pair_as_the_shipped_control_dataset_has_them():
    import gzip

    from optimize.teacher.vibes import load_vibes

    items = load_vibes("control")
    shipped = [json.loads(line)["id"] for line in gzip.open(REPO / "optimize/data/teacher-v2/control/control.jsonl.gz", "rt")]
    assert len(items) == 480 and {item.split for item in items} == {"control"}
    assert items[0].id.endswith("-low") and items[1].id.endswith("-high") and sorted(i.id for i in items) == sorted(shipped)
