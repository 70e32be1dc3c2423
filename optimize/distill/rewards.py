"""seeds/000 section 5's rewards for GRPO: format (valid JSON), schema (granular), audio (the judge).

Total = 0.2 R_format + 0.3 R_schema + 0.5 R_audio. Each is a TRL reward
function `reward(prompts, completions, **kwargs) -> list[float]`; GRPOTrainer
weighs them with `reward_weights` and logs each one's mean per step (the
decomposition). The schema score is the eval suite's (optimize.eval.schema_score);
the audio reward is the one metric (agent.metric.AudioMetric) through its
`trl_reward` adapter: render the config, score it with the judge against the
vibe. A completion that is not a valid config cannot be played: its audio
reward is 0 (seeds/000: R_audio = 0 unless format and schema pass).
No torch import here: the rewards are plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent.metric import AudioMetric, trl_reward
from agent.student.prompts import first_json_object, vibe_of
from optimize.eval.schema_score import is_valid, parse_json, schema_score
from tools.errors import ConfigError
from tools.schema import MusicConfig

WEIGHTS = {"format": 0.2, "schema": 0.3, "audio": 0.5}


def _text(completion: Any) -> str:
    if isinstance(completion, list):  # conversational completions: [{"role": ..., "content": ...}]
        return "".join(str(message.get("content", "")) for message in completion)
    return str(completion)


def _json_part(completion: Any) -> str:
    return first_json_object(_text(completion))


def format_reward(prompts: list[Any], completions: list[Any], **kwargs: Any) -> list[float]:
    """1.0 when the completion's JSON object parses, else 0.0."""
    return [1.0 if isinstance(parse_json(_json_part(c)), dict) else 0.0 for c in completions]


def schema_reward(prompts: list[Any], completions: list[Any], **kwargs: Any) -> list[float]:
    """The granular schema score (field weights, near-miss credit) in [0, 1]."""
    return [schema_score(_json_part(c))[0] for c in completions]


@dataclass(frozen=True)
class ClipSpec:
    duration: float = 8.0
    sample_rate: int = 22050
    seed: int = 0


def audio_reward(judge: str = "vibe", clip: ClipSpec = ClipSpec()):
    """The judge's reward of the rendered config in [0, 1] (`<judge>_reward`, or OBJ / 10 for dsp);
    0.0 for a completion that is no valid config."""
    from tools.ambient import render_config

    scale = 10.0 if judge == "dsp" else 1.0
    metric = AudioMetric(judge, key="OBJ" if judge == "dsp" else f"{judge}_reward")

    def play(prompt: Any, completion: Any):
        text = _json_part(completion)
        if not is_valid(text):
            return None
        config = MusicConfig.parse(text)
        audio = render_config(config, clip.duration, seed=clip.seed, sample_rate=clip.sample_rate)
        return {"audio": audio, "sample_rate": clip.sample_rate}

    judged = trl_reward(metric, play)

    def reward(prompts: list[Any], completions: list[Any], **kwargs: Any) -> list[float]:
        vibes = [vibe_of(p if isinstance(p, str) else _text(p)) for p in prompts]
        return [0.0 if value is None else value / scale for value in judged(vibes, completions)]

    reward.__name__ = "audio"
    reward.metric = metric
    return reward


def reward_functions(judge: str = "vibe", clip: ClipSpec = ClipSpec()) -> tuple[list, list[float]]:
    """([format, schema, audio] reward functions, their weights) for GRPOTrainer."""
    format_reward.__name__, schema_reward.__name__ = "format", "schema"
    audio = audio_reward(judge, clip=clip)
    try:
        audio.metric.check()
    except ConfigError as err:
        raise ConfigError(f"the audio reward's judge cannot score: {err}") from None
    return [format_reward, schema_reward, audio], [WEIGHTS["format"], WEIGHTS["schema"], WEIGHTS["audio"]]


def decompose(vibe: str, completion: str, audio=None) -> dict[str, Any]:
    """seeds/000's decomposed reward of one completion (for reports and tests)."""
    text = first_json_object(completion)
    r_format = 1.0 if isinstance(parse_json(text), dict) else 0.0
    r_schema, problems = schema_score(text)
    r_audio = 0.0
    if audio is not None:
        r_audio = audio([f"Vibe: {vibe}\nConfig: "], [completion])[0]
    total = WEIGHTS["format"] * r_format + WEIGHTS["schema"] * r_schema + WEIGHTS["audio"] * r_audio
    return {"total": total, "format": r_format, "schema": r_schema, "audio": r_audio,
            "field_errors": problems, "json": parse_json(text) if r_format else None}
