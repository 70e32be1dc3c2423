"""One `--judge` option everywhere a command judges audio (#25 item 3); the older names still work."""

from __future__ import annotations

import typer.main

from vibesynth.cli import app

JUDGING = {"eval", "teacher", "compile vibe", "compile dj", "study ambient", "study dj", "distill grpo", "score", "serve-scorer", "dj"}


def commands(group, prefix=""):
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if hasattr(command, "commands"):
            yield from commands(command, path + " ")
        else:
            yield path, command


def test_every_judging_command_takes_judge_and_no_other_judge_name():
    found = {}
    for path, command in commands(typer.main.get_command(app)):
        for param in command.params:
            if any(opt in ("--judge", "--scorer", "--backend") for opt in param.opts):
                found[path] = param.opts
    assert JUDGING <= set(found), sorted(JUDGING - set(found))
    for path, opts in found.items():
        assert opts[0] == "--judge", f"{path}: {opts}"
