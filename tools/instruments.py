"""One interface for the three instruments (ambient synth, DJ mixer, DX7), and one name for each.

Every layer that names an instrument (the CLI, the agent, eval, listening tests, the studio page) uses
the canonical `Instrument.name`; the other names in use today are accepted as `aliases`:

| name      | aliases | takes                                  | LM tools          | schema      |
|-----------|---------|----------------------------------------|-------------------|-------------|
| `ambient` | `vibe`  | a MusicConfig (19 fields)              | none: one config  | MusicConfig |
| `dj`      | `mixer` | a palette's samples, played by tools   | play, add, ...    | none        |
| `dx7`     |         | a DX7 voice (operator-major JSON)      | get_patch, ...    | Voice       |

`instrument(name)` resolves a name or alias (case and surrounding spaces ignored) or raises one
ConfigError naming every instrument. Engines are imported only when used (`schema`, `session`,
`render`), so looking an instrument up costs nothing.

What each entry holds:

- `schema`: the pydantic model of what the instrument takes (None where it takes tool calls only);
  its `parse` raises `errors` (ConfigError) with one readable line per problem; `json_schema()`;
- `session(...)`: a new tool session (the mixer's `MixerSession(samples, bpm, max_bars, ...)`, the
  DX7's `DX7Session(voice, sample_rate)`); `tools(session)` its tools by name, each made with
  `tools.args.tool`: JSON-able arguments in, a JSON string out, every call appended to
  `session.call_log` as `{"tool", "args", "result"}`, bad arguments returned as
  `{"error", "valid"}`; only `stop` (the mixer's SetComplete) ever leaves the tool layer;
- `render(what, sample_rate=44100, seed=0, **options)`: stereo float32 (frames, 2), loudness-normalised,
  true peak <= -1 dBTP. ambient: a config (MusicConfig, dict or JSON text; `duration` seconds,
  default 60, `target_lufs`); dj: a played MixerSession (its own rate: `sample_rate` must match it);
  dx7: a voice (Voice, dict, JSON text, or a DX7Session's voice; `notes`, default one middle C held
  1 s, `target_lufs`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tools.errors import ConfigError, VibesynthError

if TYPE_CHECKING:
    import numpy as np
    from pydantic import BaseModel


def _load(path: str) -> Any:
    """The object at `package.module:attribute`."""
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True)
class Instrument:
    name: str  # the one name every layer uses
    aliases: tuple[str, ...]  # other names in use, accepted on input
    summary: str  # one line: what it is
    takes: str  # what a player gives it, in words
    errors: type[VibesynthError]  # what a user sees when the input is wrong
    schema_path: str | None  # "module:Model" of the input schema
    session_path: str | None  # "module:Class" of the tool session
    stop_path: str | None  # "module:Exception": the hard stop that leaves the tool layer
    renderer: Callable[..., np.ndarray]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def tool_names(self) -> tuple[str, ...]:
        """The tools an LM calls, in the contract's order (the session module's TOOL_NAMES); none for an
        instrument that takes one structured input."""
        if self.session_path is None:
            return ()
        return tuple(_load(self.session_path.partition(":")[0] + ":TOOL_NAMES"))

    @property
    def schema(self) -> type[BaseModel] | None:
        return _load(self.schema_path) if self.schema_path else None

    @property
    def stop(self) -> type[Exception] | None:
        return _load(self.stop_path) if self.stop_path else None

    def json_schema(self) -> dict[str, Any] | None:
        """The input's JSON Schema (for constrained decoding), or None where it takes tool calls only."""
        schema = self.schema
        return schema.model_json_schema() if schema is not None else None

    def parse(self, data: Any) -> BaseModel:
        """The validated input, or `errors` with one readable line per problem."""
        schema = self.schema
        if schema is None:
            raise self.errors(f"the {self.name} instrument takes tool calls ({', '.join(self.tool_names)}), not a structured input")
        return data if isinstance(data, schema) else schema.parse(data)

    def session(self, *args: Any, **kwargs: Any) -> Any:
        """A new tool session (arguments as its class takes them)."""
        if self.session_path is None:
            raise self.errors(
                f"the {self.name} instrument has no tool session: it takes one "
                f"{self.schema.__name__} (render it with instrument({self.name!r}).render)"
            )
        return _load(self.session_path)(*args, **kwargs)

    def tools(self, session: Any) -> dict[str, Callable[..., str]]:
        """Name -> the session's bound tool, in the order the contract lists them."""
        return {name: getattr(session, name) for name in self.tool_names}

    def render(self, what: Any, sample_rate: int = 44100, seed: int = 0, **options: Any) -> np.ndarray:
        """Stereo float32 (frames, 2); see the module docstring for what each instrument takes."""
        return self.renderer(self, what, sample_rate, seed, **options)


def _render_ambient(inst: Instrument, what: Any, sample_rate: int, seed: int, duration: float = 60.0, **options: Any) -> np.ndarray:
    from tools.ambient import render_config

    return render_config(inst.parse(what), duration, seed=seed, sample_rate=sample_rate, **options)


def _render_dj(inst: Instrument, what: Any, sample_rate: int, seed: int, **options: Any) -> np.ndarray:
    session_class = _load(inst.session_path)
    if not isinstance(what, session_class):
        raise inst.errors(
            "the dj instrument renders a played session: make one with instrument('dj').session("
            "samples, bpm, max_bars), play it through its tools, then render it"
        )
    if options:
        raise inst.errors(f"a mixer session's render takes no options; got {', '.join(sorted(options))}")
    if sample_rate != what.sample_rate:
        raise inst.errors(f"this mixer session runs at {what.sample_rate} Hz, not {sample_rate}; set the rate when making the session")
    return what.render()


def _render_dx7(inst: Instrument, what: Any, sample_rate: int, seed: int, notes: list | None = None, **options: Any) -> np.ndarray:
    from tools.dx7 import engine
    from tools.dx7.session import DX7Session

    voice = what.voice if isinstance(what, DX7Session) else inst.parse(what)
    return engine.render(voice, notes if notes is not None else [engine.Note(60)], sample_rate, **options)


AMBIENT = Instrument(
    "ambient",
    ("vibe",),
    "the ambient synth: a 19-field config rendered to stereo audio",
    "a MusicConfig (tools/schema.py), from a vibe by the rule mapper or an LM",
    ConfigError,
    "tools.schema:MusicConfig",
    None,
    None,
    _render_ambient,
)
DJ = Instrument(
    "dj",
    ("mixer",),
    "the DJ mixer: a palette's samples, 16-step patterns and faders behind guardrails",
    "a palette's samples and a tempo; an LM plays it through the tools, bar by bar",
    ConfigError,
    None,
    "tools.mixer.session:MixerSession",
    "tools.mixer.guardrails:SetComplete",
    _render_dj,
)
DX7 = Instrument(
    "dx7",
    (),
    "the DX7 FM synth (dexed-py): one voice of six operators, played as notes",
    "a DX7 voice (tools/dx7/voice.py), designed from words, edited through the tools or loaded from SysEx",
    ConfigError,
    "tools.dx7.voice:Voice",
    "tools.dx7.session:DX7Session",
    None,
    _render_dx7,
)
INSTRUMENTS: dict[str, Instrument] = {inst.name: inst for inst in (AMBIENT, DJ, DX7)}
_BY_NAME = {name: inst for inst in INSTRUMENTS.values() for name in inst.names}


def instrument(name: str) -> Instrument:
    """The instrument a name or alias names, or one ConfigError listing every name."""
    key = name.strip().lower() if isinstance(name, str) else None
    found = _BY_NAME.get(key)
    if found is None:
        listed = "; ".join(f"{i.name}" + (f" (also {', '.join(i.aliases)})" if i.aliases else "") for i in INSTRUMENTS.values())
        raise ConfigError(f"unknown instrument {name!r}; use one of: {listed}")
    return found
