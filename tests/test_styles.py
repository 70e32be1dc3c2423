"""`vibesynth styles`: every value of every config field has a line on how it sounds, and no stale line exists."""

import json

from typer.testing import CliRunner

from tools.ambient.styles import FIELD_LINES, VALUE_LINES, lines
from tools.schema import FIELDS, choices
from vibesynth.cli.app import app

runner = CliRunner()


def test_every_value_has_one_line_and_no_stale_value_has_one():
    assert set(FIELD_LINES) == set(FIELDS) == set(VALUE_LINES)
    for field in FIELDS:
        assert set(VALUE_LINES[field]) == set(choices(field)), field
        described = lines(field)
        assert list(described) == list(choices(field))
        assert all(isinstance(line, str) and line.strip() for line in described.values()), field
        assert len(set(described.values())) == len(described), f"{field}: two values share a line"


def test_cli_lists_one_field_all_fields_and_json():
    one = runner.invoke(app, ["styles", "rhythm"])
    assert one.exit_code == 0, one.output
    assert all(value in one.output for value in choices("rhythm")) and "tabla" in one.output and "tempo" not in one.output
    every = runner.invoke(app, ["styles"])
    assert every.exit_code == 0 and all(f"{field}:" in every.output for field in FIELDS)
    data = json.loads(runner.invoke(app, ["styles", "--json"]).output)
    assert list(data) == list(FIELDS) and data["depth"]["true"].startswith("on:") and data["density"]["6"]


def test_unknown_field_is_one_line_with_the_valid_names():
    result = runner.invoke(app, ["styles", "bas"])
    assert result.exit_code == 2
    assert "did you mean bass?" in result.output and "valid fields: tempo, root" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
