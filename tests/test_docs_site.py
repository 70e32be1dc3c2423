"""The docs site's generated CLI reference says what `--help` says, for every command."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import typer

from vibesynth.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _reference():
    spec = importlib.util.spec_from_file_location("docs_cli_reference", ROOT / "scripts" / "docs_cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _leaves(command, path):
    """Every visible command path, from the click objects directly (not through the generator's walk)."""
    subs = getattr(command, "commands", None)
    if not subs:
        return [path]
    found = [path]
    for name, sub in subs.items():
        if not sub.hidden:
            found += _leaves(sub, [*path, name])
    return found


def test_every_command_and_option_is_in_the_reference():
    page = _reference().markdown()
    root = typer.main.get_command(app)
    paths = _leaves(root, ["vibesynth"])
    assert len(paths) > 30
    for path in paths:
        assert f"## `{' '.join(path)}` {{#{'-'.join(path)}}}" in page, f"{' '.join(path)} is missing from the CLI reference"
    render = root.commands["render"]
    for param in render.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("-"):
                assert f"{opt}" in page
    assert str(ROOT) + "/" not in page, "a default shows this machine's checkout path"


def test_help_prose_is_escaped_outside_code_spans():
    escape = _reference()._escape
    assert escape("a <path> and `x_<y>` and *b*") == "a &lt;path&gt; and `x_<y>` and \\*b\\*"
    assert escape("odd ` tick") == "odd \\` tick"
