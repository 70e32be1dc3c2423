"""Render a candidate config and judge it against its vibe, with a cache.

The cache key holds everything the reward depends on: the config, the vibe
text, the clip (seed, duration, rate), a fingerprint of the ambient engine's
source and the judge's backend and version. A changed engine or judge misses
the cache instead of returning stale rewards.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

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






class RewardCache:
    """A SQLite table key -> judgement, safe to share between processes on one machine."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS judgement (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Judgement | None:
        row = self._db.execute("SELECT value FROM judgement WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        value = json.loads(row[0])
        return Judgement(value["reward"], value["parts"])

    def put(self, key: str, judgement: Judgement) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO judgement VALUES (?, ?)", (key, json.dumps(asdict(judgement), sort_keys=True))
        )


class CandidateJudge:
    """`judge(vibe, config) -> Judgement`: render the clip, score it, cache the result."""

    def __init__(self, judge: str = "vibe", clip: Clip = Clip(), cache_path: Path | None = None) -> None:
        self.metric = AudioMetric(judge)
        self.metric.scorer  # build it now: a bad judge name fails before any search
        self.clip = clip
        self.cache = RewardCache(cache_path) if cache_path else None

    @property
    def label(self) -> str:
        return f"{self.metric.scorer.backend}/{self.metric.scorer.version}"

    def key(self, vibe: str, config: MusicConfig) -> str:
        payload = {
            "config": config.model_dump(), "vibe": vibe, "clip": asdict(self.clip),
            "engine": engine_fingerprint(), "judge": self.label,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def __call__(self, vibe: str, config: MusicConfig) -> Judgement:
        key = self.key(vibe, config)
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            return hit
        audio = render_config(config, self.clip.duration, seed=self.clip.seed, sample_rate=self.clip.sample_rate)
        scores = self.metric.scores(audio, self.clip.sample_rate, text=vibe)
        parts = {name: float(value) for name in ("OBJ", "CE", "PQ") if (value := getattr(scores, name)) is not None}
        parts.update({name: float(value) for name, value in scores.extra.items() if name in TEXT_REWARDS})
        judgement = Judgement(round(unit_reward(scores), 6), parts)
        if self.cache is not None:
            self.cache.put(key, judgement)
        return judgement
