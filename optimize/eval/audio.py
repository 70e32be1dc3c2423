"""Render a config and score it with the judge and the dsp proxy, through the one render-and-score path.

Scoring goes through the project's one metric (`agent.metric.AudioMetric`):
the judge's reward is its `<backend>_reward` (`vibe_reward`, `clap_reward`),
or OBJ / 10 for backends without one (dsp: text-blind). Both metrics are
checked on a test tone before the first vibe, so a broken judge fails at once.

Rendering and measuring are `optimize.render_score`'s: a config is rendered
once per clip (seed, duration, rate) and each judge's measurements are cached
under the cache root, keyed on the config, the clip, the engine fingerprint
and the judge's backend and version, so any change to the synth or the judge
invalidates old entries, and configs the teacher already measured are free.
"""

from __future__ import annotations

from agent.metric import unit_reward
from optimize.render_score import Clip, RenderJudge, default_cache_path
from tools.ambient import engine_fingerprint
from tools.schema import MusicConfig


class AudioJudge:
    """`judge(config, text)` -> {"reward", "dsp_obj", ...} for one rendered clip."""

    def __init__(self, judge: str, duration: float, sample_rate: int, seed: int, cache: bool = True) -> None:
        self.judge_name = judge
        clip = Clip(duration, sample_rate, seed)
        path = default_cache_path() if cache else None
        self.judge = RenderJudge(judge, clip, path)
        self.dsp = self.judge if judge == "dsp" else RenderJudge("dsp", clip, path)
        self.judge.metric.check()
        if self.dsp is not self.judge:
            self.dsp.metric.check()
        self.duration, self.sample_rate, self.seed = duration, sample_rate, seed

    def describe(self) -> dict:
        return {
            "judge": self.judge_name,
            "judge_version": self.judge.scorer.version,
            "reward_key": self.judge.metric.key,
            "dsp_version": self.dsp.scorer.version,
            "duration_s": self.duration,
            "sample_rate": self.sample_rate,
            "render_seed": self.seed,
            "engine": engine_fingerprint(),
        }

    def score_audio(self, audio, sample_rate: int, text: str) -> dict:
        """{"reward", "dsp_obj"} of a clip made elsewhere (an audio producer's), by the same judge and dsp proxy.
        Not cached: the clip is not a function of a config."""
        judged = self.judge.metric.scores(audio, sample_rate, text)
        dsp = judged if self.dsp is self.judge else self.dsp.metric.scores(audio, sample_rate)
        return {"reward": round(unit_reward(judged), 6), "dsp_obj": dsp.OBJ}

    def __call__(self, config: MusicConfig, text: str) -> dict:
        judged = self.judge.scores(config, text)
        dsp = judged if self.dsp is self.judge else self.dsp.scores(config)
        return {"reward": round(unit_reward(judged), 6), "dsp_obj": dsp.OBJ}
