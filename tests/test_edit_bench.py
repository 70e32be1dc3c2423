"""The edit benchmark (#26 item 4): case building, scoring rules, floors and the command on a tiny set."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from optimize.eval import edits
from tools.schema import EXAMPLE, MusicConfig
from vibesynth.cli import app

BASE = MusicConfig.parse({**EXAMPLE, "tempo": "medium", "brightness": "medium"})
SLOWER = {"id": "t1", "instruction": "slower", "category": "relative-1", "expect": [{"field": "tempo", "move": "down", "steps": 1}]}
DRUMLESS = {"id": "t2", "instruction": "no drums", "category": "absolute", "expect": [{"field": "rhythm", "value": "none"}]}


def with_(**fields) -> MusicConfig:
    return MusicConfig.parse({**BASE.model_dump(), **fields})


def test_cases_only_pair_instructions_with_configs_where_every_expectation_can_be_met():
    configs = [with_(tempo="very_slow"), with_(tempo="slow"), with_(rhythm="none"), BASE]
    cases = edits.make_cases([SLOWER, DRUMLESS], configs, per_item=4)
    assert {c.config.tempo for c in cases if c.item is SLOWER} == {"slow", "medium"}
    assert all(c.config.rhythm != "none" for c in cases if c.item is DRUMLESS)
    assert cases == edits.make_cases([SLOWER, DRUMLESS], configs, per_item=4)  # deterministic


def test_direction_exact_and_locality_rules():
    expect = {"field": "tempo", "move": "down", "steps": 2}
    assert edits.met(expect, BASE, with_(tempo="slow"), exact=False)
    assert not edits.met(expect, BASE, with_(tempo="slow"), exact=True)
    assert edits.met(expect, BASE, with_(tempo="very_slow"), exact=True)
    assert not edits.met(expect, BASE, with_(tempo="fast"), exact=False)
    assert edits.local(SLOWER, BASE, with_(tempo="slow"))
    assert not edits.local(SLOWER, BASE, with_(tempo="slow", grain="gritty"))


def test_the_floors_score_as_floors_and_the_rule_refiner_beats_them():
    cases = edits.make_cases([SLOWER, DRUMLESS], [BASE, with_(tempo="fast")], per_item=2)
    outcomes = edits.run(cases, edits.producers(["rule", "none", "random"]), None, 0)
    summary = edits.summarise(outcomes)
    assert summary["rule"]["direction"]["rate"] == 1.0 and summary["rule"]["locality"]["rate"] == 1.0
    assert summary["none"]["direction"]["rate"] == 0.0 and summary["none"]["locality"]["rate"] == 1.0
    assert summary["random"]["locality"]["rate"] < 1.0
    assert summary["none"]["vs_rule"]["only_first"] == len(cases)


def test_the_command_writes_report_results_and_plot(tmp_path):
    out = tmp_path / "edits"
    # a tuning set: the tests never run the refiner on the held-out set
    result = CliRunner().invoke(
        app, ["eval-edits", "--set", "dev-v1", "--limit", "4", "--per-item", "1", "--audio", "2", "--duration", "1", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    results = json.loads((out / "results.json").read_text())
    assert set(results["summary"]) == {"rule", "none", "random"} and results["settings"]["items"] == 4
    assert (out / "edits.png").read_bytes()[:4] == b"\x89PNG"
    assert "Wilson" in (out / "report.md").read_text()
    bad = CliRunner().invoke(app, ["eval-edits", "--producers", "rule,magic", "-o", str(out)])
    assert bad.exit_code == 2 and "unknown edit producer 'magic'" in bad.output


@pytest.mark.parametrize(
    "name, minimum",
    [
        ("unseen-v8", 500),
        ("unseen-v7", 514),
        ("unseen-v6", 498),
        ("unseen-v5", 472),
        ("unseen-v4", 443),
        ("unseen-v3", 367),
        ("unseen-v2", 337),
        ("unseen-v1", 250),
        ("dev-v1", 250),
        ("dev-v2", 350),
    ],
)
def test_frozen_edit_sets_match_their_recorded_hashes_and_the_schema(name, minimum):
    items = edits.load_edit_set(name)  # refuses a set whose sha256 is not FROZEN.md's or whose lines the schema refuses
    assert len(items) >= minimum and len({item["id"] for item in items}) == len(items)


def test_lines_the_schema_refuses_are_named_with_the_fix():
    bad = [
        SLOWER,
        {
            "id": "t3",
            "instruction": "x",
            "category": "absolute",
            "expect": [{"field": "tempo", "value": "glacial"}, {"field": "colour", "value": "red"}],
        },
        {"id": "t4", "instruction": "y", "category": "relative-1", "expect": [{"field": "bass", "move": "up", "steps": 1}]},
    ]
    found = edits.problems(bad)
    assert len(found) == 3
    assert found[0].startswith("line 2 (t3): tempo value 'glacial' is not allowed") and "very_slow" in found[0]
    assert found[1].startswith("line 2 (t3): field 'colour' is not a config field")
    assert found[2].startswith("line 3 (t4): bass has no order to move along")


def test_the_start_configs_are_the_frozen_ones():
    """A rebuilt teacher dataset must not change the benchmark's cases: its start configs are a frozen file."""
    from tools.files import file_sha256

    assert file_sha256(edits.CONFIGS) in (edits.EDIT_SETS / "FROZEN.md").read_text()
    assert len(edits.held_out_configs()) == 198
