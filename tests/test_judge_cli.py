"""`vibesynth score`: JSON lines in order, the proxy caption, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys

from tools.audio_io import write_audio

from judge_signals import SR, bad_audio, music

CLI = [sys.executable, "-c", "from vibesynth.cli import main; main()"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def test_score_json_lines_in_order(tmp_path):
    good = music(6.0)
    paths = [
        write_audio(tmp_path / "noise.wav", bad_audio(good)["white_noise"], SR, "pcm16"),
        write_audio(tmp_path / "good.flac", good, SR, "pcm24"),
    ]
    done = _run("score", *map(str, paths), "--json")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(p) for p in paths]
    for line in lines:
        assert line["backend"] == "dsp" and line["version"] == "dsp-proxy-3"
        assert {"OBJ", "CE", "CU", "PC", "PQ"} <= set(line)
    assert lines[1]["OBJ"] > lines[0]["OBJ"]
    table = _run("score", str(paths[1]))
    assert table.returncode == 0 and "PROXY" in table.stdout


def test_score_errors_are_clean(tmp_path):
    junk = tmp_path / "junk.wav"
    junk.write_text("not audio")
    for args, needle in (
        ([str(junk)], "not readable"),
        ([str(tmp_path / "missing.wav")], "no such"),
        ([str(junk), "--backend", "nope"], "unknown scorer backend"),
        ([str(junk), "--backend", "clap"], "clap backend needs --text"),
    ):
        done = _run("score", *args)
        assert done.returncode == 2 and needle in done.stderr and "Traceback" not in done.stderr
