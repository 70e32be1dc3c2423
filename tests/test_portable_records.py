"""Records that travel name paths portably (#25 item 7): the cache as $VIBESYNTH_CACHE, the repository relatively."""

from __future__ import annotations

import json
from pathlib import Path

from agent.lm import parse_lm
from optimize.eval.producers import parse_specs
from tools.paths import REPO_ROOT, recorded, resolve_recorded


def test_paths_under_the_cache_and_the_repository_are_recorded_portably(tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path / "cache"))
    model = tmp_path / "cache" / "distill" / "model"
    model.mkdir(parents=True)
    assert recorded(model) == "$VIBESYNTH_CACHE/distill/model"
    assert recorded(REPO_ROOT / "optimize" / "data" / "vibes") == "optimize/data/vibes"
    assert recorded(tmp_path) == str(tmp_path.resolve())  # elsewhere: absolute
    assert recorded("gemma-270m") == "gemma-270m"  # a name, not a path, stays as given
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path / "other-machine"))
    assert resolve_recorded("$VIBESYNTH_CACHE/distill/model") == tmp_path / "other-machine" / "distill" / "model"


def test_a_repository_path_resolves_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_recorded("optimize/data/vibes") == REPO_ROOT / "optimize" / "data" / "vibes"
    (tmp_path / "mine").mkdir()
    assert resolve_recorded("mine") == Path("mine")  # the user's own relative path wins


def test_lm_and_producer_specs_record_the_portable_form(tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path))
    (tmp_path / "distill" / "m").mkdir(parents=True)
    assert parse_lm(f"student:{tmp_path}/distill/m").model == "student:$VIBESYNTH_CACHE/distill/m"
    assert parse_specs(f"rule,student:{tmp_path}/distill/m@free,lm:student:{tmp_path}/distill/m") == [
        "rule",
        "student:$VIBESYNTH_CACHE/distill/m@free",
        "lm:student:$VIBESYNTH_CACHE/distill/m",
    ]


def test_committed_records_carry_no_machine_paths():
    records = [p for folder in ("docs/compile-ab", "docs/distill") for p in (REPO_ROOT / folder).rglob("*.json")]
    assert records
    for path in records:
        text = path.read_text()
        assert "/work/main" not in text and "/home/" not in text, path
    sidecar = json.loads((REPO_ROOT / "docs/compile-ab/program-bootstrap/run.json").read_text())
    assert sidecar["split"]["train"]["path"] == "optimize/data/vibes/train.jsonl"
