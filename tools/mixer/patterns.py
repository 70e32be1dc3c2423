"""Named 16-step patterns with per-step velocity, and parsing of what an LM sends.

The eight names of the bergain system (seeds/002) are here, with
`sixteenth_drive` made of real sixteenths. A pattern can also be given as a
list of step indices, a list of 16 velocities, or {"steps": [...],
"velocity": number | [...]}; a JSON string of either is accepted too.
Numbers follow the tools' one rule (tools.args.number_or_none):
numeric strings such as "0.5" are accepted wherever a number is.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools import safe_json
from tools.args import number_or_none
from tools.errors import InputError

STEPS = 16


@dataclass(frozen=True)
class Pattern:
    name: str
    velocities: tuple[float, ...]

    @property
    def hits(self) -> tuple[tuple[int, float], ...]:
        return tuple((step, vel) for step, vel in enumerate(self.velocities) if vel > 0)

    def as_dict(self) -> dict:
        """The pattern as JSON: name, the steps that hit, their velocities."""
        return {"name": self.name, "steps": [s for s, _ in self.hits], "velocity": [v for _, v in self.hits]}


def _grid(steps: dict[int, float]) -> tuple[float, ...]:
    return tuple(float(steps.get(i, 0.0)) for i in range(STEPS))


def _named(name: str, steps: dict[int, float]) -> Pattern:
    return Pattern(name, _grid(steps))


PATTERNS: dict[str, Pattern] = {
    p.name: p
    for p in (
        _named("four_on_floor", {0: 1.0, 4: 1.0, 8: 1.0, 12: 1.0}),
        _named("offbeat_8ths", {2: 1.0, 6: 1.0, 10: 1.0, 14: 1.0}),
        _named("syncopated_a", {2: 1.0, 10: 1.0}),
        _named("syncopated_b", {6: 1.0, 14: 1.0}),
        _named("backbeat", {4: 1.0, 12: 1.0}),
        _named("sparse_accent", {4: 1.0}),
        _named("gallop", {0: 1.0, 2: 0.8, 8: 1.0, 10: 0.8}),
        # every sixteenth, accented on the eighths so it drives instead of buzzing
        _named("sixteenth_drive", {i: (1.0 if i % 4 == 2 else 0.8 if i % 2 == 0 else 0.55) for i in range(STEPS)}),
        _named("half_time", {0: 1.0, 8: 1.0}),
        _named("offbeat_16ths", {3: 0.9, 7: 0.7, 11: 0.9, 15: 0.7}),
        _named("tresillo", {0: 1.0, 3: 0.85, 6: 0.9, 8: 1.0, 11: 0.85, 14: 0.9}),
    )
}


class PatternError(ValueError):
    """The pattern argument cannot be understood; the message says what is valid."""


def _velocity(value: object) -> float:
    number = number_or_none(value)
    if number is None or not 0.0 <= number <= 1.0:
        raise PatternError(f"velocity must be a number in 0..1, got {_short(value)}")
    return number


def _step(value: object) -> int:
    number = number_or_none(value)
    if number is None or number != int(number) or not 0 <= number < STEPS:
        raise PatternError(f"steps must be integers 0..15, got {_short(value)}")
    return int(number)


def _short(value: object) -> str:
    text = repr(value) if not isinstance(value, (list, dict)) else type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."


def _from_steps(steps: list, velocity: object) -> Pattern:
    indices = [_step(s) for s in steps]
    if isinstance(velocity, list):
        if len(velocity) != len(indices):
            raise PatternError("velocity list must have one value per step")
        vels = [_velocity(v) for v in velocity]
    else:
        vels = [_velocity(velocity)] * len(indices)
    if not indices:
        raise PatternError("a pattern needs at least one step")
    return Pattern("custom", _grid(dict(zip(indices, vels))))


def parse_pattern(value: object) -> Pattern:
    """A Pattern from a name, step list, 16-velocity list, dict or JSON string of those."""
    if isinstance(value, Pattern):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text in PATTERNS:
            return PATTERNS[text]
        if text[:1] in "[{":
            try:
                decoded = safe_json.loads(text, f"pattern {_short(value)}")
            except InputError as err:
                raise PatternError(str(err)) from None
            return parse_pattern(decoded)
        raise PatternError(f"unknown pattern {_short(value)}")
    if isinstance(value, list):
        numbers = [number_or_none(v) for v in value]
        if len(value) == STEPS and all(n is not None and 0.0 <= n <= 1.0 for n in numbers):
            if not any(numbers):
                raise PatternError("a pattern needs at least one step")
            return Pattern("custom", tuple(numbers))
        return _from_steps(value, 1.0)
    if isinstance(value, dict):
        if set(value) - {"steps", "velocity"} or not isinstance(value.get("steps"), list):
            raise PatternError('a pattern dict is {"steps": [0..15, ...], "velocity": 0..1 or a list}')
        return _from_steps(value["steps"], value.get("velocity", 1.0))
    raise PatternError(f"pattern must be a name, a list or a dict, got {type(value).__name__}")
