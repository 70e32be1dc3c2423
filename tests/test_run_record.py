"""run.json: one name for the record every job keeps beside its results; a folder that holds an older name is
refused with the rename, never started afresh over it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tools.errors import ConfigError, InputError
from tools.run_record import RUN_FILE, read_run, write_run
from vibesynth.cli import app


def test_a_record_round_trips_and_a_folder_without_one_reads_none(tmp_path):
    assert read_run(tmp_path, "teacher settings", old_name="teacher.json") is None
    write_run(tmp_path, {"budget": 32, "judge": "vibe"})
    assert (tmp_path / RUN_FILE).is_file() and read_run(tmp_path, "teacher settings") == {"budget": 32, "judge": "vibe"}


def test_an_unreadable_record_is_named(tmp_path):
    (tmp_path / RUN_FILE).write_text("{not json")
    with pytest.raises(InputError, match="eval settings"):
        read_run(tmp_path, "eval settings")


def test_a_folder_with_only_the_old_name_is_refused_with_the_rename(tmp_path):
    (tmp_path / "settings.json").write_text(json.dumps({"kind": "sft"}))
    expected = rf"settings.json is the distill settings an older vibesynth wrote; rename it to run.json \(mv .*settings.json .*{RUN_FILE}\)"
    with pytest.raises(ConfigError, match=expected):
        read_run(tmp_path, "distill settings", old_name="settings.json")


def test_the_cli_names_the_rename_for_an_old_teacher_folder_in_one_line(tmp_path):
    (tmp_path / "teacher.json").write_text(json.dumps({"judge": "vibe", "budget": 8, "vibes_sha256": "x"}))
    result = CliRunner().invoke(app, ["render", "--from-teacher", str(tmp_path), "--vibe-id", "a", "-o", str(tmp_path / "a.wav")])
    assert result.exit_code == 2 and "rename it to run.json" in result.output and "Traceback" not in result.output
