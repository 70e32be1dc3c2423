"""The DX7 session: the tool surface an LM designs a voice with.

Every tool takes JSON-able arguments and returns a JSON string; bad
arguments come back as {"error": ..., "valid": [...]} and change nothing.
Ranges are the voice schema's (tools.dx7.voice), enforced on every edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from pydantic import ValidationError

from tools.args import ArgError, as_int, brief, tool
from tools.dx7 import describe as desc
from tools.dx7.algorithms import ALGORITHMS
from tools.dx7.engine import Engine, Note, master
from tools.dx7.voice import LFO, Operator, PitchEG, Voice, problems

OP_FIELDS = tuple(Operator.model_fields)
GLOBAL_FIELDS = ("name", "feedback", "osc_key_sync", "transpose")
TOOL_NAMES = ("get_patch", "set_algorithm", "set_operator", "set_global", "set_lfo", "set_pitch_eg", "render_note", "describe")


class DX7Session:
    def __init__(self, voice: Voice | None = None, sample_rate: int = 44100) -> None:
        self.voice = voice or Voice()
        self.engine = Engine(sample_rate)
        self.last_audio: np.ndarray | None = None
        self.call_log: list[dict] = []

    def _apply(self, update: Callable[[dict], None], valid: list[str]) -> dict:
        data = self.voice.model_dump()
        update(data)
        try:
            self.voice = Voice.model_validate(data)
        except ValidationError as err:
            raise ArgError("; ".join(problems(err)), valid) from None
        return {"ok": True}

    @tool
    def get_patch(self) -> dict:
        return {"patch": self.voice.model_dump(mode="json")}

    @tool
    def set_algorithm(self, number: Any) -> dict:
        n = as_int(number, "algorithm", 1, 32)
        self.voice = self.voice.model_copy(update={"algorithm": n})
        return {"ok": True, "algorithm": ALGORITHMS[n].diagram()}

    @tool
    def set_operator(self, op: Any, fields: Any) -> dict:
        n = as_int(str(op).upper().removeprefix("OP"), "op", 1, 6)
        if not isinstance(fields, dict) or not fields:
            raise ArgError(f"fields must be an object of operator fields, got {brief(fields)}", list(OP_FIELDS))
        unknown = [k for k in fields if k not in OP_FIELDS]
        if unknown:
            raise ArgError(f"unknown operator field(s) {', '.join(map(str, unknown))}", list(OP_FIELDS))
        result = self._apply(lambda d: d[f"OP{n}"].update(fields), list(OP_FIELDS))
        return result | {f"OP{n}": self.voice.op(n).model_dump(mode="json")}

    @tool
    def set_global(self, fields: Any) -> dict:
        if not isinstance(fields, dict) or not fields or any(k not in GLOBAL_FIELDS for k in fields):
            raise ArgError(f"fields must be an object with keys from {', '.join(GLOBAL_FIELDS)}, got {brief(fields)}", list(GLOBAL_FIELDS))
        return self._apply(lambda d: d.update(fields), list(GLOBAL_FIELDS))

    @tool
    def set_lfo(self, fields: Any) -> dict:
        if not isinstance(fields, dict) or not fields or any(k not in LFO.model_fields for k in fields):
            raise ArgError(f"fields must be an object of LFO fields, got {brief(fields)}", list(LFO.model_fields))
        return self._apply(lambda d: d["lfo"].update(fields), list(LFO.model_fields))

    @tool
    def set_pitch_eg(self, fields: Any) -> dict:
        if not isinstance(fields, dict) or not fields or any(k not in PitchEG.model_fields for k in fields):
            raise ArgError(f"fields must be an object of pitch EG fields, got {brief(fields)}", list(PitchEG.model_fields))
        return self._apply(lambda d: d["pitch_eg"].update(fields), list(PitchEG.model_fields))

    @tool
    def render_note(self, note: Any = 60, velocity: Any = 100, hold: Any = 1.0) -> dict:
        n = as_int(note, "note", 0, 127)
        v = as_int(velocity, "velocity", 1, 127)
        try:
            h = float(hold)
        except (TypeError, ValueError):
            raise ArgError(f"hold must be seconds, got {brief(hold)}", ["0.05..8"]) from None
        if not 0.05 <= h <= 8.0:
            raise ArgError(f"hold must be in 0.05..8 seconds, got {h:g}", ["0.05..8"])
        raw = self.engine.note(self.voice, Note(n, v, 0.0, h, 1.0))
        self.last_audio = master(raw, self.engine.sample_rate)
        return {
            "ok": True,
            "seconds": round(raw.size / self.engine.sample_rate, 3),
            "raw_peak": round(float(np.max(np.abs(raw))), 4),
            "sound": desc.sound(raw, self.engine.sample_rate),
        }

    @tool
    def describe(self) -> dict:
        raw = self.engine.note(self.voice, Note(60, 100, 0.0, 1.0, 1.0))
        return {"structure": desc.structure(self.voice), "sound_at_C4": desc.sound(raw, self.engine.sample_rate)}
