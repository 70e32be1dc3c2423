"""Render a candidate config once, measure it once, judge it against any vibe.

The judge's audio part (`Scorer.audio_features`: the vibe judge's measured
axes and quality) does not depend on the vibe, so it is cached by everything
it depends on: the config, the clip (seed, duration, rate), a fingerprint of
the ambient engine's source and the judge's backend and version. One render
then serves every vibe that tries the same config and the contrastive reward's
other vibes; judging a text against cached features costs well under a
millisecond. A changed engine or judge misses the cache instead of returning
stale measurements.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from agent.metric import TEXT_REWARDS, AudioMetric, unit_reward
from tools.ambient import engine_fingerprint, render_config
from tools.schema import MusicConfig


@dataclass(frozen=True)
class Clip:
    """How each candidate is rendered for judging (short: the teacher renders thousands)."""

    duration: float = 8.0
    sample_rate: int = 22050
    seed: int = 0


@dataclass(frozen=True)
class Judgement:
    reward: float
    parts: dict[str, float]


class FeatureCache:
    """A SQLite table key -> audio features, safe to share between processes on one machine."""

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
        return json.loads(row[0])

    def put(self, key: str, features: dict[str, Any]) -> None:
        self._db.execute("INSERT OR REPLACE INTO features VALUES (?, ?)", (key, json.dumps(features, sort_keys=True)))


class CandidateJudge:
    """`judge(vibe, config) -> Judgement`: render and measure once (cached), then judge against the vibe."""

    def __init__(self, judge: str = "vibe", clip: Clip = Clip(), cache_path: Path | None = None) -> None:
        self.scorer = AudioMetric(judge).scorer  # built now: a bad judge name fails before any search
        self.clip = clip
        self.cache = FeatureCache(cache_path) if cache_path else None

    @property
    def label(self) -> str:
        return f"{self.scorer.backend}/{self.scorer.version}"

    def key(self, config: MusicConfig) -> str:
        payload = {"config": config.model_dump(), "clip": asdict(self.clip), "engine": engine_fingerprint(),
                   "judge": self.label}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def features(self, config: MusicConfig) -> dict[str, Any]:
        key = self.key(config)
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            return hit
        audio = render_config(config, self.clip.duration, seed=self.clip.seed, sample_rate=self.clip.sample_rate)
        features = self.scorer.audio_features(audio, self.clip.sample_rate)
        if self.cache is not None:
            self.cache.put(key, features)
        return features

    def judge(self, vibe: str, features: dict[str, Any]) -> Judgement:
        scores = self.scorer.judge_features(features, vibe)
        parts = {name: float(value) for name in ("OBJ", "CE", "PQ") if (value := getattr(scores, name)) is not None}
        parts.update({name: float(value) for name, value in scores.extra.items() if name in TEXT_REWARDS})
        return Judgement(round(unit_reward(scores), 6), parts)

    def __call__(self, vibe: str, config: MusicConfig) -> Judgement:
        return self.judge(vibe, self.features(config))
