"""Render a config and score it with the judge and the dsp proxy, cached on disk.

Scoring goes through the project's one metric (`agent.metric.AudioMetric`):
the judge's reward is its `<backend>_reward` (`vibe_reward`, `clap_reward`),
or OBJ / 10 for backends without one (dsp: text-blind). Both metrics are
checked on a test tone before the first vibe, so a broken judge fails at once.

The cache key is (config, seed, duration, sample rate, engine fingerprint,
judge backend and version, text): a hash of the engine's source files stands
in for a render version, so any change to the synth invalidates old entries.
Each entry is one small JSON file under `<cache root>/eval/scores/`.
"""

from __future__ import annotations

import hashlib
import json

from agent.metric import AudioMetric, unit_reward
from tools.ambient import engine_fingerprint
from tools.files import write_json
from tools.paths import cache_root
from tools.schema import MusicConfig


def reward_key(judge: str) -> str:
    """The metric key of a judge's reward: `<backend>_reward` for text-aware judges, else OBJ."""
    return f"{judge}_reward" if judge in ("vibe", "clap") else "OBJ"


class AudioJudge:
    """`judge(config, text)` -> {"reward", "dsp_obj", ...} for one rendered clip."""

    def __init__(self, judge: str, duration: float, sample_rate: int, seed: int, cache: bool = True) -> None:
        self.judge_name = judge
        self.judge = AudioMetric(judge, key=reward_key(judge))
        self.dsp = self.judge if judge == "dsp" else AudioMetric("dsp")
        self.judge.check()
        if self.dsp is not self.judge:
            self.dsp.check()
        self.duration, self.sample_rate, self.seed = duration, sample_rate, seed
        self.folder = cache_root() / "eval" / "scores" if cache else None

    def describe(self) -> dict:
        return {
            "judge": self.judge_name, "judge_version": self.judge.scorer.version, "reward_key": self.judge.key,
            "dsp_version": self.dsp.scorer.version,
            "duration_s": self.duration, "sample_rate": self.sample_rate, "render_seed": self.seed,
            "engine": engine_fingerprint(),
        }

    def _key(self, config: MusicConfig, text: str) -> str:
        payload = {"config": config.model_dump(), "text": text, **self.describe()}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def score_audio(self, audio, sample_rate: int, text: str) -> dict:
        """{"reward", "dsp_obj"} of a clip made elsewhere (an audio producer's), by the same judge and dsp proxy.
        Not cached: the clip is not a function of a config."""
        judged = self.judge.scores(audio, sample_rate, text)
        dsp = judged if self.dsp is self.judge else self.dsp.scores(audio, sample_rate)
        return {"reward": round(unit_reward(judged), 6), "dsp_obj": dsp.OBJ}

    def __call__(self, config: MusicConfig, text: str) -> dict:
        key = self._key(config, text)
        path = self.folder / key[:2] / f"{key}.json" if self.folder else None
        if path is not None and path.is_file():
            try:
                return json.loads(path.read_text())
            except json.JSONDecodeError:
                path.unlink(missing_ok=True)
        from tools.ambient.render import render_config

        audio = render_config(config, self.duration, seed=self.seed, sample_rate=self.sample_rate)
        judged = self.judge.scores(audio, self.sample_rate, text)
        dsp = judged if self.dsp is self.judge else self.dsp.scores(audio, self.sample_rate)
        result = {"reward": round(unit_reward(judged), 6), "dsp_obj": dsp.OBJ}
        if path is not None:
            write_json(path, result)
        return result
