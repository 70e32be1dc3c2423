"""GEPA over the DJ instructions with a scripted DJ LM that follows a marker in the instructions."""

from __future__ import annotations

import json

import pytest

from agent.dj.scripted import code_blocks, scripted_lm
from agent.lm import parse_lm
from optimize.compile.dj_job import DJCompileSettings, compile_dj
from reference.arrangements import reference_calls
from tools.errors import ConfigError

from agent_palette import make_palette
from compile_support import RuleLM
from sandbox_support import needs_sandbox as sandbox_marks

MARKER = "Build the groove: kick first, then hihat and bassline."
SPEC = parse_lm("openai/scripted-dj", api_base="http://127.0.0.1:9/v1")


def _dj_lm(instructions: str):
    """With the marker: the reference groove; without it: eight bars of silence."""
    blocks = code_blocks(reference_calls("32")) if MARKER in instructions else ["print(play(8))"] * 4
    return scripted_lm(blocks)


def _settings(**kw):
    base = {
        "briefs": ["dark warehouse techno"],
        "val_briefs": ["hypnotic peak time"],
        "bars": 8,
        "budget": 5,
        "scorer": "dsp",
        "key": "OBJ",
        "max_iters": 6,
    }
    return DJCompileSettings(**{**base, **kw})


def _slow(test):
    for mark in [pytest.mark.compile_slow, *sandbox_marks]:
        test = mark(test)
    return test


@_slow
def test_gepa_writes_a_new_prompt_that_plays_better(tmp_path):
    palette = make_palette(tmp_path / "palette")
    seed = tmp_path / "seed.txt"
    seed.write_text("You are a DJ. Play the set.\n")
    reflection = RuleLM(lambda s, u, f: {"answer": f"```\nYou are a DJ. {MARKER}\n```"})
    out = tmp_path / "prompts" / "compiled.txt"
    sidecar = compile_dj(_settings(palette=str(palette)), seed, SPEC, parse_lm("openai/reflect"), out, lm_for=_dj_lm, reflection_lm=reflection)
    assert MARKER in out.read_text()
    assert sidecar["val_scores"]["best"] > sidecar["val_scores"]["seed"]
    stored = json.loads(out.with_suffix(".json").read_text())
    assert stored["seed_prompt"] == str(seed) and stored["metric"]["key"] == "OBJ" and len(stored["sha256"]) == 64


@pytest.mark.parametrize(
    "change, message",
    [
        ({"bars": 200}, "--bars 200 is out of range"),
        ({"budget": 1}, "--budget 1 cannot cover"),
        ({"palette": "/nope.json"}, "no palette at /nope.json"),
    ],
)
def test_bad_dj_compile_settings_are_one_line(tmp_path, change, message):
    palette = tmp_path / "p.json"
    palette.write_text("{}")
    settings = _settings(**{"palette": str(palette), **change})
    with pytest.raises(ConfigError, match=message.replace("-", "\\-")):
        compile_dj(settings, tmp_path / "seed.txt", SPEC, SPEC, tmp_path / "x.txt")
