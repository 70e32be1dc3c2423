"""`vibesynth dj` and `scripts/parallel_dj.sh`, run as a user would (offline, reference policy and replay)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from agent_palette import make_palette
from typer.testing import CliRunner

from agent.cli import app

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def palette(tmp_path_factory):
    return make_palette(tmp_path_factory.mktemp("palette"))


def test_dj_reference_then_replay(palette, tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(app, ["dj", "dark warehouse techno", "--lm", "reference", "--bars", "16",
                                 "--palette", str(palette), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "16/16 (set_complete)" in result.output and "OBJ" in result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["bars_played"] == 16 and summary["policy"]["lm"] == "reference"

    again = runner.invoke(app, ["dj", "--lm", f"replay:{out / 'trajectory.jsonl'}", "--out", str(tmp_path / "r"), "--quiet"])
    assert again.exit_code == 0, again.output
    assert json.loads((tmp_path / "r" / "summary.json").read_text())["audio"]["sha256"] == summary["audio"]["sha256"]

    refused = runner.invoke(app, ["dj", "x", "--palette", str(palette), "--out", str(out)])
    assert refused.exit_code == 2 and "already holds a run" in refused.output


@pytest.mark.parametrize("args, message", [
    (["dj", "x", "--lm", "gpt4"], "PROVIDER/MODEL"),
    (["dj", "x", "--palette", "/no/palette.json"], "no palette"),
    (["dj", "--lm", "reference"], "give a BRIEF"),
    (["dj", "x", "--lm", "replay:/no/t.jsonl"], "no trajectory"),
])
def test_dj_bad_input_is_a_clear_error(args, message):
    result = subprocess.run([sys.executable, "-c", "from agent.cli import main; main()", *args],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_parallel_dj_compares_two_prompts_with_statistics(palette, tmp_path):
    first = _run_reference(palette, tmp_path)
    result = subprocess.run(
        [str(REPO / "scripts" / "parallel_dj.sh"),
         "--prompt", str(REPO / "prompts" / "baseline.txt"), "--prompt", str(REPO / "prompts" / "v7_hypnotic_peak.txt"),
         "--lm", "reference", "--lm", f"replay:{first}", "--replicas", "2", "--bars", "8",
         "--palette", str(palette), "--workers", "2", "--outdir", str(tmp_path / "ab")],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    (folder,) = (tmp_path / "ab").iterdir()
    assert {"jobs.tsv", "config.json", "palette.json", "scores.jsonl", "summary.json", "prompts", "logs", "runs"} <= {
        p.name for p in folder.iterdir()
    }
    summary = json.loads((folder / "summary.json").read_text())
    assert [g["metrics"]["OBJ"]["n"] for g in summary["groups"]] == [2, 2, 2, 2]
    assert all(len(g["metrics"]["OBJ"]["ci95"]) == 2 for g in summary["groups"])
    (by_reference, by_replay) = summary["comparisons"]
    assert by_reference["versus"] == "0-baseline" and by_reference["prompt"] == "1-v7_hypnotic_peak"
    assert {"diff", "cohens_d", "p", "p_holm"} <= set(by_reference["metrics"]["OBJ"])
    # a replayed run is the same audio every time: no spread, so no p-value is invented
    assert by_replay["metrics"]["OBJ"]["p"] is None and by_replay["metrics"]["OBJ"]["note"]
    assert "Welch" in result.stdout

    rerun = subprocess.run([str(REPO / "scripts" / "parallel_dj.sh"), "--prompt", str(REPO / "prompts" / "baseline.txt"),
                            "--bars", "8", "--palette", str(palette), "--outdir", str(folder)],
                           capture_output=True, text=True, check=False)
    assert rerun.returncode == 0 and rerun.stdout.count("skip ") == 8  # resumes: finished runs are kept


def _run_reference(palette: Path, tmp_path: Path) -> Path:
    out = tmp_path / "first"
    result = runner.invoke(app, ["dj", "x", "--bars", "8", "--palette", str(palette), "--out", str(out), "--quiet",
                                 "--scorer", "none"])
    assert result.exit_code == 0, result.output
    return out / "trajectory.jsonl"
