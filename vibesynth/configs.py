"""Friendly MusicConfig input: partial configs, sidecar files and `field=value` overrides.

A config may leave fields out: they come from the documented neutral
default (`reference.vibe_mapper.NEUTRAL`) and are listed under `filled` so
the sidecar says which ones. A file may be a config or the JSON sidecar of
an earlier render (its `config` key is used). Overrides (`--set tempo=fast`,
repeatable) apply last. Errors list only real problems: unknown fields
(with the nearest name) and invalid values (with the valid choices).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from tools.errors import ConfigError
from tools.schema import FIELDS, MusicConfig, choices

MAX_CONFIG_BYTES = 1 << 20
TRUE_WORDS = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}


def neutral() -> dict[str, Any]:
    from reference.vibe_mapper import NEUTRAL

    return dict(NEUTRAL)


def parse_overrides(items: list[str] | tuple[str, ...] | dict[str, Any] | None) -> dict[str, Any]:
    """`["tempo=fast", "density=5"]` (or a dict) -> typed field values; unknown fields are errors."""
    if not items:
        return {}
    pairs = items.items() if isinstance(items, dict) else [_split(item) for item in items]
    out: dict[str, Any] = {}
    for field, value in pairs:
        if field not in FIELDS:
            close = difflib.get_close_matches(field, FIELDS, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"valid fields: {', '.join(FIELDS)}"
            raise ConfigError(f"--set {field}=...: {field!r} is not a config field; {hint}")
        out[field] = _typed(field, value)
    return out


def _split(item: str) -> tuple[str, str]:
    field, sep, value = item.partition("=")
    if not sep or not field.strip() or not value.strip():
        raise ConfigError(f"--set {item!r}: write FIELD=VALUE, e.g. --set tempo=fast")
    return field.strip(), value.strip()


def _typed(field: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    kind = choices(field)[0]
    if isinstance(kind, bool):
        return TRUE_WORDS.get(value.lower(), value)
    if isinstance(kind, int):
        try:
            return int(value)
        except ValueError:
            return value
    return value.lower()


def from_mapping(data: Any, overrides: dict[str, Any] | None = None, where: str = "config") -> tuple[MusicConfig, list[str]]:
    """A complete MusicConfig from a partial mapping (or a sidecar's mapping); returns (config, filled fields)."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: must be a JSON object of MusicConfig fields, got {type(data).__name__}")
    if isinstance(data.get("config"), dict):  # a render sidecar: its config, nothing else
        data = data["config"]
    unknown = [key for key in data if key not in FIELDS]
    if unknown:
        hints = []
        for key in unknown:
            close = difflib.get_close_matches(str(key), FIELDS, n=1, cutoff=0.6)
            hints.append(f"{key!r} (did you mean '{close[0]}'?)" if close else repr(key))
        raise ConfigError(f"{where}: not config fields: {', '.join(hints)}; valid fields: {', '.join(FIELDS)}")
    merged = {**data, **(overrides or {})}
    filled = [field for field in FIELDS if field not in merged]
    defaults = neutral()
    try:
        config = MusicConfig.parse({field: merged.get(field, defaults[field]) for field in FIELDS})
    except ConfigError as err:
        raise ConfigError(_one_line(str(err), where, overrides or {})) from None
    return config, filled


def _one_line(message: str, where: str, overrides: dict[str, Any]) -> str:
    """MusicConfig's problems (one per line, `field: ...`) as one line; a problem with an override is
    named as `--set FIELD`, and the source is named only when a problem is its own."""
    problems = message.removeprefix("invalid MusicConfig:").strip().split("\n")
    named = []
    for problem in (p.strip() for p in problems if p.strip()):
        field = problem.split(":", 1)[0]
        named.append(f"--set {problem}" if field in overrides else problem)
    if all(p.startswith("--set ") for p in named):
        return "; ".join(named)
    return f"{where}: " + "; ".join(named)


def read_config_file(path: Path) -> Any:
    """The JSON of a config file or render sidecar, with the one error line for a missing or broken file."""
    from tools import safe_json
    from tools.errors import InputError

    try:
        return safe_json.read_file(path, "config file", max_bytes=MAX_CONFIG_BYTES)
    except InputError as err:
        raise ConfigError(f"{err}; give a JSON config file") from None
