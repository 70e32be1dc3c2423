"""The one metric: how good a played or rendered piece is, in DSPy's convention.

    from agent.metric import AudioMetric
    metric = AudioMetric("dsp")                  # any aesthetics backend: dsp | audiobox | clap | remote:URL
    metric(example, prediction)                  # -> float (OBJ by default), DSPy's metric(example, pred, trace=None)
    metric.scores(audio, sample_rate, text)      # -> aesthetics.Scores, the full record every report stores

`example` carries the brief (`example.brief`, `example["brief"]`, or a plain
string); `prediction` carries the audio (`.audio` + `.sample_rate`, the same
keys in a dict, a `DJOutcome`, or a path to a WAV/FLAC in `.wav` or as a
`Path`). With `trace` set (DSPy bootstrapping), the metric returns
`value >= threshold` when a threshold was given.

Adapters (plain Python, no optuna/torch/trl import):
- `optuna_objective(metric, play, example)`: `objective(trial) -> float`, where
  `play(trial)` returns a prediction;
- `trl_reward(metric, play)`: a TRL reward function
  `reward(prompts, completions, **kwargs) -> list[float | None]`, where
  `play(prompt, completion)` returns a prediction, or None when the completion
  cannot be played (TRL skips None rewards).

Every scoring path in the project (dj summary, A/B report, palette
screening, score-gap test) goes through `AudioMetric.scores`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from tools.errors import ConfigError, VibesynthError

KEYS = ("OBJ", "CE", "CU", "PC", "PQ")
CHECK_SECONDS = 1.0


class AudioMetric:
    """A scorer backend as a metric; `key` picks the number (OBJ, CE, CU, PC, PQ, or an `extra` name)."""

    def __init__(self, scorer: str = "dsp", key: str = "OBJ", threshold: float | None = None, **scorer_opts: Any):
        self.scorer_name = scorer
        self.key = key
        self.threshold = threshold
        self._opts = scorer_opts
        self._scorer = None
        self.__name__ = f"{scorer}_{key}"

    @property
    def scorer(self):
        if self._scorer is None:
            from aesthetics import get_scorer

            self._scorer = get_scorer(self.scorer_name, **self._opts)
        return self._scorer

    def scores(self, audio: np.ndarray, sample_rate: int, text: str | None = None):
        """The full `aesthetics.Scores` of one clip (backend and version named in it)."""
        return self.scorer.score(audio, sample_rate, text=text)

    def value(self, scores) -> float:
        """The metric's number from a Scores record; a clear error when the backend does not give it."""
        number = getattr(scores, self.key, None) if self.key in KEYS else scores.extra.get(self.key)
        if number is None:
            raise ConfigError(
                f"scorer {self.scorer_name} gives no {self.key}; pick a backend that does (OBJ: dsp, audiobox, remote:URL) or another key"
            )
        return float(number)

    def __call__(self, example: Any, prediction: Any, trace: Any = None) -> float | bool:
        audio, sample_rate = prediction_audio(prediction)
        number = self.value(self.scores(audio, sample_rate, example_brief(example)))
        if trace is not None and self.threshold is not None:
            return number >= self.threshold
        return number

    def check(self) -> None:
        """Score one second of a test tone; raise a VibesynthError naming the scorer when it cannot score.

        Long jobs call this before any set is played, so a wrong backend or an
        unreachable service fails in a second, not after the runs.
        """
        rate = 22050
        t = np.arange(int(CHECK_SECONDS * rate)) / rate
        tone = (0.3 * np.sin(2 * np.pi * 220.0 * t)).astype(np.float32)
        try:
            scores = self.scores(np.stack([tone, tone], axis=1), rate, "check")
        except VibesynthError:
            raise
        except Exception as err:  # noqa: BLE001 - any failure of a backend becomes one line naming it
            raise ConfigError(
                f"scorer {self.scorer_name} cannot score ({type(err).__name__}: {err}); fix it or pick another --scorer before playing any set"
            ) from None
        self.value(scores)


TEXT_REWARDS = ("vibe_reward", "dj_reward", "clap_reward")  # the CLAP reward slot of seeds/000 section 5


def unit_reward(scores: Any) -> float:
    """A Scores record as one reward in [0, 1]: the text-aware reward (vibe or dj proxy, CLAP), else OBJ / 10."""
    for key in TEXT_REWARDS:
        if key in scores.extra:
            return float(scores.extra[key])
    if scores.OBJ is None:
        raise ConfigError(f"judge {scores.backend} gives neither a text reward nor OBJ; use the vibe judge")
    return float(scores.OBJ) / 10.0


def example_brief(example: Any) -> str | None:
    """The brief an example carries (attribute, key, or the example itself as a string)."""
    if example is None or isinstance(example, str):
        return example
    if isinstance(example, Mapping):
        return example.get("brief") or example.get("text")
    return getattr(example, "brief", None) or getattr(example, "text", None)


def prediction_audio(prediction: Any) -> tuple[np.ndarray, int]:
    """(audio, sample_rate) from a prediction: audio + sample_rate, or a WAV/FLAC path."""
    if isinstance(prediction, (str, Path)):
        return _read(Path(prediction))
    get = prediction.get if isinstance(prediction, Mapping) else lambda key: getattr(prediction, key, None)
    audio, rate = get("audio"), get("sample_rate")
    if audio is not None and rate is not None:
        return np.asarray(audio), int(rate)
    path = get("wav")
    if path is not None:
        return _read(Path(path))
    raise ConfigError("the prediction carries no audio: give it .audio and .sample_rate, or .wav (a file path)")


def _read(path: Path) -> tuple[np.ndarray, int]:
    from tools.audio_io import read_audio

    return read_audio(path)


def optuna_objective(metric: AudioMetric, play: Callable[[Any], Any], example: Any = None) -> Callable[[Any], float]:
    """An Optuna objective: `play(trial)` makes a prediction (suggesting its knobs), the metric scores it."""

    def objective(trial: Any) -> float:
        return float(metric(example, play(trial)))

    objective.__name__ = f"{metric.__name__}_objective"
    return objective


def trl_reward(metric: AudioMetric, play: Callable[[Any, Any], Any]) -> Callable[..., list[float | None]]:
    """A TRL reward function over (prompt, completion) pairs; the prompt is the brief.

    `play(prompt, completion)` turns one completion into a prediction (parse
    and render), or returns None when it cannot be played: that completion
    gets None, which TRL leaves out of the reward sum.
    """

    def reward(prompts: list[Any], completions: list[Any], **kwargs: Any) -> list[float | None]:
        rewards: list[float | None] = []
        for prompt, completion in zip(prompts, completions, strict=True):
            prediction = play(prompt, completion)
            brief = prompt if isinstance(prompt, str) else example_brief(prompt)
            rewards.append(None if prediction is None else float(metric({"brief": brief}, prediction)))
        return rewards

    reward.__name__ = f"{metric.__name__}_reward"
    return reward
