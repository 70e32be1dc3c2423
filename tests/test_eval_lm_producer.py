"""The `lm:` producer through the DSPy vibe program against a scripted OpenAI-compatible server."""

from __future__ import annotations

import json

import pytest

from optimize.eval.report import aggregate
from optimize.eval.run import EvalSettings, run_eval
from tools.schema import EXAMPLE

from agent_lm_server import ConfigChatServer


@pytest.fixture()
def server():
    typo = json.dumps({**EXAMPLE, "mode": "minr"})
    # vibe 1: a typo, fixed after feedback; vibe 2: the typo three times (fails after 2 retries).
    with ConfigChatServer([typo, json.dumps(EXAMPLE), typo, typo, typo]) as srv:
        yield srv


def test_lm_producer_counts_retries_and_scores_failed_output(server, tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    split = tmp_path / "s.jsonl"
    split.write_text('{"id": "a", "vibe": "dark cave"}\n{"id": "b", "vibe": "sunny beach"}\n')
    settings = EvalSettings(
        producers=["lm:openai/scripted"],
        split=str(split),
        judge="dsp",
        duration=1.0,
        sample_rate=16000,
        api_base=server.api_base,
        controllability=False,
    )
    run = run_eval(settings, tmp_path / "run", quiet=True)
    first, second = run.rows
    assert first["valid"] and first["attempts"] == 2 and first["reward"] > 0
    assert not second["valid"] and second["attempts"] == 3 and second["reward"] == 0.0
    # The failed answer still gets the granular score: every field but the mistyped mode (near miss, 0.3).
    assert 0.9 < second["schema_score"] < 1.0
    assert len(server.requests) == 5
    metrics = aggregate(run)["metrics"]["lm:openai/scripted"]
    assert metrics["validity"]["mean"] == 0.5 and metrics["dsp_obj"]["n"] == 1
