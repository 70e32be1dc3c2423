"""The Optuna RDB storage every teacher worker shares: SQLite on one machine, PostgreSQL for many."""

from __future__ import annotations

import sqlite3
import time
import warnings
from pathlib import Path

import optuna
from sqlalchemy.exc import IntegrityError, ProgrammingError

from tools.errors import ConfigError

SCHEMES = ("sqlite:///", "postgresql://", "postgresql+psycopg://")


def open_storage(url: str) -> optuna.storages.RDBStorage:
    """An RDBStorage with a heartbeat, so trials of a killed worker are marked failed, not left running."""
    if not url.startswith(SCHEMES):
        raise ConfigError(
            f"storage {url!r} is not an RDB URL; use sqlite:///PATH.db (one machine) or postgresql+psycopg://USER@HOST:PORT/DB (many machines)"
        )
    engine_kwargs: dict = {"pool_pre_ping": True}
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        engine_kwargs = {"creator": lambda: _sqlite_connection(path)}
    for attempt in range(3):
        try:
            with warnings.catch_warnings():  # the heartbeat is marked experimental; we rely on it knowingly
                warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                return optuna.storages.RDBStorage(url, engine_kwargs=engine_kwargs, heartbeat_interval=30, grace_period=90)
        except (IntegrityError, ProgrammingError) as err:
            # Two workers creating the tables of a fresh database at once: the loser finds them (or PostgreSQL's
            # enum types: "type studydirection already exists") made.
            if isinstance(err, ProgrammingError) and "already exists" not in str(err):
                raise ConfigError(f"cannot open storage {redact(url)} ({str(err).splitlines()[0]})") from None
            time.sleep(0.5 * (attempt + 1))
        except Exception as err:  # sqlalchemy/driver errors: name the URL and the cause in one line
            raise ConfigError(f"cannot open storage {redact(url)} ({type(err).__name__}: {str(err).splitlines()[0]})") from None
    raise ConfigError(f"cannot create the tables of storage {redact(url)}: other workers kept racing; start one worker first")


def _sqlite_connection(path: Path) -> sqlite3.Connection:
    """WAL and synchronous=NORMAL: a commit per trial parameter otherwise waits on an fsync each
    (0.5 s of wall time per trial); a crash can lose at most the last commits, never corrupt the file."""
    connection = sqlite3.connect(path, timeout=120, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def portable(url: str, out: Path) -> str:
    """The URL as recorded beside the results: a SQLite file inside `out` relative to it (the folder can
    move to another machine), any other URL without its password."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if path.resolve().is_relative_to(out.resolve()):
            return f"sqlite:///{path.resolve().relative_to(out.resolve())} (in the job folder)"
    return redact(url)


def redact(url: str) -> str:
    """The URL without its password (for config files and messages)."""
    head, at, tail = url.rpartition("@")
    if not at or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, credentials = head.partition("//")
    return f"{scheme}//{credentials.split(':', 1)[0]}:***@{tail}"
