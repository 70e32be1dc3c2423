"""The 128 DX7 factory voices (Yamaha ROM 1A..4B) from Debian's `hexter` package.

They are Yamaha's data and never go into git: `make dx7-voices` (part of
`make setup`) extracts hexter's dx7_roms.dx7 into the project cache.
"""

from __future__ import annotations

from pathlib import Path

from tools.dx7 import sysex
from tools.errors import ConfigError
from tools.paths import cache_root

FACTORY_FILE = "dx7_roms.dx7"
FACTORY_COUNT = 128


def factory_path() -> Path:
    return cache_root() / "hexter" / FACTORY_FILE


def factory_entries() -> list[sysex.Entry]:
    path = factory_path()
    if not path.is_file():
        raise ConfigError(f"the DX7 factory voices are not at {path}; run `make dx7-voices` (needs apt-get, Debian's hexter package)")
    entries = sysex.read(path)
    if len(entries) != FACTORY_COUNT:
        raise ConfigError(f"{path} holds {len(entries)} voices, not {FACTORY_COUNT}; delete it and run `make dx7-voices` again")
    return entries


def factory_voice(ref: str | int) -> sysex.Entry:
    """A factory voice by number 1..128 or by name (case and spacing ignored)."""
    entries = factory_entries()
    if isinstance(ref, int) or str(ref).isdigit():
        number = int(ref)
        if not 1 <= number <= FACTORY_COUNT:
            raise ConfigError(f"factory voice {number} does not exist; use 1..{FACTORY_COUNT}")
        return entries[number - 1]
    key = "".join(str(ref).upper().split())
    for entry in entries:
        if "".join(entry.voice.name.upper().split()) == key:
            return entry
    raise ConfigError(f"no factory voice is named {ref!r}; `vibesynth dx7 bank list factory` shows the names")
