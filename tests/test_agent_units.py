"""LM specs, trajectories, A/B statistics and the vibe -> config program (no sandbox)."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from dspy.utils import DummyLM
from scipy import stats

from agent.ab.stats import cohens_d, holm, mean_ci, welch
from agent.lm import build_lm, parse_lm
from agent.policies import parse_policy
from agent.trajectory import TrajectoryWriter, read_trajectory
from agent.vibe import vibe_to_config
from tools.errors import AgentError

CONFIG = {
    "tempo": "slow",
    "root": "d",
    "mode": "minor",
    "brightness": "dark",
    "space": "vast",
    "density": 3,
    "bass": "drone",
    "pad": "dark_sustained",
    "melody": "minimal",
    "rhythm": "none",
    "texture": "shimmer_slow",
    "accent": "bells",
    "motion": "slow",
    "attack": "soft",
    "stereo": "wide",
    "depth": True,
    "echo": "heavy",
    "human": "natural",
    "grain": "warm",
}


def test_litellm_price_list_is_not_fetched():
    assert os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] == "True"


@pytest.mark.parametrize("value", ["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest", "ollama_chat/llama3.2"])
def test_any_litellm_model_string_is_accepted(value):
    spec = parse_lm(value, temperature=0.7, seed=3)
    assert spec.model == value and spec.cache is False


def test_local_server_lm_keeps_the_cache_off_and_passes_options():
    lm = build_lm(parse_lm("openai/local-model", api_base="http://127.0.0.1:8000/v1", temperature=0.2, seed=7))
    assert lm.model == "openai/local-model" and lm.cache is False
    assert lm.kwargs["api_base"] == "http://127.0.0.1:8000/v1" and lm.kwargs["seed"] == 7
    assert lm.kwargs["temperature"] == 0.2


@pytest.mark.parametrize(
    "value, message",
    [
        ("gpt4", "PROVIDER/MODEL"),
        ("openai/", "PROVIDER/MODEL"),
        ("replay:/no/such.jsonl", "no trajectory"),
        ("", "--lm is empty"),
        ("no.such.module:policy", "cannot load policy"),
    ],
)
def test_bad_lm_values_name_the_fix(value, message):
    with pytest.raises(AgentError, match=message):
        parse_policy(value)


def test_trajectory_lines_are_flushed_as_they_are_written(tmp_path):
    writer = TrajectoryWriter(tmp_path / "t.jsonl", run_id="abc")
    writer.write("run", brief="b")
    writer.write("tool", tool="play", args={"bars": 8}, result="{}", bars=8, wall_s=0.1)
    lines = (tmp_path / "t.jsonl").read_text().splitlines()  # readable before close
    assert [json.loads(line)["step"] for line in lines] == [0, 1]
    writer.close()
    trajectory = read_trajectory(tmp_path / "t.jsonl")
    assert trajectory.header["run_id"] == "abc" and trajectory.tool_calls() == [("play", {"bars": 8})]


def test_a_damaged_trajectory_is_refused(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"kind": "run"}\nnot json\n{"kind": "end"}\n')
    with pytest.raises(AgentError, match="line 2"):
        read_trajectory(path)
    path.write_text('{"kind": "tool"}\n')
    with pytest.raises(AgentError, match="not a vibesynth trajectory"):
        read_trajectory(path).header


def test_confidence_interval_matches_the_t_distribution():
    values = [6.1, 6.5, 6.3, 6.9, 6.4]
    result = mean_ci(values)
    low, high = stats.t.interval(0.95, 4, loc=np.mean(values), scale=stats.sem(values))
    assert result["n"] == 5 and result["ci95"] == pytest.approx([low, high])
    assert mean_ci([1.0])["ci95"] is None


def test_welch_and_cohens_d():
    a, b = [7.0, 7.2, 7.1, 7.4], [6.5, 6.6, 6.9, 6.4, 6.7]
    result = welch(a, b)
    assert result["p"] == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue)
    pooled = np.sqrt((3 * np.var(a, ddof=1) + 4 * np.var(b, ddof=1)) / 7)
    assert cohens_d(a, b) == pytest.approx((np.mean(a) - np.mean(b)) / pooled)
    assert welch([1.0, 1.0], [1.0, 1.0])["p"] is None and cohens_d([1.0, 1.0], [1.0, 1.0]) is None


def test_holm_is_step_down_and_monotone():
    assert holm([0.01, 0.04, 0.03, None]) == pytest.approx([0.03, 0.06, 0.06, None], nan_ok=True)
    assert holm([0.5, 0.9]) == [1.0, 1.0]


def test_vibe_program_feeds_validation_errors_back():
    bad = dict(CONFIG, tempo="glacial")
    lm = DummyLM([{"config": json.dumps(bad)}, {"config": json.dumps(CONFIG)}])
    result = vibe_to_config("rain on a cathedral roof", lm)
    assert result.attempts == 2 and result.config.tempo == "slow"
    assert 'tempo: "glacial" is not valid; use one of "very_slow", "slow"' in result.feedback[0]
    assert "glacial" in lm.history[-1]["messages"][-1]["content"]  # the second call saw the errors


def test_vibe_program_gives_up_after_bounded_retries():
    lm = DummyLM([{"config": json.dumps(dict(CONFIG, pad="fluffy"))}] * 3)
    with pytest.raises(AgentError, match="pad"):
        vibe_to_config("clouds", lm, retries=1)
    assert len(lm.history) == 2


def test_render_resolves_a_vibe_with_an_lm(monkeypatch):
    from vibesynth.api import resolve

    monkeypatch.setattr("agent.vibe.build_lm", lambda spec: DummyLM([{"config": json.dumps(CONFIG)}]))
    config, provenance = resolve("rain on a cathedral roof", lm="openai/test-model")
    assert config.pad == "dark_sustained" and provenance["mapper"] == "lm:openai/test-model"
    rules, by_rules = resolve("rain on a cathedral roof", lm="reference")
    assert by_rules["mapper"] != provenance["mapper"]


def test_an_empty_lm_is_refused():
    with pytest.raises(AgentError, match="--lm is empty"):
        parse_lm("  ")


def test_one_rule_picks_the_reference_arrangement_for_a_length():
    from reference.arrangements import kind_for_bars
    from tools.errors import ConfigError

    assert [kind_for_bars(b) for b in (1, 16, 32, 33, 64, 65, 128)] == ["32", "32", "32", "64", "64", "set", "set"]
    with pytest.raises(ConfigError, match="at most 128 bars"):
        kind_for_bars(129)


def _toolbox(tmp_path):
    from agent.toolbox import MixerTools
    from tools.mixer import MixerSession

    from dj_support import kit

    session = MixerSession(kit(), 128, 8, sample_rate=8000)
    writer = TrajectoryWriter(tmp_path / f"t{len(list(tmp_path.iterdir()))}.jsonl")
    return session, writer, MixerTools(session, writer)


def test_wrong_arity_calls_are_recorded_and_replay_the_same_way(tmp_path):
    from reference.arrangements import run_calls

    session, writer, tools = _toolbox(tmp_path)
    functions = {f.__name__: f for f in tools.functions()}
    functions["add"]("kick", 0.8)
    results = [json.loads(functions["play"](4, bars=8)), json.loads(functions["play"](1, 2))]
    writer.close()
    assert all("error" in r for r in results) and session.bars_played == 0
    calls = read_trajectory(writer.path).tool_calls()
    assert calls == [("add", {"role": "kick", "gain": 0.8}), ("play", {"*args": [4], "bars": 8}), ("play", {"*args": [1, 2]})]
    replayed, writer, tools = _toolbox(tmp_path)
    assert run_calls(tools.table(), calls)[1:] == results and replayed.bars_played == 0
    writer.close()
