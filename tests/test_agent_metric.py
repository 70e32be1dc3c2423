"""The one metric (agent.metric): DSPy's convention, Optuna and TRL adapters, and the scorer check."""

from __future__ import annotations

import numpy as np
import pytest

from agent.metric import AudioMetric, optuna_objective, prediction_audio, trl_reward
from tools.audio_io import write_audio
from tools.errors import ConfigError, VibesynthError

RATE = 22050


def tone(hz: float, seconds: float = 2.0, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    mono = (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    return np.stack([mono, mono], axis=1)


def test_metric_is_the_scorers_obj_in_dspys_convention():
    import dspy

    from aesthetics import get_scorer

    audio = tone(220)
    metric = AudioMetric("dsp")
    expected = get_scorer("dsp").score(audio, RATE).OBJ
    example = dspy.Example(brief="calm").with_inputs("brief")
    assert metric(example, dspy.Prediction(audio=audio, sample_rate=RATE)) == pytest.approx(expected)
    assert metric("calm", {"audio": audio, "sample_rate": RATE}) == pytest.approx(expected)
    assert AudioMetric("dsp", key="PQ")(None, {"audio": audio, "sample_rate": RATE}) == pytest.approx(get_scorer("dsp").score(audio, RATE).PQ)


def test_with_a_trace_and_threshold_it_answers_pass_or_fail():
    audio = {"audio": tone(220), "sample_rate": RATE}
    value = AudioMetric("dsp")(None, audio)
    assert AudioMetric("dsp", threshold=value - 0.01)(None, audio, trace=[]) is True
    assert AudioMetric("dsp", threshold=value + 0.01)(None, audio, trace=[]) is False
    assert AudioMetric("dsp", threshold=value + 0.01)(None, audio) == pytest.approx(value)  # no trace: the number


def test_a_prediction_may_be_a_wav_file(tmp_path):
    path = tmp_path / "x.wav"
    write_audio(path, tone(330), RATE, subtype="float")
    audio, rate = prediction_audio(path)
    assert rate == RATE and audio.shape == (2 * RATE, 2)
    with pytest.raises(ConfigError, match="carries no audio"):
        prediction_audio({"summary": "no audio"})


def test_optuna_objective_scores_what_the_trial_plays():
    class Trial:
        def suggest_float(self, name, low, high):
            return 440.0

    metric = AudioMetric("dsp")
    objective = optuna_objective(metric, lambda trial: {"audio": tone(trial.suggest_float("hz", 100, 800)), "sample_rate": RATE})
    assert objective(Trial()) == pytest.approx(metric(None, {"audio": tone(440), "sample_rate": RATE}))


def test_trl_reward_gives_one_float_per_completion_and_none_when_unplayable():
    metric = AudioMetric("dsp")

    def play(prompt, completion):
        return None if completion == "garbage" else {"audio": tone(float(completion)), "sample_rate": RATE}

    reward = trl_reward(metric, play)
    values = reward(prompts=["a", "b", "c"], completions=["220", "garbage", "880"], completion_ids=None)
    assert values[1] is None and all(isinstance(v, float) for v in (values[0], values[2]))
    assert values[0] == pytest.approx(metric(None, {"audio": tone(220), "sample_rate": RATE}))
    assert reward.__name__ == "dsp_OBJ_reward"


def test_the_check_fails_fast_on_a_scorer_that_cannot_score():
    AudioMetric("dsp").check()
    with pytest.raises(ConfigError, match="unknown scorer backend"):
        AudioMetric("nope").check()
    with pytest.raises(VibesynthError, match="cannot reach"):
        AudioMetric("remote:http://127.0.0.1:9/", retries=0).check()
    with pytest.raises(ConfigError, match="gives no clap_sim"):
        AudioMetric("dsp", key="clap_sim").check()


def test_lm_usage_sums_tokens_and_cost_of_the_runs_calls_only():
    from types import SimpleNamespace

    from agent.dj.lm_policy import usage

    before = {"usage": {"prompt_tokens": 999, "completion_tokens": 999, "total_tokens": 1998}, "cost": 9.0}
    calls = [
        {"usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}, "cost": 0.001},
        {"usage": {"prompt_tokens": 150, "completion_tokens": 30, "total_tokens": 180}, "cost": 0.002},
    ]
    totals = usage(SimpleNamespace(history=[before, *calls]), since=1)
    assert totals["prompt_tokens"] == 250 and totals["completion_tokens"] == 50 and totals["calls"] == 2
    assert totals["cost_usd"] == pytest.approx(0.003)
    unpriced = usage(SimpleNamespace(history=[*calls, {"usage": {}, "cost": None}]), since=0)
    assert unpriced["cost_usd"] is None  # a call litellm could not price: no made-up total
