"""Batch render (`render --vibes`: resume after kill, atomic outputs, workers) and rendering a study's or teacher's best."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.metric import AudioMetric
from optimize.study.job import run_worker
from optimize.study.report import write_report
from optimize.study.spaces import AmbientSpace
from optimize.teacher.dataset import export_dataset
from optimize.teacher.job import TeacherSettings, VibeItem, run_teacher, vibes_digest
from optimize.teacher.judging import Clip
from reference.vibe_mapper import map_vibe
from vibesynth.cli.app import app

runner = CliRunner()
VIBES = [
    {"vibe": "rain on a tin roof", "id": "rain"},
    {"vibe": "dark warehouse techno"},
    {"vibe": "sunny beach morning", "id": "beach"},
    {"vibe": "lonely city at 3am", "id": "night"},
]


def _vibes(tmp_path: Path) -> Path:
    path = tmp_path / "vibes.jsonl"
    path.write_text("".join(json.dumps(v) + "\n" for v in VIBES))
    return path


def _batch(vibes: Path, out: Path, *extra: str):
    return runner.invoke(app, ["render", "--vibes", str(vibes), "-o", str(out), "--duration", "1", *extra])


def test_batch_writes_one_wav_and_sidecar_per_record_and_its_settings(tmp_path):
    out = tmp_path / "out"
    result = _batch(_vibes(tmp_path), out, "--workers", "2", "--midi")
    assert result.exit_code == 0, result.output
    assert "rendered 4, skipped 0" in result.output
    for name in ("rain", "0002", "beach", "night"):
        meta = json.loads((out / f"{name}.json").read_text())
        assert meta["audio"] == f"{name}.wav" and meta["batch_id"] == name and meta["midi"]["file"] == f"{name}.mid"
        assert (out / f"{name}.wav").is_file() and (out / f"{name}.mid").is_file()
    assert json.loads((out / "0002.json").read_text())["vibe"] == "dark warehouse techno"
    settings = json.loads((out / "batch.json").read_text())
    assert settings["records"] == 4 and settings["duration"] == 1.0 and settings["midi"] is True
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_rerun_renders_only_what_is_missing_and_partial_files_never_count(tmp_path):
    vibes, out = _vibes(tmp_path), tmp_path / "out"
    assert _batch(vibes, out).exit_code == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    (out / "beach.json").unlink()  # killed between the audio and its sidecar
    (out / "night.wav").unlink()  # a sidecar without its audio
    (out / "rain.json").unlink()
    (out / ".rain.wav.x1y2.tmp").write_bytes(b"RIFF half a file")  # what a kill mid-write leaves
    time.sleep(0.01)
    result = _batch(vibes, out)
    assert result.exit_code == 0, result.output
    assert "rendered 3, skipped 1" in result.output
    assert (out / "0002.json").stat().st_mtime_ns == stamps["0002.json"]  # the finished one was not touched
    assert all((out / f"{n}.json").is_file() and (out / f"{n}.wav").is_file() for n in ("rain", "beach", "night"))


def test_a_killed_batch_resumes_where_it_stopped(tmp_path):
    vibes, out = _vibes(tmp_path), tmp_path / "out"
    cmd = [sys.executable, "-m", "vibesynth", "render", "--vibes", str(vibes), "-o", str(out), "--duration", "20"]
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 240
    while not (out / "rain.json").is_file() and time.time() < deadline and child.poll() is None:
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    assert (out / "rain.json").is_file(), "the first record never finished"
    finished = {p.stem for p in out.glob("*.json")} - {"batch"}
    assert finished != {"rain", "0002", "beach", "night"}, "the batch finished before the kill; nothing to resume"
    first = (out / "rain.wav").stat().st_mtime_ns
    result = runner.invoke(app, ["render", "--vibes", str(vibes), "-o", str(out), "--duration", "20"])
    assert result.exit_code == 0, result.output
    assert f"rendered {4 - len(finished)}, skipped {len(finished)}" in result.output
    assert (out / "rain.wav").stat().st_mtime_ns == first
    assert {p.stem for p in out.glob("*.json")} == {"rain", "0002", "beach", "night", "batch"}
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    "lines,message",
    [
        (['{"vibe": ""}'], 'needs a non-empty "vibe"'),
        (['{"vibe": "rain", "id": "../x"}'], "not a usable file name"),
        (['{"vibe": "rain", "id": "a"}', '{"vibe": "sun", "id": "a"}'], "ids must be unique"),
        (['{"vibe": "rain", "mood": "x"}'], "unknown keys mood"),
        (["not json"], "vibes.jsonl:1"),
    ],
)
def test_bad_vibes_files_are_one_line(tmp_path, lines, message):
    path = tmp_path / "vibes.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = _batch(path, tmp_path / "out")
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_batch_option_mistakes_are_one_line(tmp_path):
    assert "-o" in _batch(_vibes(tmp_path), tmp_path / "x.wav").output
    both = runner.invoke(app, ["render", "--vibes", str(_vibes(tmp_path)), "--vibe", "rain", "-o", str(tmp_path / "o")])
    assert both.exit_code == 2 and "exactly one config source" in both.output
    lone = runner.invoke(app, ["render", "--vibe", "rain", "--workers", "2", "-o", str(tmp_path / "a.wav")])
    assert lone.exit_code == 2 and "--workers renders a batch" in lone.output


def test_render_a_study_best_trial(tmp_path):
    space = AmbientSpace(brief="rainy afternoon in Tokyo", fields=("brightness", "tempo"), duration=1.0)
    url = f"sqlite:///{tmp_path / 'optuna.db'}"
    run_worker("s", url, space, {"kind": "ambient", "brief": space.brief, "fields": list(space.fields)}, 3, AudioMetric("dsp", key="OBJ"), seed=0)
    summary = write_report(url, "s", tmp_path / "st")
    expected = {**map_vibe(space.brief).model_dump(mode="json"), **summary["best"]["params"]}
    for how in (["--config", str(tmp_path / "st" / "run.json")], ["--from-study", str(tmp_path / "st")]):
        out = tmp_path / f"{how[0][2:]}.wav"
        result = runner.invoke(app, ["render", *how, "--duration", "1", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert f"best trial ({summary['best']['number']}" in result.output and "tuned brightness, tempo" in result.output
        meta = json.loads(out.with_suffix(".json").read_text())
        assert meta["config"] == expected and meta["source"] == "study" and meta["study_trial"] == summary["best"]["number"]
    dj = dict(json.loads((tmp_path / "st" / "run.json").read_text()), settings={"kind": "dj"})
    (tmp_path / "dj.json").write_text(json.dumps(dj))
    refused = runner.invoke(app, ["render", "--config", str(tmp_path / "dj.json"), "-o", str(tmp_path / "d.wav")])
    assert refused.exit_code == 2 and "tuned DJ prompts" in refused.output


def test_render_a_teacher_runs_best_for_a_vibe(tmp_path):
    run = tmp_path / "teacher"
    items = [VibeItem("rain", "rainy afternoon in Tokyo", "train"), VibeItem("techno", "dark warehouse techno", "test")]
    settings = TeacherSettings(judge="dsp", budget=3, clip=Clip(duration=2.0, sample_rate=22050, seed=0), contrast=0.0)
    url = run_teacher(items, run, settings)
    from optimize.teacher.storage import portable

    record = {**json.loads((run / "run.json").read_text())}
    assert record["storage"] == portable(url, run)
    # before the export: read from the run's SQLite storage
    out = tmp_path / "from-storage.wav"
    result = runner.invoke(app, ["render", "--from-teacher", str(run), "--vibe-id", "techno", "--duration", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    from_storage = json.loads(out.with_suffix(".json").read_text())
    assert from_storage["source"] == "teacher" and from_storage["vibe"] == "dark warehouse techno"
    assert from_storage["teacher_from"].endswith("optuna.db")
    # after the export: read from the dataset, the same config
    export_dataset(url, run / "dataset", settings.record(url, vibes_digest(items), run), "test")
    out = tmp_path / "from-dataset.wav"
    result = runner.invoke(app, ["render", "--from-teacher", str(run), "--vibe-id", "techno", "--duration", "1", "-o", str(out)])
    assert result.exit_code == 0 and "reward" in result.output, result.output
    from_dataset = json.loads(out.with_suffix(".json").read_text())
    assert from_dataset["teacher_from"].endswith("test.jsonl.gz") and from_dataset["config"] == from_storage["config"]
    missing = runner.invoke(app, ["render", "--from-teacher", str(run), "--vibe-id", "jazz", "-o", str(tmp_path / "j.wav")])
    assert missing.exit_code == 2 and "no finished vibe 'jazz'" in missing.output and "rain" in missing.output
    unnamed = runner.invoke(app, ["render", "--from-teacher", str(run), "-o", str(tmp_path / "j.wav")])
    assert unnamed.exit_code == 2 and "--vibe-id ID" in unnamed.output
    settings_file = runner.invoke(app, ["render", "--config", str(run / "run.json"), "-o", str(tmp_path / "t.wav")])
    assert settings_file.exit_code == 2 and "--from-teacher" in settings_file.output
