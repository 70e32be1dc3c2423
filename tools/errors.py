"""One error hierarchy for everything a user can get wrong.

Every error carries a message that names the problem and the fix; the CLI
prints it without a traceback and exits non-zero.
"""


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
