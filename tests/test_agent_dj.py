"""DJ runs end to end: reference policy, scripted LM through the real RLM and sandbox, replay."""

from __future__ import annotations

import json

import numpy as np
import pytest

from agent.dj import DJRun, LMPolicy, replay_run, run_dj
from agent.dj.scripted import code_blocks, scripted_lm
from agent.lm import LMSpec
from agent.policies import parse_policy
from agent.sandbox import SandboxLimits
from agent.trajectory import read_trajectory
from palettes.library import load_palette
from reference.arrangements import reference_calls, render_reference

from agent_palette import make_palette
from sandbox_support import needs_sandbox as sandbox_marks

BRIEF = "dark warehouse techno, hypnotic"
SCRIPTED = LMSpec(model="scripted/reference")


def scripted(lm, **options):
    return LMPolicy(SCRIPTED, lm=lm, **options)


def needs_sandbox(test):
    for mark in sandbox_marks:
        test = mark(test)
    return test


@pytest.fixture(scope="module")
def palette(tmp_path_factory):
    return make_palette(tmp_path_factory.mktemp("palette"))


@pytest.fixture(scope="module")
def reference_32(palette, tmp_path_factory):
    return run_dj(DJRun(BRIEF, palette, parse_policy("fixed"), bars=32), tmp_path_factory.mktemp("ref"))


def test_reference_policy_leaves_audio_trajectory_and_scores(reference_32, palette):
    out, summary = reference_32.out_dir, reference_32.summary
    assert {p.name for p in out.iterdir()} == {"set.wav", "trajectory.jsonl", "summary.json"}
    assert summary["bars_played"] == 32 and summary["ended_by"] == "set_complete"
    assert [p["phase"] for p in summary["phases"]] == ["intro", "build", "peak", "strip", "outro"]
    assert summary["scores"]["backend"] == "dsp" and summary["scores"]["OBJ"] is not None
    assert summary["audio"]["true_peak_dbtp"] <= -0.99
    # the agent's tool layer changes nothing: same audio as the reference renderer
    expected = render_reference(load_palette(palette), "32").audio
    assert np.array_equal(reference_32.audio, expected)
    trajectory = read_trajectory(out / "trajectory.jsonl")
    assert trajectory.header["palette_id"] == "agent_test"
    assert trajectory.tool_calls() == reference_calls("32")
    assert trajectory.of_kind("end")[0]["audio_sha256"] == summary["audio"]["sha256"]


def test_replay_reproduces_the_audio_bit_for_bit(reference_32, tmp_path):
    outcome = run_dj(replay_run(reference_32.out_dir / "trajectory.jsonl", scorer=None), tmp_path)
    assert np.array_equal(outcome.audio, reference_32.audio)
    assert outcome.summary["audio"]["sha256"] == reference_32.summary["audio"]["sha256"]
    assert outcome.summary["scores"] is None


def test_a_crashed_run_leaves_a_replayable_trajectory(reference_32, tmp_path):
    lines = (reference_32.out_dir / "trajectory.jsonl").read_text().splitlines()
    cut = tmp_path / "crashed.jsonl"
    cut.write_text("\n".join(lines[:12]) + "\n" + lines[12][: len(lines[12]) // 2])
    trajectory = read_trajectory(cut)
    assert trajectory.truncated and len(trajectory.records) == 12
    outcome = run_dj(replay_run(cut, scorer=None), tmp_path / "out")
    assert outcome.summary["ended_by"] == "calls_exhausted"
    assert 0 < outcome.summary["bars_played"] < 32


def test_a_given_bpm_is_used_as_given(palette, tmp_path):
    from tools.errors import ConfigError

    with pytest.raises(ConfigError, match="bpm 0"):
        run_dj(DJRun(BRIEF, palette, parse_policy("reference"), bars=4, bpm=0, scorer=None), tmp_path)


def test_the_reference_refuses_lengths_it_cannot_fill(palette, tmp_path):
    from tools.errors import ConfigError

    with pytest.raises(ConfigError, match="no reference arrangement fills 129 bars"):
        run_dj(DJRun(BRIEF, palette, parse_policy("fixed"), bars=129, scorer=None), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_replay_refuses_a_changed_palette(palette, tmp_path):
    import hashlib
    import shutil

    from tools.errors import AgentError

    copy = palette.with_name("replayed_palette.json")
    shutil.copy(palette, copy)
    recorded = run_dj(DJRun(BRIEF, copy, parse_policy("reference"), bars=4, scorer=None), tmp_path / "rec")
    trajectory = tmp_path / "rec" / "trajectory.jsonl"
    assert read_trajectory(trajectory).header["palette_sha256"] == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert run_dj(replay_run(trajectory, scorer=None), tmp_path / "same").summary["audio"] == recorded.summary["audio"]
    copy.write_text(copy.read_text().replace('"bpm": 128.0', '"bpm": 130.0'))
    with pytest.raises(AgentError, match="changed since"):
        run_dj(replay_run(trajectory, scorer=None), tmp_path / "changed")
    copy.unlink()
    with pytest.raises(AgentError, match="restore it to replay"):
        run_dj(replay_run(trajectory, scorer=None), tmp_path / "gone")


@needs_sandbox
def test_scripted_lm_plays_the_set_in_the_sandbox_and_the_hard_stop_ends_it(palette, reference_32, tmp_path):
    blocks = code_blocks(reference_calls("32"))
    outcome = run_dj(DJRun(BRIEF, palette, scripted(scripted_lm(blocks)), bars=32), tmp_path)
    summary = outcome.summary
    assert summary["ended_by"] == "set_complete" and summary["bars_played"] == 32
    assert summary["lm_calls"] == len(blocks)  # no LM call after the hard stop (the SUBMIT answer is unused)
    assert np.array_equal(outcome.audio, reference_32.audio)
    trajectory = read_trajectory(tmp_path / "trajectory.jsonl")
    kinds = [r["kind"] for r in trajectory.records]
    assert kinds[0] == "run" and kinds[-1] == "end" and {"lm", "code", "tool"} <= set(kinds)
    first_lm = trajectory.of_kind("lm")[0]
    assert any("four_on_floor" in str(o) for o in first_lm["outputs"]) and first_lm["messages"]
    assert trajectory.of_kind("code")[-1]["output"].startswith("FINAL:")
    # the LM's run replays exactly, without the LM
    replay = run_dj(DJRun(BRIEF, palette, parse_policy(f"replay:{tmp_path / 'trajectory.jsonl'}"), bars=32, scorer=None), tmp_path / "replay")
    assert np.array_equal(replay.audio, outcome.audio)


@needs_sandbox
def test_a_sandbox_crash_and_a_runaway_block_mid_run_are_survived(palette, reference_32, tmp_path):
    blocks = code_blocks(reference_calls("32"))
    blocks.insert(2, "import os\nos.system('true')")  # kills Pyodide's Deno process
    blocks.insert(4, "while True:\n    pass")
    policy = scripted(scripted_lm(blocks), limits=SandboxLimits(block_seconds=2))
    outcome = run_dj(DJRun(BRIEF, palette, policy, bars=32, scorer=None), tmp_path)
    assert outcome.summary["ended_by"] == "set_complete"
    events = [r["event"]["kind"] for r in read_trajectory(tmp_path / "trajectory.jsonl").of_kind("event") if r.get("source") == "sandbox"]
    assert events == ["sandbox_crash", "sandbox_timeout"]
    assert np.array_equal(outcome.audio, reference_32.audio)


@needs_sandbox
def test_an_lm_that_never_finishes_is_ended_by_max_iters(palette, tmp_path):
    from dspy.utils import DummyLM

    answers = [{"reasoning": "look", "code": "print(status())"}] * 2 + [{"summary": "only looked"}]
    run = DJRun(BRIEF, palette, scripted(DummyLM(answers), max_iters=2), bars=16, scorer=None)
    outcome = run_dj(run, tmp_path)
    assert outcome.summary["ended_by"] == "max_iters" and outcome.summary["bars_played"] == 0
    status = json.loads(read_trajectory(tmp_path / "trajectory.jsonl").of_kind("tool")[0]["result"])
    assert status["bars_left"] == 16


@needs_sandbox
def test_an_openai_compatible_server_plays_the_set_and_replicas_skip_the_cache(palette, reference_32, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from vibesynth.cli import app

    from agent_lm_server import ScriptedChatServer

    monkeypatch.delenv("VIBESYNTH_API_KEY", raising=False)
    blocks = code_blocks(reference_calls("32"))
    with ScriptedChatServer(blocks + blocks) as server:
        for replica in (1, 2):
            result = CliRunner().invoke(
                app,
                [
                    "dj",
                    BRIEF,
                    "--palette",
                    str(palette),
                    "--bpm",
                    str(load_palette(palette).bpm),
                    "--bars",
                    "32",
                    "--lm",
                    "openai/local-dj",
                    "--api-base",
                    server.api_base,
                    "--temperature",
                    "0.7",
                    "--scorer",
                    "none",
                    "--quiet",
                    "--out",
                    str(tmp_path / f"r{replica}"),
                ],
            )
            assert result.exit_code == 0, result.output
    assert len(server.requests) == 2 * len(blocks)  # the second replica asked the LM again
    assert server.requests[0]["temperature"] == 0.7 and server.requests[0]["model"] == "local-dj"
    summary = json.loads((tmp_path / "r2" / "summary.json").read_text())
    assert summary["ended_by"] == "set_complete" and summary["audio"]["sha256"] == reference_32.summary["audio"]["sha256"]
