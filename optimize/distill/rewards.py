"""seeds/000 section 5's rewards for GRPO: format (valid JSON), schema (granular), audio (the judge).

Total = 0.2 R_format + 0.3 R_schema + 0.5 R_audio. Each is a TRL reward
function `reward(prompts, completions, **kwargs) -> list[float]`; GRPOTrainer
weighs them with `reward_weights` and logs each one's mean per step (the
decomposition). The schema score is the eval suite's (optimize.eval.schema_score);
the audio reward is the learning loop's one render-and-score path
(optimize.render_score): render the config, score it with the judge against
the vibe. A completion that is not a valid config cannot be played: its audio
reward is 0 (seeds/000: R_audio = 0 unless format and schema pass).
No torch import here: the rewards are plain Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.student.prompts import first_json_object, vibe_of
from optimize.eval.schema_score import is_valid, parse_json, schema_score
from optimize.render_score import Clip, RenderJudge
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


def audio_reward(judge: str = "vibe", clip: Clip = Clip(), cache_path: Path | None = None):
    """The judge's reward of the rendered config in [0, 1] (`agent.metric.unit_reward`: `vibe_reward`,
    `clap_reward`, else OBJ / 10 for dsp and audiobox); 0.0 for a completion that is no valid config.
    Rendered and judged through `optimize.render_score` (a repeated config is measured once)."""
    judged = RenderJudge(judge, clip, cache_path)

    def reward(prompts: list[Any], completions: list[Any], **kwargs: Any) -> list[float]:
        rewards = []
        for prompt, completion in zip(prompts, completions, strict=True):
            text = _json_part(completion)
            vibe = vibe_of(prompt if isinstance(prompt, str) else _text(prompt))
            rewards.append(judged.reward(MusicConfig.parse(text), vibe) if is_valid(text) else 0.0)
        return rewards

    reward.__name__ = "audio"
    reward.metric = judged.metric
    return reward


def reward_functions(judge: str = "vibe", clip: Clip = Clip()) -> tuple[list, list[float]]:
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
    return {
        "total": total,
        "format": r_format,
        "schema": r_schema,
        "audio": r_audio,
        "field_errors": problems,
        "json": parse_json(text) if r_format else None,
    }
