"""The DX7 voice (all 155 VCED parameters) as a pydantic model with an operator-major JSON form.

The JSON an LM reads and writes names operators explicitly ("OP1".."OP6", as
on the front panel); values are the DX7's own integer ranges, except four
that are friendlier without losing anything: algorithm 1..32, transpose in
semitones -24..+24 (0 = C3), detune -7..+7, curves and LFO waves by name.
`Voice.to_vced()` / `Voice.from_vced()` convert to and from the 155 bytes of
a single-voice SysEx body, bit for bit.
"""

from __future__ import annotations

import difflib
import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tools import safe_json
from tools.errors import ConfigError, InputError, validation_lines

CURVES = ("-lin", "-exp", "+exp", "+lin")
LFO_WAVES = ("triangle", "saw_down", "saw_up", "square", "sine", "sample_hold")
OPS = ("OP1", "OP2", "OP3", "OP4", "OP5", "OP6")
VCED_SIZE = 155
OP_BYTES = 21

Level = Annotated[int, Field(ge=0, le=99)]
Four = Annotated[list[Level], Field(min_length=4, max_length=4)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Operator(_Strict):
    eg_rates: Four = Field([99, 99, 99, 99], description="EG rates R1..R4 (99 = fastest)")
    eg_levels: Four = Field([99, 99, 99, 0], description="EG levels L1..L4 (L3 is the sustain level)")
    breakpoint: Level = Field(39, description="keyboard level scaling break point (39 = C3)")
    left_depth: Level = 0
    right_depth: Level = 0
    left_curve: Literal["-lin", "-exp", "+exp", "+lin"] = "-lin"
    right_curve: Literal["-lin", "-exp", "+exp", "+lin"] = "-lin"
    rate_scaling: int = Field(0, ge=0, le=7, description="higher notes run the EG faster")
    amp_mod_sens: int = Field(0, ge=0, le=3, description="how much the LFO moves this operator's level")
    velocity_sens: int = Field(0, ge=0, le=7, description="how much key velocity moves this operator's level")
    output_level: Level = Field(0, description="operator level; for a modulator, the modulation depth")
    mode: Literal["ratio", "fixed"] = "ratio"
    coarse: int = Field(1, ge=0, le=31, description="ratio mode: frequency ratio (0 = 0.5); fixed: 10**(coarse % 4) Hz")
    fine: Level = Field(0, description="ratio mode: + fine % of coarse; fixed mode: x 10**(fine/100)")
    detune: int = Field(0, ge=-7, le=7)

    def ratio(self) -> float:
        if self.mode == "fixed":
            return 10 ** (self.coarse % 4) * 10 ** (self.fine / 100)
        base = 0.5 if self.coarse == 0 else float(self.coarse)
        return base * (1 + self.fine / 100)


class PitchEG(_Strict):
    rates: Four = Field([99, 99, 99, 99])
    levels: Four = Field([50, 50, 50, 50], description="50 = no pitch change")


class LFO(_Strict):
    speed: Level = 35
    delay: Level = 0
    pitch_mod_depth: Level = 0
    amp_mod_depth: Level = 0
    key_sync: bool = True
    wave: Literal["triangle", "saw_down", "saw_up", "square", "sine", "sample_hold"] = "triangle"
    pitch_mod_sens: int = Field(3, ge=0, le=7)


def _carrier(level: int) -> Operator:
    return Operator(output_level=level)


class Voice(_Strict):
    name: str = Field("INIT VOICE", max_length=10, description="up to 10 ASCII characters")
    algorithm: int = Field(1, ge=1, le=32)
    feedback: int = Field(0, ge=0, le=7)
    osc_key_sync: bool = True
    transpose: int = Field(0, ge=-24, le=24, description="semitones; 0 = C3 sounds as C3")
    pitch_eg: PitchEG = Field(default_factory=PitchEG)
    lfo: LFO = Field(default_factory=LFO)
    OP1: Operator = Field(default_factory=lambda: _carrier(99))
    OP2: Operator = Field(default_factory=lambda: _carrier(0))
    OP3: Operator = Field(default_factory=lambda: _carrier(0))
    OP4: Operator = Field(default_factory=lambda: _carrier(0))
    OP5: Operator = Field(default_factory=lambda: _carrier(0))
    OP6: Operator = Field(default_factory=lambda: _carrier(0))

    @field_validator("name")
    @classmethod
    def _ascii(cls, value: str) -> str:
        bad = [c for c in value if ord(c) > 127]
        if bad:
            raise ValueError(f"name must be ASCII; drop {''.join(bad)!r}")
        return value

    def op(self, number: int) -> Operator:
        return getattr(self, f"OP{number}")

    def operators(self) -> list[Operator]:
        return [self.op(n) for n in range(1, 7)]

    # --- JSON -------------------------------------------------------------------------------
    @classmethod
    def parse(cls, data: dict[str, Any] | str) -> Voice:
        """Validate a dict or JSON text; raise ConfigError with one readable line per problem."""
        if isinstance(data, str):
            try:
                data = safe_json.loads(data, "DX7 voice")
            except InputError as err:
                raise ConfigError(f"{err}; send one JSON object") from None
        if not isinstance(data, dict):
            raise ConfigError(f"a DX7 voice must be a JSON object, got {type(data).__name__}")
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            raise ConfigError(explain(err)) from None

    # --- VCED bytes -------------------------------------------------------------------------
    def to_vced(self) -> bytes:
        out = bytearray()
        for number in range(6, 0, -1):  # OP6 comes first in the byte layout
            o = self.op(number)
            out += bytes(
                [
                    *o.eg_rates,
                    *o.eg_levels,
                    o.breakpoint,
                    o.left_depth,
                    o.right_depth,
                    CURVES.index(o.left_curve),
                    CURVES.index(o.right_curve),
                    o.rate_scaling,
                    o.amp_mod_sens,
                    o.velocity_sens,
                    o.output_level,
                    int(o.mode == "fixed"),
                    o.coarse,
                    o.fine,
                    o.detune + 7,
                ]
            )
        lfo = self.lfo
        out += bytes(
            [
                *self.pitch_eg.rates,
                *self.pitch_eg.levels,
                self.algorithm - 1,
                self.feedback,
                int(self.osc_key_sync),
                lfo.speed,
                lfo.delay,
                lfo.pitch_mod_depth,
                lfo.amp_mod_depth,
                int(lfo.key_sync),
                LFO_WAVES.index(lfo.wave),
                lfo.pitch_mod_sens,
                self.transpose + 24,
            ]
        )
        out += self.name.ljust(10).encode("ascii")
        return bytes(out)

    @classmethod
    def from_vced(cls, data: bytes) -> Voice:
        if len(data) < VCED_SIZE:
            raise ConfigError(f"a VCED voice has {VCED_SIZE} bytes, got {len(data)}; pass a whole single-voice dump")
        d = list(data[:VCED_SIZE])
        fields: dict[str, Any] = {}
        try:
            for i in range(6):
                b = d[i * OP_BYTES : (i + 1) * OP_BYTES]
                fields[f"OP{6 - i}"] = dict(
                    eg_rates=b[0:4],
                    eg_levels=b[4:8],
                    breakpoint=b[8],
                    left_depth=b[9],
                    right_depth=b[10],
                    left_curve=CURVES[b[11]],
                    right_curve=CURVES[b[12]],
                    rate_scaling=b[13],
                    amp_mod_sens=b[14],
                    velocity_sens=b[15],
                    output_level=b[16],
                    mode=("ratio", "fixed")[b[17]],
                    coarse=b[18],
                    fine=b[19],
                    detune=b[20] - 7,
                )
            g = d[126:]
            fields |= dict(
                pitch_eg=dict(rates=g[0:4], levels=g[4:8]),
                algorithm=g[8] + 1,
                feedback=g[9],
                osc_key_sync=_flag(g[10]),
                transpose=g[18] - 24,
                lfo=dict(
                    speed=g[11],
                    delay=g[12],
                    pitch_mod_depth=g[13],
                    amp_mod_depth=g[14],
                    key_sync=_flag(g[15]),
                    wave=LFO_WAVES[g[16]],
                    pitch_mod_sens=g[17],
                ),
                name=bytes(g[19:29]).decode("ascii").rstrip(" "),
            )
        except (IndexError, UnicodeDecodeError) as err:
            raise ConfigError(f"VCED bytes hold a value no DX7 parameter takes ({err}); the file is not a DX7 voice") from None
        return cls.parse(fields)


def _flag(value: int) -> bool:
    if value not in (0, 1):
        raise IndexError(f"a switch byte is {value}, not 0 or 1")
    return bool(value)


def json_schema() -> dict[str, Any]:
    """JSON Schema of the operator-major voice, for constrained decoding."""
    return Voice.model_json_schema()


def _bounds(loc: tuple[Any, ...]) -> tuple[Any, Any]:
    """The (ge, le) bounds of the named field a validation error points at (list items included)."""
    name = next(str(p) for p in reversed(loc) if isinstance(p, str))
    for model in (Operator, PitchEG, LFO, Voice):
        field = model.model_fields.get(name)
        if field is None:
            continue
        found = {k: getattr(m, k) for m in field.metadata for k in ("ge", "le") if getattr(m, k, None) is not None}
        if not found:  # a list of Level items
            found = {"ge": 0, "le": 99}
        return found.get("ge", "?"), found.get("le", "?")
    return "?", "?"


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "voice"


def _line(error: dict[str, Any]) -> str:
    path = _field_path(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        parent = Voice
        for part in error["loc"][:-1]:
            annotation = parent.model_fields.get(str(part)) if isinstance(part, str) else None
            parent = annotation.annotation if annotation and isinstance(annotation.annotation, type) else parent
        names = list(parent.model_fields)
        close = difflib.get_close_matches(str(error["loc"][-1]), names, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"valid fields: {', '.join(names)}"
        return f"{path}: not a DX7 field; {hint}"
    if kind == "missing":
        return f"{path}: missing; add it"
    ctx = error.get("ctx") or {}
    value = json.dumps(error.get("input"), default=str)
    if "ge" in ctx or "le" in ctx:
        low, high = _bounds(error["loc"])
        return f"{path}: {value} is out of range; use {low}..{high}"
    if kind == "literal_error":
        return f"{path}: {value} is not valid; use one of {ctx.get('expected')}"
    if kind in ("too_short", "too_long"):
        return f"{path}: {value} has the wrong length; give exactly 4 values (or at most 10 characters for a name)"
    return f"{path}: {value} is not valid ({error['msg']})"


def problems(err: ValidationError) -> list[str]:
    """One readable line per problem of a voice."""
    return validation_lines(err, _line)


def explain(err: ValidationError) -> str:
    return "invalid DX7 voice:\n  " + "\n  ".join(problems(err))
