"""ruff format must leave alone every source a version hashes: reformatting one would change that version and miss
every cache and stamped dataset built on it, for no change in behaviour (pyproject.toml's [tool.ruff.format])."""

from __future__ import annotations

import tomllib
from pathlib import Path, PurePosixPath

import pytest

from aesthetics.vibe.audio import measure_fingerprint
from aesthetics.vibe.reader import reader_fingerprint
from optimize.eval.dj_judge_check import descriptor_fingerprint
from optimize.eval.dj_sets import code_fingerprint
from tools.ambient import engine_fingerprint

ROOT = Path(__file__).resolve().parents[1]
EXCLUDED = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["format"]["exclude"]


def _hashed_sources(fingerprint, monkeypatch) -> list[str]:
    """The Python files the fingerprint reads, recorded as it runs (uncached), relative to the repository."""
    read, original = [], Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path.resolve()) or original(path))
    getattr(fingerprint, "__wrapped__", fingerprint)()
    return sorted({p.relative_to(ROOT).as_posix() for p in read if p.suffix == ".py"})


FINGERPRINTS = [engine_fingerprint, measure_fingerprint, reader_fingerprint, descriptor_fingerprint, code_fingerprint]


@pytest.mark.parametrize("fingerprint", FINGERPRINTS)
def test_every_hashed_source_is_excluded_from_ruff_format(fingerprint, monkeypatch):
    sources = _hashed_sources(fingerprint, monkeypatch)
    assert sources, f"{fingerprint.__name__} read no Python source: the recording missed how it reads files"
    unguarded = [s for s in sources if not any(PurePosixPath(s).match(glob) for glob in EXCLUDED)]
    assert not unguarded, f"add these to [tool.ruff.format] exclude in pyproject.toml: {unguarded}"


def test_every_exclusion_covers_a_hashed_source(monkeypatch):
    """An exclusion that guards nothing leaves files out of the formatter for no reason."""
    hashed = {s for fingerprint in FINGERPRINTS for s in _hashed_sources(fingerprint, monkeypatch)}
    stale = [glob for glob in EXCLUDED if not any(PurePosixPath(s).match(glob) for s in hashed)]
    assert not stale, f"drop these from [tool.ruff.format] exclude in pyproject.toml (no version hashes them): {stale}"
