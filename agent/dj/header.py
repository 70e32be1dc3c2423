"""The `run` header of a DJ trajectory, checked before a replay trusts it.

A replay takes its brief, palette, length, tempo and seed from the header,
so a header that is hand-edited, damaged or hostile (bars "lots", bpm
"fast", 10**9 bars, a list instead of an object) is refused here, naming
the field, before anything is loaded or written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, ValidationError

from tools.errors import AgentError, validation_lines
from tools.mixer.session import BPM_RANGE

MAX_BARS = 512  # the CLI's --bars ceiling


class RunHeader(BaseModel):
    """The header fields a replay uses; other fields are kept as recorded."""

    model_config = ConfigDict(extra="allow")

    brief: Annotated[StrictStr, Field(min_length=1, max_length=10_000)]
    palette_path: Annotated[StrictStr, Field(min_length=1, max_length=4_096)]
    bars: Annotated[StrictInt, Field(ge=1, le=MAX_BARS)]
    bpm: Annotated[StrictFloat | StrictInt, Field(ge=BPM_RANGE[0], le=BPM_RANGE[1])]
    seed: Annotated[StrictInt, Field(ge=0, le=2**63 - 1)]


def replay_settings(header: object, path: Path) -> dict:
    """brief, palette_path, bars, bpm, seed from a trajectory header, or an AgentError naming what is wrong."""
    if not isinstance(header, dict):
        raise AgentError(f"{path}: the header is a JSON {type(header).__name__}, not an object; it is not a vibesynth trajectory")
    try:
        parsed = RunHeader.model_validate(header)
    except ValidationError as err:
        problems = "; ".join(validation_lines(err, lambda e: f"{_field(e)}: {e['msg']} (got {_short(e.get('input'))})", _field))
        raise AgentError(
            f"{path}: the run header is not usable for a replay ({problems}); replay a trajectory.jsonl written by `vibesynth dj`"
        ) from None
    return {
        "brief": parsed.brief,
        "palette_path": Path(parsed.palette_path),
        "bars": parsed.bars,
        "bpm": float(parsed.bpm),
        "seed": parsed.seed,
    }


def _field(error: dict) -> str:
    return str(error["loc"][0]) if error["loc"] else "(header)"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
