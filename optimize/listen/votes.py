"""Votes in SQLite: one row per (rater, pair), safe against double submits and concurrent raters.

Every submit carries an idempotency key made by the page. The same key sent
again (a double click, a retried request) returns the vote already stored;
a second, different vote by the same rater on the same pair is refused.
Each call opens its own connection and writes inside `BEGIN IMMEDIATE`, so
several server threads or processes can share one file (WAL journal).
The database remembers the sha256 of the manifest it belongs to.
"""

from __future__ import annotations

import re
import sqlite3
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tools.errors import ConfigError

RATER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@ -]{0,63}$")
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,80}$")
CHOICES = ("A", "B")
RATING_RANGE = (1, 5)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS votes (
    id INTEGER PRIMARY KEY,
    idem_key TEXT NOT NULL UNIQUE,
    rater TEXT NOT NULL,
    pair_id TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('A', 'B')),
    vibe_a INTEGER CHECK (vibe_a BETWEEN 1 AND 5),
    vibe_b INTEGER CHECK (vibe_b BETWEEN 1 AND 5),
    created_at REAL NOT NULL,
    UNIQUE (rater, pair_id)
);
"""


class VoteConflict(Exception):
    """A vote that contradicts one already stored (same key or same rater and pair)."""


@dataclass(frozen=True)
class Vote:
    id: int
    idem_key: str
    rater: str
    pair_id: str
    choice: str
    vibe_a: int | None
    vibe_b: int | None
    created_at: float

    def same_ballot(self, rater: str, pair_id: str, choice: str, vibe_a: int | None, vibe_b: int | None) -> bool:
        return (self.rater, self.pair_id, self.choice, self.vibe_a, self.vibe_b) == (rater, pair_id, choice, vibe_a, vibe_b)


def check_rater(rater: str) -> str:
    if not RATER_PATTERN.match(rater or ""):
        raise ValueError("rater id must be 1-64 letters, digits, space or _.@- (starting with a letter or digit)")
    return rater


class VoteStore:
    """The votes of one pack in one SQLite file."""

    def __init__(self, path: Path, pack_digest: str):
        self.path = Path(path)
        self.pack_digest = pack_digest
        with closing(self._connect()) as db:
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(SCHEMA)
        with self._write() as db:
            row = db.execute("SELECT value FROM meta WHERE name = 'pack_sha256'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('pack_sha256', ?)", (pack_digest,))
            elif row[0] != pack_digest:
                raise ConfigError(
                    f"{self.path} holds votes for another pack (manifest sha256 {row[0][:12]}...); pass --votes a new file for this pack"
                )

    def record(
        self, *, idem_key: str, rater: str, pair_id: str, choice: str, vibe_a: int | None = None, vibe_b: int | None = None
    ) -> tuple[Vote, bool]:
        """Store a vote; returns (vote, created). A repeated key returns the stored vote with created False."""
        if not KEY_PATTERN.match(idem_key or ""):
            raise ValueError("idempotency key must be 8-80 characters of letters, digits, _ or -")
        check_rater(rater)
        if choice not in CHOICES:
            raise ValueError(f"choice must be one of {', '.join(CHOICES)}")
        for rating in (vibe_a, vibe_b):
            if rating is not None and not RATING_RANGE[0] <= rating <= RATING_RANGE[1]:
                raise ValueError(f"vibe-match ratings run from {RATING_RANGE[0]} to {RATING_RANGE[1]}")
        with self._write() as db:
            stored = _one(db, "SELECT * FROM votes WHERE idem_key = ?", (idem_key,))
            if stored is not None:
                if stored.same_ballot(rater, pair_id, choice, vibe_a, vibe_b):
                    return stored, False
                raise VoteConflict("this idempotency key was already used for a different vote")
            if _one(db, "SELECT * FROM votes WHERE rater = ? AND pair_id = ?", (rater, pair_id)) is not None:
                raise VoteConflict(f"rater {rater!r} already voted on pair {pair_id}")
            cursor = db.execute(
                "INSERT INTO votes (idem_key, rater, pair_id, choice, vibe_a, vibe_b, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (idem_key, rater, pair_id, choice, vibe_a, vibe_b, time.time()),
            )
            return _one(db, "SELECT * FROM votes WHERE id = ?", (cursor.lastrowid,)), True

    def voted_pairs(self, rater: str) -> set[str]:
        with closing(self._connect()) as db:
            return {row[0] for row in db.execute("SELECT pair_id FROM votes WHERE rater = ?", (rater,))}

    def all_votes(self) -> list[Vote]:
        with closing(self._connect()) as db:
            return [Vote(*row) for row in db.execute("SELECT * FROM votes ORDER BY id")]

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 30000")
        return db

    @contextmanager
    def _write(self):
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()


def read_votes(path: Path, pack_digest: str) -> list[Vote]:
    """All votes of an existing database, checked against the pack they belong to."""
    if not Path(path).is_file():
        raise ConfigError(f"no votes database at {path}; serve the pack first (`vibesynth listen serve`) or pass --votes")
    return VoteStore(path, pack_digest).all_votes()


def _one(db: sqlite3.Connection, sql: str, args: tuple) -> Vote | None:
    row = db.execute(sql, args).fetchone()
    return Vote(*row) if row else None
