"""One error hierarchy for everything a user can get wrong.

Every error carries a message that names the problem and the fix; the CLI
prints it without a traceback and exits non-zero.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError


class VibesynthError(Exception):
    """Base class: a problem the user can fix; `str(err)` says how."""


class ConfigError(VibesynthError):
    """A MusicConfig (or other structured input) failed validation."""


class AudioError(VibesynthError):
    """Audio that cannot be read, written or is not usable."""


class PaletteError(VibesynthError):
    """A palette or sample library problem (missing, changed, malformed)."""


class SandboxError(VibesynthError):
    """The Deno/Pyodide sandbox cannot start or keeps failing."""


class AgentError(VibesynthError):
    """A bad agent option (LM spec, trajectory, prompt) or an agent run that cannot go on."""


class ScorerError(VibesynthError):
    """A scoring backend cannot run: missing checkpoint or package, or an unreachable scoring service."""


class InputError(VibesynthError):
    """A file or message from outside that is not safe to use (bad JSON, a device file, a path outside its root)."""


def _plain(error: dict[str, Any]) -> str:
    return f"{'.'.join(str(p) for p in error['loc']) or '(top level)'}: {error['msg']}"


def validation_lines(
    err: ValidationError, line: Callable[[dict[str, Any]], str] = _plain, key: Callable[[dict[str, Any]], Any] | None = None
) -> list[str]:
    """One readable line per pydantic validation problem, in order, each once (`field: problem`: no URLs, no
    input dumps). `line` words one problem; `key`, where given, keeps the first problem per key (a union type
    reports each of its branches)."""
    lines: list[str] = []
    seen: set[Any] = set()
    for error in err.errors():
        text = line(error)
        mark = key(error) if key else text
        if mark not in seen:
            seen.add(mark)
            lines.append(text)
    return lines
