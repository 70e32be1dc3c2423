"""Nothing lost when a run dies (issue 15, class 2): crash, Ctrl-C, kill -9, --force, stale temp files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from agent.dj import DJRun, LMPolicy, run_dj
from agent.dj.run import audio_digest
from agent.policies import parse_policy
from agent.toolbox import MixerTools
from agent.trajectory import read_trajectory
from tools.audio_io import read_audio
from tools.errors import AgentError

from agent_palette import make_palette
from sandbox_support import needs_sandbox as sandbox_marks

REPO = Path(__file__).resolve().parents[1]
BRIEF = "dark warehouse techno, hypnotic"


@pytest.fixture(scope="module")
def palette(tmp_path_factory):
    return make_palette(tmp_path_factory.mktemp("palette"))


def _die_after(monkeypatch, bars: int, error: BaseException) -> None:
    """The next tool call once `bars` are played raises `error` (a host crash or Ctrl-C mid-run)."""
    call = MixerTools.call

    def dying(self, name, args):
        if self.session.bars_played >= bars:
            raise error
        return call(self, name, args)

    monkeypatch.setattr(MixerTools, "call", dying)


def assert_one_run(folder: Path) -> dict | None:
    """The folder holds at most one run: a valid trajectory, and set.wav/summary.json only from that run."""
    trajectory = read_trajectory(folder / "trajectory.jsonl")
    steps = [record["step"] for record in trajectory.records]
    assert steps == list(range(len(steps))), "lost or duplicated records"
    run_ids = {record["run_id"] for record in trajectory.records}
    assert len(run_ids) == 1
    ends = trajectory.of_kind("end")
    if (folder / "set.wav").exists():
        assert ends, "set.wav beside a trajectory without an end record: two runs mixed"
        audio, _ = read_audio(folder / "set.wav")
        assert audio_digest(audio) == ends[-1]["audio_sha256"]
    if (folder / "summary.json").exists():
        summary = json.loads((folder / "summary.json").read_text())
        assert summary["run_id"] in run_ids and (folder / "set.wav").exists()
        return summary
    return None


@pytest.mark.parametrize(
    "error, ended_by, raised",
    [
        (RuntimeError("boom"), "error: RuntimeError", AgentError),
        (KeyboardInterrupt(), "interrupted", KeyboardInterrupt),
    ],
)
def test_a_run_that_dies_mid_set_still_writes_the_bars_played(palette, tmp_path, monkeypatch, error, ended_by, raised):
    _die_after(monkeypatch, 8, error)
    with pytest.raises(raised):
        run_dj(DJRun(BRIEF, palette, parse_policy("fixed"), bars=32), tmp_path)
    summary = assert_one_run(tmp_path)
    assert summary["ended_by"] == ended_by and summary["bars_played"] == 8
    assert read_trajectory(tmp_path / "trajectory.jsonl").of_kind("end")[-1]["bars"] == 8
    audio, rate = read_audio(tmp_path / "set.wav")
    assert audio.shape[0] == pytest.approx(8 * 240 / summary["bpm"] * rate, abs=2)


def test_force_over_a_finished_run_clears_it_first_and_stale_temp_files_go(palette, tmp_path, monkeypatch):
    run_dj(DJRun(BRIEF, palette, parse_policy("reference"), bars=32, scorer=None), tmp_path)
    stale = tmp_path / ".set.wav.k1ll3d.tmp"
    stale.write_bytes(b"\0" * 1024)
    _die_after(monkeypatch, 0, RuntimeError("dies before a bar"))
    with pytest.raises(AgentError):
        run_dj(DJRun(BRIEF, palette, parse_policy("reference"), bars=32, scorer=None), tmp_path)
    assert not stale.exists()
    assert not (tmp_path / "summary.json").exists() and not (tmp_path / "set.wav").exists()
    assert assert_one_run(tmp_path) is None


def _start(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "vibesynth", *args], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_when(process: subprocess.Popen, ready, timeout: float = 120.0) -> bool:
    """kill -9 once `ready()` holds; False if the process finished first."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.005)
    process.wait(timeout=60)
    return False


def _new_lines(path: Path, old_run_id: str) -> int:
    """Complete lines of the trajectory at `path` once a run other than `old_run_id` writes it."""
    try:
        data = path.read_bytes()
        if old_run_id in data[:200].decode("utf-8", "replace") or b"\n" not in data:
            return 0
    except FileNotFoundError:
        return 0
    return data.count(b"\n")


@pytest.mark.slow
def test_kill_9_at_several_moments_of_dj_leaves_one_run_per_folder(palette, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = tmp_path / "run"
    args = ["dj", BRIEF, "--palette", str(palette), "--bars", "64", "--out", str(out), "--scorer", "none", "--quiet"]
    assert _start(args, env).wait(timeout=300) == 0
    finished = assert_one_run(out)
    assert finished["ended_by"] == "set_complete"
    for moment in (1, 5, 40, 10_000):  # records written before the kill (10,000: after the last one)
        process = _start([*args, "--force"], env)
        if moment == 10_000:
            killed = _kill_when(process, lambda: (out / "summary.json").exists() or (out / "set.wav").exists())
        else:
            killed = _kill_when(process, lambda: _new_lines(out / "trajectory.jsonl", finished["run_id"]) >= moment)
        summary = assert_one_run(out)
        if killed and moment < 10_000:
            assert summary is None
    assert _start([*args, "--force"], env).wait(timeout=300) == 0
    final = assert_one_run(out)
    assert final["ended_by"] == "set_complete" and final["audio"]["sha256"] == finished["audio"]["sha256"]
    assert not list(out.glob(".*.tmp"))


@pytest.mark.slow
def test_kill_9_during_palettes_build_loses_and_duplicates_nothing(tmp_path):
    from palettes.library import file_sha256

    env = {**os.environ, "PYTHONPATH": str(REPO), "VIBESYNTH_CACHE": str(tmp_path / "cache")}
    args = ["palettes", "build", "--role", "kick", "--role", "hihat", "--variants", "4"]
    manifest = tmp_path / "cache" / "samples" / "manifest.json"

    def entries() -> int:
        try:
            return len(json.loads(manifest.read_text())["samples"])
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            return 0

    for moment in (1, 3, 6):
        _kill_when(_start(args, env), lambda: entries() >= moment)
        if manifest.exists():
            json.loads(manifest.read_text())  # never a half-written manifest
    assert _start(args, env).wait(timeout=300) == 0
    samples = json.loads(manifest.read_text())["samples"]
    assert sorted(samples) == sorted(f"{role}_{v:02d}" for role in ("kick", "hihat") for v in range(1, 5))
    root = manifest.parent
    for entry in samples.values():
        assert file_sha256(root / entry["path"]) == entry["sha256"]
    assert not list(root.glob("*/.*.tmp"))
    wavs = sorted(p.relative_to(root).as_posix() for p in root.glob("*/*.wav"))
    assert wavs == sorted(entry["path"] for entry in samples.values())


@sandbox_marks[0]
@sandbox_marks[1]
def test_an_lm_reply_not_in_the_field_format_mid_run_is_an_error_the_run_survives(palette, tmp_path):
    from dspy.utils import DummyLM

    from agent.dj.scripted import code_blocks
    from agent.lm import LMSpec
    from reference.arrangements import reference_calls

    answers = [{"reasoning": f"step {i + 1}", "code": f"```python\n{block}\n```"} for i, block in enumerate(code_blocks(reference_calls("32")))]
    # the ChatAdapter fails on the bad reply and so does its JSON fallback (which asks again)
    lm = DummyLM(answers[:2] + [{"nonsense": "not the fields"}] * 2 + answers[2:])
    run = DJRun(BRIEF, palette, LMPolicy(LMSpec(model="scripted/reference"), lm=lm), bars=32, scorer=None)
    outcome = run_dj(run, tmp_path)
    assert outcome.summary["ended_by"] == "set_complete" and outcome.summary["bars_played"] == 32
    events = [r["event"]["kind"] for r in read_trajectory(tmp_path / "trajectory.jsonl").of_kind("event") if r.get("source") == "lm"]
    assert events == ["lm_format_error"]
    reference = run_dj(DJRun(BRIEF, palette, parse_policy("fixed"), bars=32, scorer=None), tmp_path / "ref")
    assert np.array_equal(outcome.audio, reference.audio)
