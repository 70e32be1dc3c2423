"""Compile jobs of the vibe -> config program, offline with scripted LMs: bootstrap, GEPA, save/load, errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from agent.compiled import load_vibe_program
from agent.lm import parse_lm
from agent.vibe import vibe_to_config
from optimize.compile.judge import ConfigJudge, Judged, prediction_config
from optimize.compile.vibe_job import VibeCompileSettings, compile_vibe
from optimize.eval.producers import ProducerContext, make_producer
from tools.errors import AgentError, ConfigError
from tools.schema import EXAMPLE, MusicConfig

from compile_support import RuleLM

SPEC = parse_lm("openai/scripted", api_base="http://127.0.0.1:9/v1")
BAD = {**EXAMPLE, "tempo": "warp"}  # not a schema value: fails validation on every retry
THIN = {
    **EXAMPLE,
    "density": 2,
    "rhythm": "none",
    "texture": "none",
    "accent": "none",
    "pad": "thin_high",
    "melody": "minimal",
    "echo": "none",
    "space": "dry",
    "stereo": "mono",
    "grain": "clean",
}
VIBES = ["rainy afternoon in Tokyo", "misty forest at dawn", "sunny beach morning", "snowy mountain cabin", "lonely city at 3am", "quiet harbour"]
MARKER = "Prefer slow dark minor settings."


def _split(path: Path, vibes: list[str]) -> str:
    path.write_text("".join(json.dumps({"id": f"v{i}", "vibe": v}) + "\n" for i, v in enumerate(vibes)))
    return str(path)


def _settings(tmp_path, optimizer, **kw):
    base = dict(
        optimizer=optimizer,
        split=_split(tmp_path / "train.jsonl", VIBES[:4]),
        valset=_split(tmp_path / "val.jsonl", VIBES[4:]),
        train_limit=4,
        val_limit=2,
        duration=1.0,
    )
    return VibeCompileSettings(**{**base, **kw})


def _answers_config_unless_forest(system, user, fields):
    return {"config": json.dumps(BAD if "forest" in user else EXAMPLE)}


def _answers_config_with_marker(system, user, fields):
    return {"config": json.dumps(EXAMPLE if MARKER in system else THIN)}


def test_bootstrap_keeps_only_passing_demos(tmp_path):
    judge = ConfigJudge("vibe", duration=1.0)
    rewards = {v: judge({"vibe": v}, SimpleNamespace(config=EXAMPLE, feedback=[])) for v in VIBES[:4]}
    threshold = sorted(rewards.values())[1]  # two of the valid three pass, the forest vibe is invalid
    passing = {v for v, r in rewards.items() if r >= threshold and "forest" not in v}
    sidecar = compile_vibe(_settings(tmp_path, "bootstrap", threshold=threshold), SPEC, tmp_path / "out", lm=RuleLM(_answers_config_unless_forest))
    picked = set(sidecar["demos"]["predict"])
    assert picked and picked <= passing
    assert sidecar["changed"] == {"instructions": False, "demos": True}
    assert sidecar["split"]["train"]["n"] == 4 and len(sidecar["split"]["train"]["sha256"]) == 64


def test_bootstrap_with_no_passing_demo_saves_nothing(tmp_path):
    with pytest.raises(ConfigError, match="no demo reaching reward 1.0"):
        compile_vibe(_settings(tmp_path, "bootstrap", threshold=1.0), SPEC, tmp_path / "out", lm=RuleLM(_answers_config_unless_forest))
    assert not (tmp_path / "out" / "program.json").exists()


class DemoCopyLM(RuleLM):
    """Copies the config of the first demo in the chat; with no demo it answers an invalid config."""

    def __init__(self) -> None:
        super().__init__(lambda *_: {})

    def _use_example(self, messages):
        replies = [m["content"] for m in messages[:-1] if m.get("role") == "assistant"]
        found = re.search(r"\[\[ ## config ## \]\]\s*(\{.*?\})\s*(?:\[\[|$)", replies[0], re.S) if replies else None
        return self._format_answer_fields({"config": found.group(1) if found else json.dumps(BAD)})


def test_random_search_uses_teacher_labels_as_demos(tmp_path):
    teacher = tmp_path / "teacher.jsonl"
    teacher.write_text("".join(json.dumps({"vibe": v, "config": EXAMPLE}) + "\n" for v in VIBES[:4]))
    sidecar = compile_vibe(
        _settings(tmp_path, "random-search", teacher=str(teacher), budget=2, threshold=0.0), SPEC, tmp_path / "out", lm=DemoCopyLM()
    )
    assert sidecar["split"]["train"]["labeled"] == 4 and sidecar["changed"]["demos"]
    program, _sidecar = load_vibe_program(tmp_path / "out")
    configs = [d["config"] for d in program.predict.demos]
    assert configs and all(MusicConfig.parse(c) == MusicConfig.parse(EXAMPLE) for c in configs)


def test_teacher_without_the_training_vibes_is_a_clear_error(tmp_path):
    teacher = tmp_path / "teacher.jsonl"
    teacher.write_text(json.dumps({"vibe": "somewhere else entirely", "config": EXAMPLE}) + "\n")
    with pytest.raises(ConfigError, match="has none of the first 4"):
        compile_vibe(_settings(tmp_path, "bootstrap", teacher=str(teacher)), SPEC, tmp_path / "out", lm=DemoCopyLM())


def test_gepa_changes_the_instruction_and_round_trips(tmp_path, monkeypatch):
    # The judge's own preferences move with its version; here it prefers EXAMPLE by construction.
    def judged(self, example, prediction):
        config = prediction_config(prediction)
        return Judged(1.0 if config is not None and config.model_dump() == EXAMPLE else 0.2, "prefer the example")

    monkeypatch.setattr(ConfigJudge, "judge", judged)
    reflection = RuleLM(lambda s, u, fields: {name: f"{MARKER} Use only the listed values." for name in fields}, json=True)
    lm = RuleLM(_answers_config_with_marker)
    sidecar = compile_vibe(
        _settings(tmp_path, "gepa", budget=24), SPEC, tmp_path / "out", reflection=parse_lm("openai/reflect"), lm=lm, reflection_lm=reflection
    )
    assert MARKER in sidecar["instructions"]["predict"] and sidecar["changed"]["instructions"]
    program, loaded = load_vibe_program(tmp_path / "out")
    assert loaded == sidecar
    assert program.predict.signature.instructions == sidecar["instructions"]["predict"]
    assert vibe_to_config("quiet harbour", lm, program=program).config.model_dump() == EXAMPLE
    assert vibe_to_config("quiet harbour", lm).config.model_dump() == THIN
    producer = make_producer(f"program:{tmp_path / 'out'}", ProducerContext())  # the eval suite's compiled producer
    assert producer.program.predict.signature.instructions == sidecar["instructions"]["predict"]
    assert producer.describe()["program"]["optimizer"] == "gepa" and producer.spec.model == "openai/scripted"


def test_gepa_whose_reflection_cannot_parse_is_an_error(tmp_path):
    reflection = RuleLM(lambda s, u, f: {"answer": "no instruction field here"}, json=True)
    with pytest.raises(ConfigError, match="GEPA returned the program unchanged"):
        compile_vibe(
            _settings(tmp_path, "gepa", budget=12),
            SPEC,
            tmp_path / "out",
            reflection=parse_lm("openai/r"),
            lm=RuleLM(_answers_config_with_marker),
            reflection_lm=reflection,
        )
    assert not (tmp_path / "out" / "program.json").exists()


def test_feedback_names_axes_and_validation_problems():
    judged = ConfigJudge("vibe", duration=1.0).feedback({"vibe": "bright sunny beach"}, SimpleNamespace(config=EXAMPLE, feedback=["tempo: 'warp'"]))
    assert 0.0 < judged.score <= 1.0
    assert "tempo: 'warp'" in judged.feedback and "the vibe asks for" in judged.feedback and "(fields:" in judged.feedback
    failed = ConfigJudge("vibe", duration=1.0).feedback({"vibe": "x"}, SimpleNamespace(config=None, feedback=["bad"]))
    assert failed.score == 0.0 and "no valid config (bad)" in failed.feedback


@pytest.mark.parametrize(
    "args, message",
    [
        (["--optimizer", "sgd"], "unknown optimizer 'sgd'"),
        (["--optimizer", "gepa"], "GEPA needs a reflection LM"),
        (["--optimizer", "bootstrap", "--split", "nope"], "unknown split 'nope'"),
        (["--optimizer", "bootstrap", "--lm", "gpt"], "not a model string"),
    ],
)
def test_compile_cli_bad_input_is_one_line(tmp_path, args, message):
    base = ["--lm", "openai/x", "--api-base", "http://127.0.0.1:9/v1", "-o", str(tmp_path / "o")]
    result = subprocess.run(
        [sys.executable, "-m", "vibesynth", "compile", "vibe", *base, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
        timeout=120,
    )
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_program_option_refuses_a_folder_without_a_program(tmp_path):
    with pytest.raises(AgentError, match="no compiled program"):
        load_vibe_program(tmp_path)
