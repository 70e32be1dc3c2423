"""Defects a new user hit (issue #27): low-rate audio, batch scoring with a bad file, Ctrl+C in the
teacher, NaN/Infinity in written JSON, and non-finite numbers in CLI options."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from aesthetics import get_scorer
from judge_signals import SR, music
from tools.audio_io import write_audio, write_json
from vibesynth.cli import app

CLI = [sys.executable, "-c", "from vibesynth.cli import main; main()"]
runner = CliRunner()


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "400"}  # wide enough that rich keeps each path on one line
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, env=env)


def _strict_json(text: str):
    """json.loads that refuses NaN/Infinity, as strict parsers (JavaScript, jq, Go) do."""
    def refuse(constant: str):
        raise ValueError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


# 1. audio at or below 11.025 kHz used to raise IndexError in aesthetics/dsp/content.py


@pytest.mark.parametrize("rate", [8000, 11025, 16000])
@pytest.mark.parametrize("channels", [1, 2])
def test_low_rate_audio_scores_with_the_dsp_proxy(rate, channels):
    audio = music(4.0, sr=rate)[:, :channels]
    scores = get_scorer("dsp").score(audio, rate)
    assert scores.backend == "dsp" and 0.0 < scores.OBJ <= 10.0
    assert all(np.isfinite(v) for v in scores.extra.values())


def test_low_rate_sine_scores_on_the_command_line(tmp_path):
    t = np.arange(2 * 8000) / 8000
    path = tmp_path / "sine8k.wav"
    write_audio(path, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[:, None], 8000, "pcm16")
    done = _run("score", str(path), "--json")
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout)
    assert line["backend"] == "dsp" and line["extra"]["dsp_spectral_peaks"] == 1.0


# 2. a batch stopped at the first bad file and printed nothing for the good ones


def test_score_batch_scores_every_file_and_reports_each_bad_one(tmp_path):
    good = write_audio(tmp_path / "good.wav", music(3.0), SR, "pcm16")
    junk = tmp_path / "junk.wav"
    junk.write_text("not audio")
    short = write_audio(tmp_path / "short.wav", music(0.2), SR, "pcm16")  # read fine, refused by the scorer
    alone = _run("score", str(good), "--json")
    assert alone.returncode == 0, alone.stderr
    done = _run("score", str(junk), str(good), str(short), "--json")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(junk), str(good), str(short)]
    assert lines[1] == json.loads(alone.stdout)  # the good file's line is exactly the one it gets alone
    assert set(lines[0]) == {"file", "error"} and "not readable" in lines[0]["error"]
    assert set(lines[2]) == {"file", "error"} and "at least 0.5 s" in lines[2]["error"]
    assert done.stderr.count("error:") == 1 and "2 of 3 files could not be scored" in done.stderr

    bad_only = _run("score", str(junk), str(short), "--json")  # one readable clip, and the scorer refuses it
    assert bad_only.returncode == 2 and "Traceback" not in bad_only.stderr
    assert [set(json.loads(line)) for line in bad_only.stdout.splitlines()] == [{"file", "error"}] * 2

    table = _run("score", str(good), str(tmp_path / "missing.wav"))
    assert table.returncode == 2 and "Traceback" not in table.stderr
    assert "good.wav" in table.stdout and "PROXY" in table.stdout
    assert "missing.wav: no such audio file" in table.stderr and "1 of 2 files" in table.stderr


# 3. Ctrl+C in the teacher printed a KeyboardInterrupt traceback and "Trial N failed"


def _complete_trials(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=30) as con:
            return con.execute("SELECT COUNT(*) FROM trials WHERE state = 'COMPLETE'").fetchone()[0]
    except sqlite3.OperationalError:  # tables not made yet
        return 0


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_stops_the_teacher_in_one_line_and_keeps_its_trials(tmp_path, workers):
    vibes = tmp_path / "vibes.jsonl"
    vibes.write_text("".join(json.dumps({"id": i, "vibe": v, "split": "train"}) + "\n"
                             for i, v in (("rain", "rainy afternoon in Tokyo"), ("techno", "dark warehouse techno"))))
    out = tmp_path / "out"
    args = [*CLI, "teacher", "--split", str(vibes), "--judge", "dsp", "--budget", "40", "--duration", "2",
            "--workers", str(workers), "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 90
    while _complete_trials(out / "optuna.db") < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)  # what Ctrl+C sends
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    for noise in ("Traceback", "KeyboardInterrupt", "failed"):
        assert noise not in stderr and noise not in stdout
    last = stdout.strip().splitlines()[-1]
    assert last.startswith("interrupted:") and "resume" in last and "optuna.db" in last
    assert 0 < _complete_trials(out / "optuna.db") < 80


# 4. a 0.01 s render wrote "integrated_lufs": -Infinity (not JSON) and no note


def test_a_too_short_render_writes_strict_json_with_a_loudness_note(tmp_path):
    out = tmp_path / "x.wav"
    result = runner.invoke(app, ["render", "--vibe", "rain", "--duration", "0.01", "-o", str(out)])
    assert result.exit_code == 0, result.output
    sidecar = _strict_json(out.with_suffix(".json").read_text())
    assert sidecar["integrated_lufs"] is None
    assert "too short to measure loudness" in sidecar["loudness_note"] and "not reached" in sidecar["loudness_note"]
    assert "too short to measure loudness" in result.output


def test_a_normal_render_has_no_loudness_note(tmp_path):
    import vibesynth

    piece = vibesynth.render("rain", duration=1.0)
    assert piece.info["integrated_lufs"] == pytest.approx(-16.0, abs=0.05) and "loudness_note" not in piece.info


def test_json_writers_refuse_nan_and_infinity(tmp_path):
    from optimize.files import write_json as write_optimize_json
    from optimize.files import write_jsonl

    for write, payload in ((write_json, {"audio": {"lufs": float("-inf")}}),
                           (write_optimize_json, {"audio": {"lufs": float("-inf")}}),
                           (write_jsonl, [{"ok": 1.0}, {"audio": {"lufs": float("nan")}}])):
        path = tmp_path / "out.json"
        with pytest.raises(ValueError, match=r"audio\.lufs.*not JSON"):
            write(path, payload)
        assert not path.exists()
    write_json(tmp_path / "fine.json", {"lufs": None, "peak": -1.0})
    assert _strict_json((tmp_path / "fine.json").read_text()) == {"lufs": None, "peak": -1.0}


# 5. `vibesynth dj --temperature nan` was accepted and ran


@pytest.mark.parametrize("args", [
    ["dj", "a brief", "--temperature", "nan"],
    ["dj", "a brief", "--temperature", "inf"],
    ["dj", "a brief", "--bpm", "nan"],
    ["dj", "a brief", "--block-seconds", "inf"],
    ["render", "--vibe", "rain", "-o", "x.wav", "--duration", "inf"],
    ["render", "--vibe", "rain", "-o", "x.wav", "--target-lufs", "nan"],
    ["teacher", "--duration", "nan"],
    ["teacher", "--duration", "-inf"],
])
def test_non_finite_numbers_in_options_are_refused_in_one_line(tmp_path, args):
    args = [str(tmp_path / a) if a == "x.wav" else a for a in args]
    result = runner.invoke(app, [*args, *(["-o", str(tmp_path / "never")] if args[0] != "render" else [])])
    assert result.exit_code == 2, result.output
    option = args[-2]  # the option given the non-finite value
    assert f"{option} " in result.output and "not a finite number" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (tmp_path / "never").exists() and not (tmp_path / "x.wav").exists()
