"""The DJ eval (#24 item 6): producers' sets judged on held-out briefs, paired against the reference, resumable,
with plan-level controllability on contrasting pairs."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from optimize.eval.dj_eval import DjEvalSettings, Producers, run_dj_eval, write_report
from optimize.teacher.dj import DjTeacherSettings
from optimize.teacher.dj_job import load_briefs, run_dj_teacher
from tools.errors import ConfigError
from vibesynth.cli import app

BRIEFS = [{"id": "dark", "brief": "dark hypnotic warehouse techno, sparse"}, {"id": "sunny", "brief": "sunny euphoric beach house, busy drums"}]
PAIRS = [
    {"id": "p1", "axis": "brightness", "a": "dark murky techno in a bunker", "b": "bright sunny techno in a bunker"},
    {"id": "p2", "axis": "pace", "a": "slow house at 110 bpm", "b": "fast house at 140 bpm"},
]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dj-eval")
    (folder / "briefs.jsonl").write_text("".join(json.dumps(b) + "\n" for b in BRIEFS))
    (folder / "control.jsonl").write_text("".join(json.dumps(p) + "\n" for p in PAIRS))
    teacher = folder / "teacher"
    run_dj_teacher(load_briefs(str(folder / "briefs.jsonl")), teacher, DjTeacherSettings(budget=2, bars=4, others=1), source="test")
    return folder, teacher


def _settings(folder, teacher, **overrides) -> DjEvalSettings:
    base = {
        "producers": ("reference", "random", f"teacher:{teacher}"),
        "briefs": str(folder / "briefs.jsonl"),
        "control": str(folder / "control.jsonl"),
        "bars": 4,
        "others": 1,
    }
    return DjEvalSettings(**{**base, **overrides})


def test_every_producer_is_judged_paired_against_the_reference_and_reported(files, tmp_path):
    folder, teacher = files
    seen: list[dict] = []
    results = run_dj_eval(_settings(folder, teacher), tmp_path, seen.append)
    assert len(seen) == 6 and all(row["plan"] and 0.0 <= row["dj_reward"] <= 1.0 for row in seen)
    table = results["producers"]
    assert table["reference"]["dj_reward"]["n"] == 2 and "vs_reference" not in table["reference"]
    assert table["random"]["vs_reference"]["n"] == 2 and "p_holm" in table["random"]["vs_reference"]
    teacher_rows = [r for r in seen if r["producer"].startswith("teacher:")]
    assert [r["plan"]["palette"] for r in teacher_rows] == [r["plan"]["palette"] for r in seen if r["producer"] == "reference"]
    control = results["controllability"]
    assert control["reference"]["all"]["n"] == 2 and control[f"teacher:{teacher}"]["all"]["n"] == 0  # it never saw those briefs
    report = write_report(results, tmp_path).read_text()
    assert "| reference | 2 |" in report and "PROXY" in report and (tmp_path / "metrics.png").stat().st_size > 1000

    again: list[dict] = []
    assert run_dj_eval(_settings(folder, teacher), tmp_path, again.append)["producers"] == table and not again  # resumed
    with pytest.raises(ConfigError, match="other settings"):
        run_dj_eval(_settings(folder, teacher, bars=8), tmp_path)


def test_the_random_producer_is_seeded_by_the_brief_and_an_unknown_producer_is_named(files):
    folder, teacher = files
    producers = Producers(_settings(folder, teacher))
    assert producers.plan("random", BRIEFS[0]["brief"]) == producers.plan("random", BRIEFS[0]["brief"])
    assert producers.plan("random", BRIEFS[0]["brief"]) != producers.plan("random", BRIEFS[1]["brief"])
    with pytest.raises(ConfigError, match="unknown DJ producer.*oracle"):
        Producers(_settings(folder, teacher, producers=("reference", "oracle")))


def test_the_cli_names_a_bad_brief_file_in_one_line(tmp_path):
    (tmp_path / "bad.jsonl").write_text("{not json\n")
    result = CliRunner().invoke(app, ["eval-dj", "--briefs", str(tmp_path / "bad.jsonl"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "bad.jsonl" in result.output and "Traceback" not in result.output
