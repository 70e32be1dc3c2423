"""seeds/000's GRPO rewards on hand cases and the student's prompt (no torch: runs in the core venv)."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from agent.student.chat import answer, demos, vibe_and_frame
from agent.student.prompts import completion, first_json_object, prompt, prompt_prefix, vibe_of
from optimize.distill.rewards import (
    WEIGHTS,
    audio_reward,
    decompose,
    distinct_reward,
    explicit_reward,
    format_reward,
    reward_functions,
    schema_reward,
)
from optimize.distill.train import _check_settings, grpo_settings, sft_settings
from optimize.render_score import Clip
from tools.errors import ConfigError
from tools.schema import EXAMPLE, FIELDS

SYSTEM = "Your input fields are:\n1. `vibe` (str)\nYour output fields are:\n1. `config` (MusicConfig)\nAll interactions..."

GOOD = completion(EXAMPLE)
P = prompt("rain on a tin roof at night")


def test_prompt_carries_the_system_prompt_and_the_vibe_and_completion_is_compact_schema_order_json():
    assert P.startswith("You are a synthesizer configuration assistant.")
    assert vibe_of(P) == "rain on a tin roof at night"
    assert list(json.loads(GOOD)) == list(FIELDS)
    assert " " not in GOOD
    few = prompt("x", [("calm lake", EXAMPLE)])
    assert few.count("Vibe:") == 2 and vibe_of(few) == "x"
    assert P == prompt_prefix() + " rain on a tin roof at night\nConfig:"  # the decoder caches the prefix's pass
    assert few.startswith(prompt_prefix([("calm lake", EXAMPLE)]))


def test_first_json_object_stops_at_the_balanced_brace_and_keeps_braces_inside_strings():
    assert first_json_object('{"a":"}{"} and more') == '{"a":"}{"}'
    assert first_json_object('junk {"a":{"b":1}} tail') == '{"a":{"b":1}}'
    assert first_json_object("no json") == "no json"


def test_format_reward_is_binary_on_json_objects():
    assert format_reward([P] * 4, [GOOD, GOOD + "\nmore text", '{"tempo": "slow"', "[1, 2]"]) == [1.0, 1.0, 0.0, 0.0]


def test_schema_reward_gives_partial_and_near_miss_credit():
    broken = dict(EXAMPLE, tempo="slowe", mode="lydian")  # tempo: near miss (30 %), mode: wrong
    missing = {k: v for k, v in EXAMPLE.items() if k != "depth"}
    full, near, gone, junk = schema_reward([P] * 4, [GOOD, json.dumps(broken), json.dumps(missing), "nope"])
    assert full == 1.0 and junk == 0.0
    total = 15.1  # sum of seeds/000's field weights
    assert near == pytest.approx((total - 1.5 - 1.5 + 0.3 * 1.5) / total)
    assert gone == pytest.approx((total - 0.3) / total)


@pytest.mark.judge_renders
def test_audio_reward_judges_valid_configs_and_gives_zero_to_unplayable_ones():
    audio = audio_reward("vibe", clip=Clip(duration=3.0))
    valid, invalid = audio([P, P], [GOOD, json.dumps(dict(EXAMPLE, tempo="warp"))])
    assert 0.0 < valid <= 1.0 and invalid == 0.0
    parts = decompose("rain on a tin roof at night", GOOD, audio)
    explicit = parts["explicit"]
    assert parts["total"] == pytest.approx(WEIGHTS["format"] + WEIGHTS["schema"] + WEIGHTS["audio"] * valid + WEIGHTS["explicit"] * explicit)
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    # specificity: the same render judged against other vibes; a config made for rain beats it for a rave less
    rave = decompose("rain on a tin roof at night", GOOD, audio, others=["a pounding warehouse rave at 140 bpm"])
    assert rave["specificity"] == pytest.approx(valid - audio([prompt("a pounding warehouse rave at 140 bpm")], [GOOD])[0])


def test_explicit_reward_is_the_share_of_named_fields_the_config_has():
    named = prompt("no drums, in D minor")  # rhythm none, root d, mode minor
    right = completion(dict(EXAMPLE, rhythm="none", root="d", mode="minor"))
    one_wrong = completion(dict(EXAMPLE, rhythm="none", root="d", mode="major"))
    assert explicit_reward([named] * 3, [right, one_wrong, "nope"]) == [1.0, pytest.approx(2 / 3), 0.0]
    assert explicit_reward([prompt("a quiet harbour")], [right]) == [1.0]  # names nothing: nothing to miss


def test_distinct_reward_logs_the_share_of_distinct_valid_configs():
    other = completion(dict(EXAMPLE, tempo="fast"))
    assert distinct_reward([P] * 4, [GOOD, GOOD, other, "nope"]) == [0.5, 0.5, 1.0, 0.0]  # mean 0.5: two of four


def test_reward_set_leaves_specificity_out_for_a_judge_that_ignores_the_text():
    functions, weights = reward_functions("dsp", Clip(duration=2.0))
    assert [f.__name__ for f in functions] == ["format", "schema", "audio", "explicit", "distinct"]
    assert sum(weights) == pytest.approx(1.0) and weights[-1] == 0.0
    functions, weights = reward_functions("vibe", Clip(duration=2.0))
    assert [f.__name__ for f in functions] == ["format", "schema", "audio", "specificity", "explicit", "distinct"]
    assert weights[:5] == [WEIGHTS[n] for n in ("format", "schema", "audio", "specificity", "explicit")]


def test_grpo_settings_take_length_unbiased_losses_and_whole_groups():
    settings = grpo_settings(model="m", data="d", out="o")
    assert (settings.loss_type, settings.num_generations, settings.batch_size) == ("dapo", 8, 32)  # 4 prompts x 8
    with pytest.raises(ConfigError, match="use dapo or dr_grpo"):
        grpo_settings(model="m", data="d", out="o", loss_type="grpo")
    with pytest.raises(ConfigError, match="not a whole number of groups"):
        grpo_settings(model="m", data="d", out="o", batch_size=12)


def test_a_run_resumes_when_only_another_stages_setting_changed_and_refuses_its_own(tmp_path):
    old = asdict(sft_settings(model="m", data="d", out=str(tmp_path)))
    (tmp_path / "run.json").write_text(json.dumps({**old, "loss_type": "grpo", "pairs": 5}))  # GRPO / DPO defaults of an older version
    _check_settings(sft_settings(model="m", data="d", out=str(tmp_path)), tmp_path)
    grpo = asdict(grpo_settings(model="m", data="d", out=str(tmp_path)))
    (tmp_path / "run.json").write_text(json.dumps({**grpo, "loss_type": "dr_grpo"}))
    with pytest.raises(ConfigError, match=r"other settings \(loss_type\)"):
        _check_settings(grpo_settings(model="m", data="d", out=str(tmp_path)), tmp_path)


def test_chat_answer_frames_for_dspy_and_is_bare_json_otherwise():
    dspy_messages = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": "[[ ## vibe ## ]]\nfoggy harbour\n\n[[ ## feedback ## ]]\nnone\n\nRespond with..."},
    ]
    assert vibe_and_frame(dspy_messages) == ("foggy harbour", "config")
    seen = []
    reply = answer(lambda vibe, shots: seen.append((vibe, shots)) or GOOD, dspy_messages)
    assert seen == [("foggy harbour", None)] and reply.startswith("[[ ## config ## ]]\n" + GOOD)
    assert answer(lambda vibe, shots: GOOD, [{"role": "user", "content": "foggy harbour"}]) == GOOD
    with pytest.raises(ValueError):
        vibe_and_frame([{"role": "system", "content": "hi"}])


def test_chat_demos_become_the_students_few_shot_examples():
    system = {"role": "system", "content": SYSTEM}
    demo_user = {"role": "user", "content": "[[ ## vibe ## ]]\nneon rain\n\n[[ ## feedback ## ]]\nnone"}
    demo_reply = {"role": "assistant", "content": f"[[ ## config ## ]]\n{GOOD}\n\n[[ ## completed ## ]]"}
    question = {"role": "user", "content": "[[ ## vibe ## ]]\nfoggy harbour\n\n[[ ## feedback ## ]]\nnone"}
    assert demos([system, question]) == []
    assert demos([system, demo_user, demo_reply, question]) == [("neon rain", json.loads(GOOD))]
    seen = []
    answer(lambda vibe, shots: seen.append((vibe, shots)) or GOOD, [system, demo_user, demo_reply, question])
    assert seen == [("foggy harbour", [("neon rain", json.loads(GOOD))])]
    bad_reply = {"role": "assistant", "content": '[[ ## config ## ]]\n{"tempo": "warp"}'}
    with pytest.raises(ValueError, match="demo 1 .*neon rain"):
        demos([system, demo_user, bad_reply, question])


def test_training_commands_in_the_core_env_name_the_training_env_in_one_line():
    import importlib.util

    from typer.testing import CliRunner

    from vibesynth.cli.app import app

    if importlib.util.find_spec("torch") is not None:
        pytest.skip("this environment has torch; the one-line refusal is for the core .venv")
    for args in (["distill", "sft", "--data", "x", "--out", "y"], ["serve-lm", "--model", "x"], ["export", "--model", "x", "--out", "y"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, args
        assert ".venv-train/bin/vibesynth" in result.output and "Traceback" not in result.output
