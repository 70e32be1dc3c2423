"""The `vibesynth` Typer app and the one way commands report user errors."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
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
        return (
            f"{top} is not installed in this environment ({sys.prefix}); the heavy scorers live in "
            ".venv-scorer: run `make scorer-env`, then use .venv-scorer/bin/vibesynth (`vibesynth doctor` lists what is missing)"
        )
    return (
        f"the package {top!r} is not installed in this environment ({sys.prefix}); run `make setup`, "
        "or pip install 'vibesynth[agent,serve]' (`vibesynth doctor` lists what is missing)"
    )


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


JUDGE_HELP = (
    "Judge (each backend here is a PROXY): vibe (text-aware, in place of CLAP) | dj (brief-aware, for DJ sets) | "
    "dsp (weight-free, in place of audiobox; ignores the text) | clap | audiobox | remote:URL"
)


KEY_HELP = "Metric key of the judge's scores (default: the judge's reward: vibe_reward, dj_reward, clap_reward, else OBJ)."


def judge_option(*old_names: str, default: str = "vibe", more: str = "") -> typer.models.OptionInfo:
    """The one `--judge` option of every command that judges audio; earlier names (`--scorer`, `--backend`) still work."""
    return typer.Option(default, "--judge", *old_names, help=JUDGE_HELP + (f". {more}" if more else "."))


def finite(low: float | None = None, high: float | None = None, allowed: str | None = None) -> Callable:
    """The callback for a float option: NaN and Infinity (which typer parses as floats) are refused in
    one line, and so is a value outside [low, high] when bounds are given (use it instead of min/max,
    whose check lets NaN through or words it as a bound). `allowed` words the valid values for the
    message. `callback=finite()`, `callback=finite(2, 60)`, `callback=finite(allowed="60 to 200 BPM")`."""
    if allowed is None:
        if low is not None and high is not None:
            allowed = f"a number in [{low:g}, {high:g}]"
        elif low is not None:
            allowed = f"a number >= {low:g}"
        elif high is not None:
            allowed = f"a number <= {high:g}"
        else:
            allowed = "an ordinary (finite) number"

    def check(param: typer.CallbackParam, value: float | None) -> float | None:
        if value is None:
            return value
        name = param.opts[0] if getattr(param, "opts", None) else f"--{param.name.replace('_', '-')}"
        if not math.isfinite(value):
            fail(f"{name} {value} is not a finite number; pass {allowed}")
        if (low is not None and value < low) or (high is not None and value > high):
            fail(f"{name} {value:g} is out of range; pass {allowed}")
        return value

    return check


EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl+C


def interrupted(message: str) -> NoReturn:
    """Ctrl+C: say in one line what was kept and how to go on, and exit 130 (no traceback)."""
    console.print(f"interrupted: {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_INTERRUPTED)


def _print_version(value: bool) -> None:
    if value:
        from vibesynth import __version__

        console.print(f"vibesynth {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version, metavar="", help="Print the version and exit."),
) -> None:
    """Let language models play synthesizers: render, mix, score, and run agents."""
