"""The `vibesynth` Typer app and the one way commands report user errors."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

app = typer.Typer(
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


@app.callback()
def _root() -> None:
    """Let language models play synthesizers: render, mix, score, and run agents."""
