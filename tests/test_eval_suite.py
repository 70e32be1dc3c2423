"""The evaluation suite on a tiny split with every offline producer: report, plots, resume, bad input."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from optimize.eval import producers as reg
from optimize.eval.plots import write_plots
from optimize.eval.report import aggregate, markdown
from optimize.eval.run import EvalSettings, run_eval
from reference.vibe_mapper import map_vibe
from tools.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
VIBES = ["melancholic forest at dusk", "3am in an empty office", "joyful kitchen morning", "marching into battle"]
TRAIN = ["sad woods at night", "an office at midnight", "breakfast in a bright kitchen", "soldiers on parade"]


def bag_of_words(texts: list[str]) -> np.ndarray:
    """A stand-in embedder for tests (hashed word counts), so no MiniLM weights are needed."""
    out = np.zeros((len(texts), 64), dtype=np.float32)
    for i, text in enumerate(texts):
        for word in text.lower().replace(",", " ").split():
            out[i, zlib.crc32(word.encode()) % 64] += 1
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


@pytest.fixture()
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path / "cache"))
    split = tmp_path / "tiny.jsonl"
    split.write_text("".join(json.dumps({"id": f"v{i}", "vibe": v}) + "\n" for i, v in enumerate(VIBES)))
    teacher = tmp_path / "teacher.jsonl"
    # The teacher knows three of the four vibes (and the train vibes, the retrieval index).
    records = [{"vibe": v, "config": map_vibe(v).model_dump(), "source": "rule mapper"} for v in VIBES[:3] + TRAIN]
    teacher.write_text("".join(json.dumps(r) + "\n" for r in records))
    return split, teacher


def _settings(split: Path, teacher: Path | None, producers: str, **kw) -> EvalSettings:
    kw = {"judge": "dsp", "duration": 1.0, "sample_rate": 16000, **kw}
    return EvalSettings(producers=producers.split(","), split=str(split), teacher=str(teacher) if teacher else None, **kw)


def test_suite_on_tiny_split_with_all_offline_producers(files, tmp_path):
    split, teacher = files
    out = tmp_path / "run"
    settings = _settings(split, teacher, "random,rule,retrieval,teacher")
    run = run_eval(settings, out, embed=bag_of_words, quiet=True)
    results = aggregate(run)
    metrics = results["metrics"]
    assert metrics["rule"]["validity"] == {"n": 4, "mean": 1.0, "ci95": [1.0, 1.0]}
    # The teacher file was made by the rule mapper: rule agrees on every field, teacher with itself too.
    assert metrics["rule"]["agreement"]["mean"] == 1.0 and metrics["rule"]["agreement"]["n"] == 3
    assert metrics["teacher"]["missing"] == 1 and metrics["teacher"]["reward"]["n"] == 3
    assert metrics["random"]["agreement"]["mean"] < 0.5
    assert metrics["teacher"]["pct_of_teacher"]["mean"] == pytest.approx(100.0)
    for name in ("random", "rule", "retrieval", "teacher"):
        reward = metrics[name]["reward"]
        assert 0 < reward["mean"] <= 1 and reward["ci95"][0] <= reward["mean"] <= reward["ci95"][1]
        assert metrics[name]["dsp_obj"]["n"] == metrics[name]["reward"]["n"]
    # Retrieval copies the nearest teacher vibe: "joyful kitchen morning" -> the kitchen breakfast vibe.
    row = next(r for r in run.rows if r["producer"] == "retrieval" and r["id"] == "v2")
    assert row["note"].startswith("breakfast in a bright kitchen")
    assert row["config"] == map_vibe(TRAIN[2]).model_dump()
    tested = {t["producer"] for t in results["tests"]["reward"]}
    assert tested == {"random", "retrieval", "teacher"}  # all against the baseline, rule
    assert all("p_holm" in t for t in results["tests"]["reward"])
    control = results["controllability"]["producers"]
    assert control["rule"]["overall"]["n"] == 240
    assert control["rule"]["overall"]["mean"] > control["random"]["overall"]["mean"]
    assert control["teacher"]["overall"]["n"] == 0  # the teacher file has none of the control vibes: missing, not misses
    report = markdown(results)
    assert "| `retrieval` | 4 |" in report and "dsp OBJ / 10" in report
    paths = write_plots(results, run.rows, out)
    names = {p.name for p in paths}
    assert {"metrics.png", "rewards.png", "controllability.png", "confusion_random.png", "confusion_rule.png"} <= names
    for path in paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000
    lines = (out / "examples.jsonl").read_text().splitlines()
    assert len(lines) == 16 and json.loads((out / "run.json").read_text())["settings"]["judge"] == "dsp"


def test_resume_skips_done_rows_and_registry_takes_new_producers(files, tmp_path):
    split, _ = files
    calls: list[str] = []

    class Counting(reg.Producer):
        def produce(self, vibe, example_id):
            calls.append(example_id)
            return reg.Production(json.dumps(map_vibe(vibe).model_dump()))

    reg.register("counting", lambda arg, ctx: Counting())
    try:
        out = tmp_path / "run"
        run_eval(_settings(split, None, "counting,random", controllability=False, limit=2), out, quiet=True)
        assert calls == ["v0", "v1"]
        first = (out / "examples.jsonl").read_text().splitlines()
        run = run_eval(_settings(split, None, "counting,random", controllability=False, limit=4), out, quiet=True)
        assert calls == ["v0", "v1", "v2", "v3"]  # only the new vibes ran
        again = (out / "examples.jsonl").read_text().splitlines()
        assert len(run.rows) == 8 and set(first) <= set(again)
        with pytest.raises(ConfigError, match="other settings"):
            run_eval(_settings(split, None, "counting", controllability=False, limit=4, duration=2.0), out, quiet=True)
    finally:
        reg.REGISTRY.pop("counting")


def _cli(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "VIBESYNTH_CACHE": str(tmp_path / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "vibesynth", "eval", *args, "-o", str(tmp_path / "o")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown_producer", "unknown producer 'nope'"),
        ("empty_split", "has no vibes"),
        ("missing_vibe", "record 2 has no `vibe` text"),
        ("lm_without_model", "producer lm needs an argument"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(case, message, tmp_path):
    split = tmp_path / "split.jsonl"
    producers = "rule"
    if case == "unknown_producer":
        split.write_text('{"vibe": "rain"}\n')
        producers = "rule,nope"
    elif case == "empty_split":
        split.write_text("\n")
    elif case == "missing_vibe":
        split.write_text('{"vibe": "rain"}\n{"text": "no vibe here"}\n')
    else:
        split.write_text('{"vibe": "rain"}\n')
        producers = "lm"
    result = _cli("--producers", producers, "--split", str(split), "--judge", "dsp", tmp_path=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr


def test_teacher_file_errors_name_the_record(tmp_path):
    from optimize.eval.teacher import load_teacher

    bad = tmp_path / "t.jsonl"
    bad.write_text(json.dumps({"vibe": "rain", "config": {"tempo": "warp"}}) + "\n")
    with pytest.raises(ConfigError, match="record 1 has an invalid config"):
        load_teacher(bad)
    bad.write_text(json.dumps({"vibe": "rain"}) + "\n")
    with pytest.raises(ConfigError, match="record 1 has no `config`"):
        load_teacher(bad)
    # The teacher job's export: gzipped, with extra keys (settings, candidates) kept and ignored.
    good = tmp_path / "train.jsonl.gz"
    record = {"vibe": "Rain!", "config": map_vibe("rain").model_dump(), "reward": 0.6, "teacher": {"budget": 8}, "candidates": []}
    good.write_bytes(gzip.compress((json.dumps(record) + "\n").encode()))
    teacher = load_teacher(good)
    assert teacher.get("rain").config == map_vibe("rain") and teacher.get("rain").reward == 0.6
    (tmp_path / "t.jsonl").write_text(json.dumps({"vibe": "fog", "config": map_vibe("fog").model_dump()}) + "\n")
    folder = load_teacher(tmp_path)  # a dataset folder: every split file in it
    assert len(folder) == 2 and folder.get("fog").config == map_vibe("fog")
    (tmp_path / "torn.jsonl.gz").write_bytes(gzip.compress(b'{"vibe": "x"}\n')[:-9])
    with pytest.raises(ConfigError, match="cannot be read"):
        load_teacher(tmp_path / "torn.jsonl.gz")


def test_several_teacher_folders_join_with_their_embeddings(tmp_path):
    from aesthetics.embed import EMBED_VERSION
    from optimize.eval.teacher import load_teacher
    from tools.schema import EXAMPLE

    for name, vibe in (("main", "rain on a tin roof"), ("control", "slow rain on a tin roof")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "test.jsonl").write_text(json.dumps({"vibe": vibe, "config": EXAMPLE}) + "\n")
        np.savez(folder / "embeddings.npz", texts=np.asarray([vibe]), vectors=np.ones((1, 384), np.float32), version=np.asarray(EMBED_VERSION))
    joined = load_teacher(f"{tmp_path / 'main'},{tmp_path / 'control'}")
    assert len(joined) == 2 and joined.get("slow rain on a tin roof") is not None
    assert set(joined.embeddings) == {"rain on a tin roof", "slow rain on a tin roof"}
