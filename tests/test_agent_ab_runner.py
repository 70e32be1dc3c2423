"""The A/B runner's safety: preflight refusals, kill handling, leftovers, damaged scores, paired statistics."""

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
from scipy import stats

from agent.ab.report import read_scores, summarize
from agent.ab.runner import PARTIAL, clean_leftovers
from agent.ab.stats import paired, unpaired, verdict

from agent_palette import make_palette

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
PROMPT = str(REPO / "prompts" / "baseline.txt")


@pytest.fixture(scope="module")
def palette(tmp_path_factory):
    return make_palette(tmp_path_factory.mktemp("palette"))


def _runner(args, **kwargs):
    env = {**os.environ, "PYTHONPATH": str(TESTS), "COLUMNS": "200"}
    return [sys.executable, "-m", "agent.ab", "run", *args], dict(cwd=REPO, env=env, **kwargs)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--bars", "999"], "the reference policy plays 1 to 512 bars, not 999"),
        (["--bpm", "999"], "--bpm 999 is out of range"),
        (["--lm", "openai/x", "--bars", "999"], "an LM set is 1 to 512 bars"),
        (["--scorer", "nope"], "unknown scorer backend"),
        (["--prompt", "/no/prompt.txt"], "no prompt file"),
    ],
)
def test_options_every_run_would_fail_on_are_refused_before_starting(palette, tmp_path, args, message):
    command, options = _runner(["--prompt", PROMPT, "--palette", str(palette), "--outdir", str(tmp_path / "ab"), *args])
    result = subprocess.run(command, capture_output=True, text=True, check=False, **options)
    assert result.returncode == 2 and message in result.stderr, result.stderr + result.stdout
    assert "Traceback" not in result.stderr and not (tmp_path / "ab").exists()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_runner_stops_its_workers_and_the_next_run_cleans_up(palette, tmp_path, how):
    args = [
        "--prompt",
        PROMPT,
        "--lm",
        "ab_slow_policy:SlowPolicy",
        "--replicas",
        "2",
        "--workers",
        "2",
        "--bars",
        "8",
        "--palette",
        str(palette),
        "--outdir",
        str(tmp_path / "ab"),
    ]
    command, options = _runner(args)
    runner = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **options)
    deadline = time.monotonic() + 60
    while len(_children(runner.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    workers = _children(runner.pid)
    assert len(workers) == 2, "the runner started no workers"
    runner.send_signal(how)
    runner.wait(timeout=30)
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers), "workers outlived the runner"
    (folder,) = (tmp_path / "ab").iterdir()
    leftovers = list((folder / "runs").glob(f"*{PARTIAL}"))
    (folder / "scores.jsonl.tmp").write_text("half")
    removed = clean_leftovers(folder)
    assert set(leftovers) <= set(removed) and not list((folder / "runs").glob(f"*{PARTIAL}"))
    assert not (folder / "scores.jsonl.tmp").exists()


def test_the_summary_survives_a_truncated_scores_line(tmp_path):
    (tmp_path / "jobs.tsv").write_text(
        "run_dir\tprompt\tlm\treplica\n" + "".join(f"runs/{arm}{r}\t{arm}\treference\t{r}\n" for arm in "ab" for r in (1, 2, 3))
    )
    lines = [
        json.dumps(
            {
                "run": f"{arm}{r}",
                "prompt": arm,
                "lm": "reference",
                "replica": r,
                "scorer": "dsp",
                "scores": {"backend": "dsp", "version": "v", "OBJ": value},
            }
        )
        for arm, values in (("a", (1.0, 2.0, 3.0)), ("b", (1.5, 2.4, 3.9)))
        for r, value in zip((1, 2, 3), values)
    ]
    (tmp_path / "scores.jsonl").write_text("\n".join(lines[:-1]) + "\n" + lines[-1][:20])
    records, damaged = read_scores(tmp_path / "scores.jsonl")
    assert damaged == 1 and len(records) == 5
    summary = summarize(tmp_path)
    assert summary["damaged_score_lines"] == 1
    (comparison,) = summary["comparisons"]
    assert comparison["metrics"]["OBJ"]["n"] == 2  # the cut run is left out of the pairs, not guessed


def test_paired_test_matches_scipy_and_carries_the_ci_of_the_difference():
    rng = np.random.default_rng(3)
    control = rng.normal(5, 1, 8)
    treatment = control + rng.normal(0.4, 0.2, 8)
    result = paired(treatment, control)
    expected = stats.ttest_rel(treatment, control)
    assert result["p"] == pytest.approx(expected.pvalue) and result["test"] == "paired t"
    low, high = result["ci95"]
    half = stats.t.ppf(0.975, 7) * np.std(treatment - control, ddof=1) / np.sqrt(8)
    assert (low, high) == pytest.approx((result["diff"] - half, result["diff"] + half))
    # pairing matters: the same numbers unpaired are far less certain
    assert unpaired(treatment, control)["p"] > result["p"]
    assert verdict({**result, "p_holm": result["p"]}, 0.05, "B") == "B better"
    assert verdict({**result, "diff": -0.4, "p_holm": 0.01}, 0.05, "B") == "B worse"
    assert verdict({**result, "p_holm": 0.2}, 0.05, "B").startswith("no difference shown")
    assert paired([1.0, 2.0], [1.0, 2.0])["p"] is None


def test_arms_identical_by_construction_are_reported_not_tested_and_not_counted_in_holm(tmp_path):
    rows, lines = [], []
    for prompt in ("0-a", "1-b"):
        for lm, base in (("reference", 5.0), ("random", 5.3)):
            for r in (1, 2, 3):
                rows.append(f"runs/{prompt}{lm}{r}\t{prompt}\t{lm}\t{r}\n")
                lines.append(
                    json.dumps(
                        {
                            "run": f"{prompt}{lm}{r}",
                            "prompt": prompt,
                            "lm": lm,
                            "replica": r,
                            "scorer": "dsp",
                            "scores": {"backend": "dsp", "version": "v", "OBJ": base + 0.1 * r * (lm == "random")},
                        }
                    )
                )
    (tmp_path / "jobs.tsv").write_text("run_dir\tprompt\tlm\treplica\n" + "".join(rows))
    (tmp_path / "scores.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "run.json").write_text(json.dumps({"policy_reads": {"reference": [], "random": ["seed"]}}))
    summary = summarize(tmp_path)
    tested = [c for c in summary["comparisons"] if not c["ignored"]]
    assert [(c["prompt"], c["lm"], c["varied"]) for c in tested] == [("0-a", "random", "lm")]
    (only,) = tested
    assert only["metrics"]["OBJ"]["p_holm"] == only["metrics"]["OBJ"]["p"]  # one test: Holm changes nothing
    assert all(c["metrics"] == {} for c in summary["comparisons"] if c["ignored"])
