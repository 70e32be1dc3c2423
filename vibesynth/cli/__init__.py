"""Entry point of the `vibesynth` console command.

Each command group lives in its own module and registers itself on `app`
when imported here.
"""

from __future__ import annotations

import sys

from tools.errors import VibesynthError

# The order the commands register in is the order `vibesynth --help` lists them.
# isort: off
from vibesynth.cli import render  # noqa: F401  (registers commands)
from vibesynth.cli import judge  # noqa: F401  (registers commands)
from vibesynth.cli import dj  # noqa: F401  (registers commands)
from vibesynth.cli import instruments  # noqa: F401  (registers commands)
from vibesynth.cli import dx7  # noqa: F401  (registers commands)
from vibesynth.cli import doctor  # noqa: F401  (registers commands)
from vibesynth.cli import eval  # noqa: F401  (registers commands)
from vibesynth.cli import eval_dj  # noqa: F401  (registers commands)
from vibesynth.cli import teacher  # noqa: F401  (registers commands)
from vibesynth.cli import teacher_dj  # noqa: F401  (registers commands)
from vibesynth.cli import compile  # noqa: F401  (registers commands)
from vibesynth.cli import study  # noqa: F401  (registers commands)
from vibesynth.cli import listen  # noqa: F401  (registers commands)
from vibesynth.cli import edits  # noqa: F401  (registers commands)
from vibesynth.cli import studio  # noqa: F401  (registers commands)
from vibesynth.cli.app import EXIT_USAGE, app, err_console, missing_package  # noqa: F401
from vibesynth.cli import distill  # noqa: F401  (registers commands)
# isort: on


def main() -> None:
    try:
        app()
    except VibesynthError as err:
        err_console.print(f"[bold red]error:[/] {err}", highlight=False, soft_wrap=True)
        sys.exit(EXIT_USAGE)
