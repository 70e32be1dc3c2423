"""The student that ships with the project (#23 item 5): it loads in the core environment, with no torch and no
training, and answers valid configs; `--lm student` renders with it; a bad folder gets one line with the fix."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from agent.student import shipped
from tools.errors import ConfigError
from tools.files import file_sha256
from tools.schema import MusicConfig

VIBES = ["a lazy Sunday in a hammock", "dark Berlin techno, 130 BPM", "no drums, in D minor, rain on a window"]


@pytest.fixture(scope="module")
def student():
    return shipped.load(threads=2)


def test_the_shipped_folder_is_whole_and_names_its_base(student):
    info = shipped.manifest()
    for name, digest in info["sha256"].items():
        assert file_sha256(shipped.SHIPPED / name) == digest, name
    assert (shipped.SHIPPED / "README.md").read_text().startswith("---\nlibrary_name: llama.cpp")
    assert student.lora == shipped.SHIPPED / shipped.ADAPTER and student.neighbours is not None


def test_the_shipped_student_answers_valid_configs_deterministically(student):
    first = [student.constrained(vibe) for vibe in VIBES]
    assert all(MusicConfig.parse(text) for text in first)
    assert [student.constrained(vibe) for vibe in reversed(VIBES)][::-1] == first
    named = json.loads(first[2])
    assert named["rhythm"] == "none" or named["root"] == "d"  # an explicit field of the vibe, at least one


def test_neighbours_in_its_prompt_never_include_the_vibe_itself(student):
    vibe = student.neighbours.examples[0][0]
    assert all(other != vibe for other, _config in student.retrieved(vibe))


def test_a_folder_that_is_no_adapter_gets_one_line(tmp_path):
    with pytest.raises(ConfigError, match="is not a student adapter folder"):
        shipped.load(tmp_path)


@pytest.mark.slow
def test_render_with_lm_student_from_the_command_line(tmp_path):
    wav = tmp_path / "x.wav"
    result = subprocess.run(
        [sys.executable, "-m", "vibesynth", "render", "--vibe", VIBES[0], "--lm", "student", "--duration", "2", "-o", str(wav)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    sidecar = json.loads(wav.with_suffix(".json").read_text())
    assert wav.is_file() and "student" in json.dumps(sidecar)


def test_an_exported_models_card_names_its_own_base_and_licence():
    from optimize.distill.export import model_card

    stages = [{"kind": "sft", "model": "smollm2-135m"}, {"kind": "dpo", "model": "runs/distill/sft/model"}]
    card = model_card(stages)
    assert "license: apache-2.0" in card and "base_model: HuggingFaceTB/SmolLM2-135M-Instruct" in card
    assert "Gemma" not in card and '"kind": "dpo"' in card
