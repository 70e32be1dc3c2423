"""The arrangement space: a DJ set as data, and the one way it turns into mixer tool calls.

A point (`Arrangement`) is the palette, the tempo and a list of sections;
each section holds its length in bars, whether its drums are held out
(a breakdown) and the layers that sound in it, in the mixer's order, each with
a gain (within the guardrails' caps) and a pattern (a named pattern, 16
velocities, or None for the role's default; loops ignore it). The set length
is the sum of the sections. Per-phase layer plans, patterns per role and
phase, gains, breakdown and drop placement are all sections.

`to_calls` makes the tool calls a policy would make to play the point (the
changes between sections, then `play` or `breakdown`), so every point is a
trajectory; `from_calls` reads accepted tool calls back into the point they
played. `render_arrangement` plays the calls on a `MixerSession`, so a point
passes through the same guardrails (caps, density ceiling, hard stop) as any
LM. The reference arrangements are points: `reference_point(kind)`.

Layer order matters for bit-identical audio (the mixer sums layers and draws
its humanising noise in that order), so a section's layers are an ordered
mapping, and `to_calls` removes and re-adds layers when a section reorders them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from palettes.library import Palette
from reference.arrangements import Call, ReferenceRender, play_calls, reference_calls
from tools.errors import ConfigError
from tools.loudness import normalize_peak
from tools.mixer import PATTERNS, MixerSession
from tools.mixer.guardrails import DEFAULT_GAIN_CAPS
from tools.mixer.patterns import STEPS, PatternError, parse_pattern
from tools.mixer.session import BPM_RANGE

MAX_BARS = 512
ROLES = tuple(DEFAULT_GAIN_CAPS)
PatternSpec = str | list[float] | None


class LayerSetting(BaseModel):
    """One layer in a section: level, rhythm (one-shot roles) and whether it is muted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    gain: Annotated[float, Field(ge=0.0, le=1.0)]
    pattern: PatternSpec = None  # a PATTERNS name, 16 velocities, or None: the role's default (loops: none)
    muted: bool = False

    @field_validator("pattern")
    @classmethod
    def _known_pattern(cls, value: PatternSpec) -> PatternSpec:
        if value is None:
            return None
        if isinstance(value, str) and value not in PATTERNS:
            raise ValueError(f"unknown pattern {value!r}; use one of {', '.join(sorted(PATTERNS))}")
        if isinstance(value, list) and len(value) != STEPS:
            raise ValueError(f"a pattern given as velocities has {STEPS} values in 0..1, not {len(value)}")
        try:
            parse_pattern(value)
        except PatternError as err:
            raise ValueError(str(err)) from None
        return value


class Section(BaseModel):
    """Bars played with one mix; `breakdown` holds the drums out for these bars."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bars: Annotated[int, Field(ge=1, le=MAX_BARS)]
    layers: dict[str, LayerSetting] = Field(default_factory=dict)
    breakdown: bool = False

    @model_validator(mode="after")
    def _within_caps(self) -> Section:
        for role, layer in self.layers.items():
            if role not in DEFAULT_GAIN_CAPS:
                raise ValueError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
            cap = DEFAULT_GAIN_CAPS[role]
            if layer.gain > cap + 1e-12:
                raise ValueError(f"{role} gain {layer.gain:g} is above the guardrail cap {cap:g}; use at most {cap:g}")
        return self


class Arrangement(BaseModel):
    """A point of the arrangement space (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    palette: str | None = None  # a curated palette's name (palette_001); None: the run's palette
    bpm: Annotated[float, Field(ge=BPM_RANGE[0], le=BPM_RANGE[1])] | None = None  # None: the palette's
    sections: Annotated[list[Section], Field(min_length=1)]

    @property
    def bars(self) -> int:
        return sum(section.bars for section in self.sections)

    @model_validator(mode="after")
    def _length(self) -> Arrangement:
        if self.bars > MAX_BARS:
            raise ValueError(f"the set is {self.bars} bars; the mixer plays at most {MAX_BARS}: shorten its sections")
        return self


def _pattern_arg(pattern: PatternSpec) -> str | list[float]:
    return pattern if isinstance(pattern, str) else list(pattern)


def _add(role: str, layer: LayerSetting) -> list[Call]:
    args: dict = {"role": role, "gain": layer.gain}
    if layer.pattern is not None:
        args["pattern"] = _pattern_arg(layer.pattern)
    calls: list[Call] = [("add", args)]
    if layer.muted:
        calls.append(("mute", {"role": role}))
    return calls


def _update(role: str, old: LayerSetting, new: LayerSetting) -> list[Call]:
    if new.pattern != old.pattern and new.pattern is None:
        return _add(role, new)  # back to the role's default pattern: `add` on a layer in the mix resets it
    calls: list[Call] = []
    if new.gain != old.gain:
        calls.append(("fader", {"role": role, "gain": new.gain}))
    if new.pattern != old.pattern:
        calls.append(("pattern", {"role": role, "name": _pattern_arg(new.pattern)}))
    if new.muted != old.muted:
        calls.append(("mute" if new.muted else "unmute", {"role": role}))
    return calls


def section_calls(before: dict[str, LayerSetting], section: Section) -> list[Call]:
    """The calls that change the mix `before` into the section's, then play (or break down) its bars."""
    target = list(section.layers)
    kept = [role for role in before if role in section.layers]
    same = 0
    while same < min(len(kept), len(target)) and kept[same] == target[same]:
        same += 1
    readd = set(kept[same:])  # in the mix, but out of the section's order: removed and added again
    calls: list[Call] = [("remove", {"role": role}) for role in before if role not in section.layers or role in readd]
    for role in target[:same]:
        calls += _update(role, before[role], section.layers[role])
    for role in target[same:]:
        calls += _add(role, section.layers[role])
    calls.append(("breakdown" if section.breakdown else "play", {"bars": section.bars}))
    return calls


def to_calls(arrangement: Arrangement) -> list[Call]:
    """The tool calls that play the point, section by section."""
    calls: list[Call] = []
    mix: dict[str, LayerSetting] = {}
    for section in arrangement.sections:
        calls += section_calls(mix, section)
        mix = dict(section.layers)
    return calls


def _pattern_of(value: object) -> PatternSpec:
    if value is None:
        return None
    parsed = parse_pattern(value)
    return parsed.name if parsed.name in PATTERNS else list(parsed.velocities)


def from_calls(calls: list[Call], palette: str | None = None, bpm: float | None = None) -> Arrangement:
    """The point a list of accepted tool calls played (`status` moves nothing and is skipped).

    Consecutive bars with the same mix merge into one section. `swap` changes a
    role's sample, which the space does not hold: it is refused by name.
    """
    mix: dict[str, LayerSetting] = {}
    sections: list[Section] = []
    for name, args in calls:
        role = args.get("role")
        if name == "add":
            layer = LayerSetting(gain=args["gain"], pattern=_pattern_of(args.get("pattern")))
            mix[role] = layer  # a role already in the mix keeps its place, as in the session
        elif name == "remove":
            del mix[role]
        elif name == "fader":
            mix[role] = mix[role].model_copy(update={"gain": args["gain"]})
        elif name == "pattern":
            mix[role] = mix[role].model_copy(update={"pattern": _pattern_of(args["name"])})
        elif name in ("mute", "unmute"):
            mix[role] = mix[role].model_copy(update={"muted": name == "mute"})
        elif name in ("play", "breakdown"):
            section = Section(bars=args["bars"], layers=dict(mix), breakdown=name == "breakdown")
            last = sections[-1] if sections else None
            if last and last.breakdown == section.breakdown and list(last.layers.items()) == list(section.layers.items()):
                sections[-1] = last.model_copy(update={"bars": last.bars + section.bars})
            else:
                sections.append(section)
        elif name == "swap":
            raise ConfigError("the arrangement space has no sample swaps; choose the palette instead of swapping")
        elif name != "status":
            raise ConfigError(f"unknown tool {name!r} in the calls; the mixer's tools are play, add, remove, fader, "
                              "pattern, mute, unmute, swap, breakdown, status")
    if not sections:
        raise ConfigError("the calls play no bars (no play or breakdown); a set needs at least one")
    return Arrangement(palette=palette, bpm=bpm, sections=sections)


def reference_point(kind: str) -> Arrangement:
    """A reference arrangement ("32", "64", "set") as a point of the space."""
    return from_calls(reference_calls(kind))


def render_arrangement(
    arrangement: Arrangement, palette: Palette, seed: int = 0, sample_rate: int = 44100
) -> ReferenceRender:
    """Play the point's tool calls on a mixer session (guardrails and all), normalised to -1 dBTP.

    `arrangement.palette` names the palette; the caller loads it (`palette` is that palette).
    """
    tempo = float(palette.bpm if arrangement.bpm is None else arrangement.bpm)
    session = MixerSession(palette.samples, tempo, arrangement.bars, seed=seed, sample_rate=sample_rate,
                           alternatives=palette.alternatives)
    play_calls(session, to_calls(arrangement))
    return ReferenceRender(normalize_peak(session.render()), sample_rate, tempo, session.bars_played, "point", session)
