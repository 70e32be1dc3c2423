"""The one render-and-score path of the learning loop: a clip spec, a render, a judge, one cache.

    from optimize.render_score import Clip, RenderJudge
    judge = RenderJudge("vibe", Clip(duration=8.0, sample_rate=22050, seed=0))
    judge.reward(config, "rainy afternoon in Tokyo")   # the judge's reward in [0, 1] (agent.metric.unit_reward)
    judge.scores(config, text)                         # the full aesthetics.Scores (axes, extras)

The teacher, the eval suite, distillation rewards, compile jobs and studies
all render and judge configs here. A config is rendered once per clip and
measured once per judge (`Scorer.audio_features`: the text-free part), then
judged against any text in well under a millisecond (`judge_features`), so
one render serves every vibe that tries the same config. The measurements
are cached by everything they depend on: the config, the clip, a fingerprint
of the ambient engine's source and the judge's backend and version; a changed
engine or judge misses the cache instead of returning stale numbers. A remote
judge may read the text on its server, so it is not split: its scores are
cached per text.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from agent.metric import AudioMetric, unit_reward
from tools.ambient import engine_fingerprint
from tools.paths import cache_root
from tools.schema import MusicConfig

RENDERS_KEPT = 8  # recent renders held in memory, so judges sharing a clip render a config once


@dataclass(frozen=True)
class Clip:
    """How a config is rendered for judging: seconds, sample rate and the render seed."""

    duration: float = 8.0
    sample_rate: int = 22050
    seed: int = 0

    def render(self, config: MusicConfig) -> np.ndarray:
        """The clip of `config`, (frames, 2) float32; the same config and clip always give the same samples."""
        return _render(config.model_dump_json(), self.duration, self.sample_rate, self.seed).copy()


@lru_cache(maxsize=RENDERS_KEPT)
def _render(config_json: str, duration: float, sample_rate: int, seed: int) -> np.ndarray:
    from tools.ambient import render_config

    return render_config(MusicConfig.parse(config_json), duration, seed=seed, sample_rate=sample_rate)


def default_cache_path() -> Path:
    """The shared cache under the cache root (`$VIBESYNTH_CACHE/render-score/features.sqlite`)."""
    return cache_root() / "render-score" / "features.sqlite"


class FeatureCache:
    """A SQLite table key -> measurements (JSON), safe to share between processes on one machine."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # a crash may lose the last entries, never corrupt
        self._db.execute("CREATE TABLE IF NOT EXISTS features (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT value FROM features WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return json.loads(row[0])  # written by put below, never from outside

    def put(self, key: str, features: dict[str, Any]) -> None:
        self._db.execute("INSERT OR REPLACE INTO features VALUES (?, ?)", (key, json.dumps(features, sort_keys=True)))


def reward_key(judge: str) -> str:
    """The metric key of a judge's reward: `<backend>_reward` for the text-aware judges (vibe, dj, clap), else OBJ
    (dsp, audiobox and remote emit no `<backend>_reward`; their reward is OBJ / 10)."""
    return f"{judge}_reward" if judge in ("vibe", "dj", "clap") else "OBJ"


class RenderJudge:
    """Render a config to `clip`, measure it with the judge once (cached), judge it against any text.

    `judge` is a backend name (`dsp`, `vibe`, `audiobox`, `clap`, `remote:URL`; its metric's key is
    `reward_key`) or an `AudioMetric` (whose key a caller reads with `metric.value`). `cache_path` None
    keeps nothing on disk.
    """

    def __init__(self, judge: str | AudioMetric = "vibe", clip: Clip = Clip(), cache_path: Path | None = None) -> None:
        self.metric = judge if isinstance(judge, AudioMetric) else AudioMetric(judge, key=reward_key(judge))
        self.scorer = self.metric.scorer  # built now: a bad judge name fails before any render
        self.clip = clip
        self.cache = FeatureCache(cache_path) if cache_path else None
        self.splits = self.scorer.backend != "remote"  # see the module docstring

    @property
    def label(self) -> str:
        return f"{self.scorer.backend}/{self.scorer.version}"

    def describe(self) -> dict[str, Any]:
        """What a result depends on, for the settings written beside it."""
        return {"judge": self.metric.scorer_name, "judge_version": self.scorer.version, "clip": asdict(self.clip), "engine": engine_fingerprint()}

    def key(self, config: MusicConfig, text: str | None = None) -> str:
        # Text-free features depend only on what measures them: a new reader keeps every cached render valid.
        judge = self.label if text is not None else f"{self.scorer.backend}/{self.scorer.features_version()}"
        payload = {"config": config.model_dump(), "clip": asdict(self.clip), "engine": engine_fingerprint(), "judge": judge}
        if text is not None:
            payload["text"] = text
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def _cached(self, key: str, measure) -> dict[str, Any]:
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            return hit
        value = measure()
        if self.cache is not None:
            self.cache.put(key, value)
        return value

    def features(self, config: MusicConfig) -> dict[str, Any]:
        """The judge's text-free measurements of the config's clip (rendered on a cache miss)."""
        return self._cached(self.key(config), lambda: self.scorer.audio_features(self.clip.render(config), self.clip.sample_rate))

    def judge_features(self, features: dict[str, Any], text: str | None):
        return self.scorer.judge_features(features, text)

    def scores(self, config: MusicConfig, text: str | None = None):
        """The judge's `aesthetics.Scores` of the config's clip against `text`."""
        if self.splits:
            return self.judge_features(self.features(config), text)
        from aesthetics.scores import Scores

        measured = self._cached(
            self.key(config, text or ""), lambda: self.metric.scores(self.clip.render(config), self.clip.sample_rate, text).model_dump()
        )
        return Scores(**measured)

    def reward(self, config: MusicConfig, text: str | None = None) -> float:
        """The judge's reward in [0, 1]: its text reward (vibe, clap), else OBJ / 10 (`agent.metric.unit_reward`)."""
        return unit_reward(self.scores(config, text))
