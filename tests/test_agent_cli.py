"""`vibesynth dj` and `scripts/parallel_dj.sh`, run as a user would (offline, reference policy and replay)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vibesynth.cli import app

from agent_palette import make_palette

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def palette(tmp_path_factory):
    return make_palette(tmp_path_factory.mktemp("palette"))


def test_dj_reference_then_replay(palette, tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(app, ["dj", "dark warehouse techno", "--lm", "reference", "--bars", "16", "--palette", str(palette), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "16/16 (set_complete)" in result.output and "OBJ" in result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["bars_played"] == 16 and summary["policy"]["label"] == "reference"

    again = runner.invoke(app, ["dj", "--lm", f"replay:{out / 'trajectory.jsonl'}", "--out", str(tmp_path / "r"), "--quiet"])
    assert again.exit_code == 0, again.output
    assert json.loads((tmp_path / "r" / "summary.json").read_text())["audio"]["sha256"] == summary["audio"]["sha256"]

    refused = runner.invoke(app, ["dj", "x", "--palette", str(palette), "--out", str(out)])
    assert refused.exit_code == 2 and "already holds a run" in refused.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["dj", "x", "--lm", "gpt4"], "PROVIDER/MODEL"),
        (["dj", "x", "--palette", "/no/palette.json"], "no palette"),
        (["dj", "--lm", "reference"], "give a BRIEF"),
        (["dj", "x", "--lm", "replay:/no/t.jsonl"], "no trajectory"),
        (["dj", "x", "--bpm", "0"], "--bpm 0 is out of range"),
    ],
)
def test_dj_bad_input_is_a_clear_error(args, message):
    result = subprocess.run([sys.executable, "-c", "from vibesynth.cli import main; main()", *args], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--seed", "-1"], "--seed"),
        (["--bpm", "250"], "--bpm 250 is out of range"),
        (["--bars", "200", "--lm", "fixed"], "no reference arrangement fills 200 bars"),
        (["--lm", ""], "--lm is empty"),
        (["--out", "{file}"], "is a file"),
        (["--out", "/proc/dj"], "cannot create the output folder"),
    ],
)
def test_dj_refuses_what_it_cannot_do_as_asked(palette, tmp_path, args, message):
    blocker = tmp_path / "file"
    blocker.write_text("")
    args = [a.format(file=blocker) for a in args]
    out = [] if "--out" in args else ["--out", str(tmp_path / "run")]
    result = runner.invoke(app, ["dj", "x", "--palette", str(palette), "--scorer", "none", "--quiet", *out, *args])
    assert result.exit_code == 2 and message in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_parallel_dj_compares_arms_paired_by_replica_and_states_a_verdict(palette, tmp_path):
    first = _run_reference(palette, tmp_path)
    script = str(REPO / "scripts" / "parallel_dj.sh")
    settings = [
        "--prompt",
        str(REPO / "prompts" / "baseline.txt"),
        "--prompt",
        str(REPO / "prompts" / "v7_hypnotic_peak.txt"),
        "--lm",
        "reference",
        "--lm",
        "random",
        "--lm",
        f"replay:{first}",
        "--palette",
        str(palette),
    ]
    env = {**os.environ, "COLUMNS": "200", "VIBESYNTH_PYTHON": sys.executable}
    result = subprocess.run(
        [script, *settings, "--replicas", "2", "--bars", "8", "--workers", "2", "--outdir", str(tmp_path / "ab")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    (folder,) = (tmp_path / "ab").iterdir()
    assert {"jobs.tsv", "run.json", "palette.json", "scores.jsonl", "summary.json", "prompts", "logs", "runs"} <= {p.name for p in folder.iterdir()}
    summary = json.loads((folder / "summary.json").read_text())
    assert [g["metrics"]["OBJ"]["n"] for g in summary["groups"]] == [2] * 6
    by_arm = {(c["prompt"], c["lm"], c["versus"]["lm"]): c for c in summary["comparisons"]}
    # the reference does not read the prompt: said so, not tested (no p = 1.0)
    prompt_arm = by_arm[("1-v7_hypnotic_peak", "reference", "reference")]
    assert prompt_arm["ignored"] and prompt_arm["metrics"] == {}
    assert "does not read the prompt" in result.stdout and "identical by construction" in result.stdout
    # random against reference: same seeds, so a paired test with the CI of the difference and a verdict
    random_arm = by_arm[("0-baseline", "random", "reference")]["metrics"]["OBJ"]
    assert random_arm["test"] == "paired t" and random_arm["n"] == 2 and len(random_arm["ci95"]) == 2
    assert random_arm["verdict"] and random_arm["warning"].startswith("small n") and "p_holm" in random_arm
    # the replay is the same audio in every replica (it keeps its recorded seed): no spread in its arm
    replay_group = next(g for g in summary["groups"] if g["lm"] == f"replay:{first}")
    assert replay_group["metrics"]["OBJ"]["sd"] == 0
    assert by_arm[("0-baseline", f"replay:{first}", "reference")]["metrics"]["OBJ"]["test"] == "paired t"
    assert "paired" in result.stdout

    rerun = subprocess.run(
        [script, *settings, "--replicas", "3", "--bars", "8", "--workers", "1", "--outdir", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr + rerun.stdout  # resumes and adds a third replica per arm
    assert len((folder / "jobs.tsv").read_text().splitlines()) == 1 + 18
    summary = json.loads((folder / "summary.json").read_text())
    assert [g["metrics"]["OBJ"]["n"] for g in summary["groups"]] == [3] * 6
    changed = subprocess.run(
        [script, *settings, "--replicas", "3", "--bars", "16", "--outdir", str(folder)], capture_output=True, text=True, env=env, check=False
    )
    assert changed.returncode == 2 and "bars: recorded 8, now 16" in changed.stderr, changed.stderr
    assert "other settings" in changed.stderr and "Traceback" not in changed.stderr


def test_one_ab_folder_is_scored_by_one_backend(tmp_path):
    from agent.ab.report import score_runs, summarize
    from tools.errors import AgentError

    (tmp_path / "jobs.tsv").write_text("run_dir\tprompt\tlm\treplica\nruns/a\tp\treference\t1\n")
    record = {
        "run": "a",
        "prompt": "p",
        "lm": "reference",
        "replica": 1,
        "scorer": "dsp",
        "scores": {"backend": "dsp", "version": "dsp-proxy-1", "OBJ": 2.0},
    }
    (tmp_path / "scores.jsonl").write_text(json.dumps(record) + "\n")
    with pytest.raises(AgentError, match="holds scores from --scorer dsp"):
        score_runs(tmp_path, "audiobox")
    other = {**record, "run": "b", "scorer": None, "scores": {**record["scores"], "version": "dsp-proxy-2"}}
    with (tmp_path / "scores.jsonl").open("a") as handle:
        handle.write(json.dumps(other) + "\n")
    with pytest.raises(AgentError, match="mixes scores from dsp dsp-proxy-1, dsp dsp-proxy-2"):
        summarize(tmp_path)


def _run_reference(palette: Path, tmp_path: Path) -> Path:
    out = tmp_path / "first"
    result = runner.invoke(app, ["dj", "x", "--bars", "8", "--palette", str(palette), "--out", str(out), "--quiet", "--scorer", "none"])
    assert result.exit_code == 0, result.output
    return out / "trajectory.jsonl"


def test_dj_says_when_the_policy_ignores_the_prompt_it_was_given(palette, tmp_path):
    args = ["dj", "x", "--palette", str(palette), "--bars", "4", "--scorer", "none", "--lm", "reference"]
    told = runner.invoke(app, [*args, "--prompt", str(REPO / "prompts" / "baseline.txt"), "--out", str(tmp_path / "a")])
    assert told.exit_code == 0 and "does not read --prompt" in told.output, told.output
    quiet = runner.invoke(app, [*args, "--out", str(tmp_path / "b")])
    assert quiet.exit_code == 0 and "does not read" not in quiet.output
