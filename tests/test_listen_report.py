"""Listening report: statistics on hand-checked data, proxy agreement, CSV/JSON/PNG outputs, CLI."""

import csv
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from agent.ab.stats import holm
from optimize.listen.export import build_report
from optimize.listen.pack import build_pack, load_pack, manifest_digest
from optimize.listen.proxies import JudgeScores
from optimize.listen.report import agreement_table, resolve
from optimize.listen.sources import clips_from_path
from optimize.listen.stats import binomial_p, bradley_terry, mean_ci, wilson_ci
from optimize.listen.votes import Vote, VoteStore
from vibesynth.cli.app import app

from listen_support import write_renders

runner = CliRunner()


def test_wilson_binomial_holm_on_hand_values():
    low, high = wilson_ci(8, 10)  # textbook Wilson interval for 8/10
    assert low == pytest.approx(0.4902, abs=1e-4) and high == pytest.approx(0.9433, abs=1e-4)
    assert wilson_ci(0, 5)[0] == 0.0 and wilson_ci(5, 5)[1] == 1.0
    assert binomial_p(8, 10) == pytest.approx(112 / 1024)  # 2 * (C(10,8)+C(10,9)+C(10,10)) / 2^10
    assert binomial_p(5, 10) == pytest.approx(1.0)
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    n, mean, lo, hi = mean_ci([3, 4, 5])
    assert (n, mean) == (3, 4.0) and lo == pytest.approx(4 - 4.302653 / np.sqrt(3), abs=1e-5)


def test_bradley_terry_is_the_maximum_likelihood_fit():
    two = bradley_terry(np.array([[0, 7], [3, 0]]), prior=0)
    assert two[0] / (two[0] + two[1]) == pytest.approx(0.7)
    wins = np.array([[0, 6, 8], [4, 0, 5], [2, 5, 0]], dtype=float)
    s = bradley_terry(wins, prior=0)
    games = wins + wins.T
    expected = (games * s[:, None] / (s[:, None] + s[None, :])).sum(axis=1)
    assert expected == pytest.approx(wins.sum(axis=1), rel=1e-6)  # the MLE equations hold
    assert np.prod(s) == pytest.approx(1.0) and list(np.argsort(-s)) == [0, 1, 2]
    assert np.all(np.isfinite(np.log(bradley_terry(np.array([[0, 5], [0, 0]])))))  # a system that never won


def _vote(i, pair, choice, rater="r"):
    return Vote(i, f"key-{i:06d}", f"{rater}{i}", pair, choice, None, None, 0.0)


def test_agreement_counts_votes_and_pair_majorities(tmp_path):
    folders = write_renders(tmp_path / "renders", items=2)
    pack = build_pack([c for n, f in folders.items() for c in clips_from_path(n, f)], tmp_path / "pack")
    p1, p2 = pack.pairs
    # pair 1: 3 votes A, 1 vote B; pair 2: 2 votes B
    votes = [_vote(1, p1.id, "A"), _vote(2, p1.id, "A"), _vote(3, p1.id, "A"), _vote(4, p1.id, "B"), _vote(5, p2.id, "B"), _vote(6, p2.id, "B")]
    judged = resolve(pack, votes)
    judge = JudgeScores("hand", field="OBJ", values={p1.a: 5.0, p1.b: 4.0, p2.a: 3.0, p2.b: 1.0})
    rows = {r["unit"]: r for r in agreement_table([judge], judged)}
    assert (rows["votes"]["agree"], rows["votes"]["n"]) == (3, 6)  # prefers A both times: right on 3 votes
    assert (rows["pair majority"]["agree"], rows["pair majority"]["n"]) == (1, 2)
    tied = JudgeScores("tied", values={p1.a: 1.0, p1.b: 1.0})
    rows = {r["unit"]: r for r in agreement_table([tied], judged)}
    assert rows["votes"]["proxy_ties"] == 4 and rows["votes"]["unscored"] == 2 and rows["votes"]["n"] == 0


def _pack_with_votes(tmp_path, tone_wins=8, total=10):
    folders = write_renders(tmp_path / "renders", items=2)
    build_pack([c for n, f in folders.items() for c in clips_from_path(n, f)], tmp_path / "pack", seed=4)
    pack = load_pack(tmp_path / "pack")
    store = VoteStore(tmp_path / "pack" / "votes.sqlite", manifest_digest(tmp_path / "pack"))
    for i in range(total):
        pair = pack.pairs[i % 2]
        tone_side = "A" if pack.clips[pair.a].system == "tone" else "B"
        choice = tone_side if i < tone_wins else ("B" if tone_side == "A" else "A")
        vibe = (4, 2) if tone_side == "A" else (2, 4)
        store.record(idem_key=f"vote-{i:04d}", rater=f"rater{i}", pair_id=pair.id, choice=choice, vibe_a=vibe[0], vibe_b=vibe[1])
    return pack


def test_report_end_to_end_with_dsp_judge(tmp_path):
    _pack_with_votes(tmp_path)
    out = tmp_path / "report"
    result = build_report(tmp_path / "pack", [tmp_path / "pack" / "votes.sqlite"], out, judges=["dsp", "no-such-judge"])
    systems = {r["system"]: r for r in result["systems"]}
    assert systems["tone"]["wins"] == 8 and systems["tone"]["n"] == 10 and systems["tone"]["rank"] == 1
    assert systems["tone"]["ci_low"] == pytest.approx(0.4902, abs=1e-4)
    assert systems["tone"]["bt_ci_low"] < systems["tone"]["bt_log_strength"] < systems["tone"]["bt_ci_high"]
    (pair,) = result["system_pairs"]
    assert (pair["system"], pair["versus"], pair["wins"], pair["n"]) == ("noise", "tone", 2, 10)
    assert pair["p_binomial"] == pytest.approx(112 / 1024)
    vibe = {r["system"]: r for r in result["vibe_match"]}
    assert (vibe["tone"]["n"], vibe["tone"]["mean"], vibe["noise"]["mean"]) == (10, 4.0, 2.0)
    dsp = {r["unit"]: r for r in result["agreement"] if r["judge"] == "dsp"}
    assert dsp["votes"]["n"] + dsp["votes"]["proxy_ties"] == 10 and dsp["votes"]["field"] == "OBJ"
    assert "no-such-judge" in result["judges_unavailable"]
    with (out / "votes.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 10 and sum(r["winner"] == "tone" for r in rows) == 8
    assert json.loads((out / "report.json").read_text())["n_votes"] == 10
    assert (out / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    cached = json.loads((out / "proxy_scores.json").read_text())["dsp"]["values"]
    assert len(cached) == 4  # every clip scored once, reused next time


def test_report_cli_prints_tables_and_fails_cleanly(tmp_path):
    _pack_with_votes(tmp_path, tone_wins=6, total=6)
    ok = runner.invoke(app, ["listen", "report", str(tmp_path / "pack"), "--judges", "dsp"])
    assert ok.exit_code == 0, ok.output
    assert "Bradley-Terry" in ok.output and "tone" in ok.output and "Proxy judges" in ok.output
    assert (tmp_path / "pack" / "report" / "systems.csv").is_file()
    empty = runner.invoke(app, ["listen", "report", str(tmp_path / "pack"), "--votes", str(tmp_path / "none.sqlite")])
    assert empty.exit_code == 2 and "no votes database" in empty.output and "Traceback" not in empty.output
    notpack = runner.invoke(app, ["listen", "report", str(tmp_path)])
    assert notpack.exit_code == 2 and "not a listening pack" in notpack.output


def test_report_refuses_a_file_that_is_not_a_votes_database(tmp_path):
    _pack_with_votes(tmp_path, tone_wins=1, total=2)
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not sqlite at all, " * 100)
    result = runner.invoke(app, ["listen", "report", str(tmp_path / "pack"), "--votes", str(junk), "--judges", ""])
    assert result.exit_code == 2 and "cannot read the votes" in result.output and "Traceback" not in result.output
