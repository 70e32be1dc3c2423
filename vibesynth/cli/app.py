"""The `vibesynth` Typer app and the one way commands report user errors."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

from tools.errors import VibesynthError

class _OneErrorPath(TyperGroup):
    """Every command's user errors end the same way: one line (problem and fix), exit 2, no traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except VibesynthError as err:
            fail(str(err))
        except ModuleNotFoundError as err:  # an optional extra that this environment lacks
            fail(missing_package(err.name))


def missing_package(name: str | None) -> str:
    """The one line for a package this environment lacks: what to install, or which environment to use."""
    top = (name or "?").split(".")[0]
    if top in ("torch", "laion_clap", "audiobox_aesthetics", "transformers", "torchaudio"):
        return (f"{top} is not installed in this environment ({sys.prefix}); the heavy scorers live in "
                ".venv-scorer: run `make scorer-env`, then use .venv-scorer/bin/vibesynth (`vibesynth doctor` lists what is missing)")
    return (f"the package {top!r} is not installed in this environment ({sys.prefix}); run `make setup`, "
            "or pip install 'vibesynth[agent,serve]' (`vibesynth doctor` lists what is missing)")


app = typer.Typer(
    cls=_OneErrorPath,
    name="vibesynth",
    help="Let language models play synthesizers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

EXIT_USAGE = 2


def fail(message: str) -> NoReturn:
    """Print a user-facing error (problem and fix) and exit non-zero."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_USAGE)


def _print_version(value: bool) -> None:
    if value:
        from vibesynth import __version__

        console.print(f"vibesynth {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version, help="Print the version and exit."),
) -> None:
    """Let language models play synthesizers: render, mix, score, and run agents."""
