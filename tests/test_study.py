"""Optuna studies: ambient knobs on SQLite (resume, report), two workers on a real PostgreSQL, bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import optuna
import pytest

from agent.metric import AudioMetric
from optimize.study.job import run_worker
from optimize.study.report import write_report
from optimize.study.spaces import AmbientSpace
from tools.errors import ConfigError

import pg_server

CLI = [sys.executable, "-m", "vibesynth", "study"]
SPACE = AmbientSpace(brief="rainy afternoon in Tokyo", fields=("brightness", "tempo", "rhythm"), duration=1.0)
SETTINGS = {"kind": "ambient", "fields": list(SPACE.fields)}


def _env():
    return {**os.environ, "PYTHONPATH": str(Path.cwd())}


def test_ambient_study_resumes_to_its_total_and_reports(tmp_path):
    url = f"sqlite:///{tmp_path / 'optuna.db'}"
    metric = AudioMetric("vibe", key="vibe_reward")
    run_worker("s", url, SPACE, SETTINGS, 3, metric, seed=0)
    study = run_worker("s", url, SPACE, SETTINGS, 5, metric, seed=1)  # resumed: two more, not five
    trials = study.get_trials(states=(optuna.trial.TrialState.COMPLETE,))
    assert len(trials) == 5 and all(0.0 <= t.value <= 1.0 for t in trials)
    assert set(trials[0].params) == set(SPACE.fields)
    summary = write_report(url, "s", tmp_path / "report")
    assert summary["best"]["value"] == max(t.value for t in trials)
    assert (tmp_path / "report" / "history.png").read_bytes()[:4] == b"\x89PNG"
    assert "best value" in (tmp_path / "report" / "report.md").read_text()
    with pytest.raises(ConfigError, match="other settings"):
        run_worker("s", url, SPACE, {**SETTINGS, "kind": "x"}, 6, metric)


@pytest.mark.skipif(not pg_server.available(), reason="PostgreSQL server binaries missing (make setup installs them)")
def test_two_workers_share_one_postgresql_study(tmp_path):
    with pg_server.PostgresServer() as pg:
        args = [
            *CLI,
            "ambient",
            "--brief",
            "misty forest",
            "--fields",
            "brightness,space,texture",
            "--trials",
            "6",
            "--duration",
            "1",
            "--study",
            "pg",
            "--storage",
            pg.url,
            "--no-report",
        ]
        workers = [
            subprocess.Popen([*args, "-o", str(tmp_path / f"w{n}")], stderr=subprocess.PIPE, text=True, stdout=subprocess.DEVNULL, env=_env())
            for n in range(2)
        ]
        for worker in workers:
            _, err = worker.communicate(timeout=600)
            assert worker.returncode == 0, err
        study = optuna.load_study(study_name="pg", storage=pg.url)
        complete = study.get_trials(states=(optuna.trial.TrialState.COMPLETE,))
        assert 6 <= len(complete) <= 7  # the cap is checked after each trial: a race may add one
        summary = write_report(pg.url, "pg", tmp_path / "report")
        assert summary["complete"] == len(complete) and summary["importances"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["ambient", "--brief", "x", "--fields", "colour"], "unknown config fields ['colour']"),
        (["ambient", "--brief", "x", "--storage", "redis://h"], "not an RDB URL"),
        (["ambient", "--brief", "x", "--trials", "0"], "--trials 0 must be at least 1"),
        (["dj", "--brief", "x", "--palette", "/nope.json", "--lm", "openai/x", "--prompt", "prompts/baseline.txt"], "no palette at /nope.json"),
        (["report", "--study", "none", "--storage", "sqlite:///{tmp}/e.db", "-o", "{tmp}/r"], "no study 'none'"),
    ],
)
def test_study_cli_bad_input_is_one_line(tmp_path, args, message):
    args = [a.format(tmp=tmp_path) for a in args]
    result = subprocess.run(
        [*CLI, *args, "-o", str(tmp_path / "o")] if "-o" not in args else [*CLI, *args], capture_output=True, text=True, env=_env(), timeout=120
    )
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
