"""The GRPO rewards of the student: format, schema, audio (seeds/000), specificity and explicit fields (issue #23).

- format: the completion's JSON object parses (1/0);
- schema: the eval suite's granular schema score in [0, 1] (optimize.eval.schema_score);
- audio: the judge's reward of the rendered config against the vibe, through the learning loop's one
  render-and-score path (optimize.render_score); 0 for a completion that is no valid config (seeds/000:
  R_audio = 0 unless format and schema pass);
- specificity: the teacher's contrastive term, judge(vibe) minus the mean judge(other vibe) over the record's
  K other vibes (the dataset's `others` column, the ones the teacher contrasted with), in [-1, 1]: a config that
  suits every vibe earns nothing. The render is measured once and judged against each text. Only for a judge that
  reads the text;
- explicit: the share of the fields the reader reads as named in the vibe ("no drums", "in D minor") that the config
  has (1 when the vibe names none, 0 for no valid config).

Weights (WEIGHTS, chosen not tuned): 0.1 format, 0.2 schema, 0.4 audio, 0.15 specificity, 0.15 explicit; with a
judge that ignores the text the specificity term is left out and the others are scaled to sum to 1. Each is a TRL
reward function `reward(prompts, completions, **kwargs) -> list[float]`; GRPOTrainer weighs them with
`reward_weights` and logs each one's mean per step (the decomposition). `distinct` (weight 0) logs the share of
distinct valid configs in each generation batch, so a collapse shows in the log before it shows in the eval.
No torch import here: the rewards are plain Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aesthetics.vibe.reader import read
from agent.student.prompts import first_json_object, vibe_of
from optimize.eval.schema_score import is_valid, parse_json, schema_score
from optimize.render_score import Clip, RenderJudge
from tools.errors import ConfigError
from tools.schema import MusicConfig

WEIGHTS = {"format": 0.1, "schema": 0.2, "audio": 0.4, "specificity": 0.15, "explicit": 0.15}


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


def _configs(prompts: list[Any], completions: list[Any]) -> list[tuple[str, MusicConfig | None]]:
    """(vibe, config or None when the completion is no valid config) of each completion."""
    out = []
    for prompt, completion in zip(prompts, completions, strict=True):
        text = _json_part(completion)
        out.append((vibe_of(prompt if isinstance(prompt, str) else _text(prompt)), MusicConfig.parse(text) if is_valid(text) else None))
    return out


def audio_reward(judge: str = "vibe", clip: Clip = Clip(), cache_path: Path | None = None, judged: RenderJudge | None = None):
    """The judge's reward of the rendered config in [0, 1] (`agent.metric.unit_reward`: `vibe_reward`,
    `clap_reward`, else OBJ / 10 for dsp and audiobox); 0.0 for a completion that is no valid config.
    Rendered and judged through `optimize.render_score` (a repeated config is measured once)."""
    judged = judged or RenderJudge(judge, clip, cache_path)

    def reward(prompts: list[Any], completions: list[Any], **kwargs: Any) -> list[float]:
        return [judged.reward(config, vibe) if config is not None else 0.0 for vibe, config in _configs(prompts, completions)]

    reward.__name__ = "audio"
    reward.metric, reward.judged = judged.metric, judged
    return reward


def specificity_reward(judged: RenderJudge):
    """judge(vibe) - mean judge(other vibe) of the rendered config, over the row's `others` (0 for no valid config)."""

    def reward(prompts: list[Any], completions: list[Any], others: list[list[str]] | None = None, **kwargs: Any) -> list[float]:
        if others is None:
            raise ConfigError("the specificity reward needs each prompt's other vibes (the dataset's `others` column)")
        out = []
        for (vibe, config), rivals in zip(_configs(prompts, completions), others, strict=True):
            if config is None or not rivals:
                out.append(0.0)
                continue
            out.append(judged.reward(config, vibe) - sum(judged.reward(config, other) for other in rivals) / len(rivals))
        return out

    reward.__name__ = "specificity"
    return reward


def explicit_reward(prompts: list[Any], completions: list[Any], **kwargs: Any) -> list[float]:
    """The share of the vibe's named fields the config has (1 when it names none, 0 for no valid config)."""
    out = []
    for vibe, config in _configs(prompts, completions):
        named = read(vibe).explicit_fields()
        if config is None:
            out.append(0.0)
        else:
            out.append(sum(getattr(config, name) == value for name, value in named.items()) / len(named) if named else 1.0)
    return out


def distinct_reward(prompts: list[Any], completions: list[Any], **kwargs: Any) -> list[float]:
    """Weight 0, logged only: 1/(copies of its config in the batch) for each valid completion, so the batch mean is
    the share of distinct valid configs among the completions."""
    configs = [config.model_dump_json() if config is not None else None for _vibe, config in _configs(prompts, completions)]
    return [1.0 / configs.count(c) if c is not None else 0.0 for c in configs]


def reward_functions(judge: str = "vibe", clip: Clip = Clip()) -> tuple[list, list[float]]:
    """(reward functions, their weights) for GRPOTrainer: format, schema, audio, specificity (a judge that reads the
    text only), explicit, and distinct (weight 0, logged)."""
    format_reward.__name__, schema_reward.__name__ = "format", "schema"
    explicit_reward.__name__, distinct_reward.__name__ = "explicit", "distinct"
    judged = RenderJudge(judge, clip)
    try:
        judged.metric.check()
    except ConfigError as err:
        raise ConfigError(f"the audio reward's judge cannot score: {err}") from None
    functions = {"format": format_reward, "schema": schema_reward, "audio": audio_reward(judged=judged), "explicit": explicit_reward}
    if judged.scorer.text_aware:
        functions["specificity"] = specificity_reward(judged)
    total = sum(WEIGHTS[name] for name in functions)
    names = [name for name in WEIGHTS if name in functions]
    return [functions[name] for name in names] + [distinct_reward], [WEIGHTS[name] / total for name in names] + [0.0]


def decompose(vibe: str, completion: str, audio=None, others: list[str] | None = None) -> dict[str, Any]:
    """The decomposed reward of one completion (for reports and tests); `audio` the audio reward function (its judge
    also scores the specificity against `others`), else both are 0."""
    prompt = [f"Vibe: {vibe}\nConfig: "]
    text = first_json_object(completion)
    parts = {
        "format": 1.0 if isinstance(parse_json(text), dict) else 0.0,
        "schema": schema_score(text)[0],
        "audio": audio(prompt, [completion])[0] if audio is not None else 0.0,
        "specificity": 0.0,
        "explicit": explicit_reward(prompt, [completion])[0],
    }
    if audio is not None and others:
        parts["specificity"] = specificity_reward(audio.judged)(prompt, [completion], others=[others])[0]
    total = sum(WEIGHTS[name] * value for name, value in parts.items())
    return {**parts, "total": total, "field_errors": schema_score(text)[1], "json": parse_json(text) if parts["format"] else None}
