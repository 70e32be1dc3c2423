"""Rule-based DX7 refine: edit a voice by words ("brighter, shorter decay") through documented FM mappings.

An FM voice has no "brightness" knob; these are the textbook levers (the same
ones `reference.dx7_designer` uses to design from words):

| attribute | words | what moves, per step |
|---|---|---|
| brightness | brighter, darker, duller, harsher, mellower | every modulator's output level +-8 (modulation index: more sidebands), feedback +-1 |
| attack | sharper/faster/snappier attack, softer/slower attack | every carrier's EG rate 1: towards 99 by half the gap / x 0.6 |
| decay | shorter/longer decay, less/more sustain | every operator's EG rates 2 and 3 +-15; carriers' sustain L3 x 0.6 / + (99 - L3) x 0.4 |
| release | shorter/longer release, longer tail | every operator's EG rate 4 +-20 |
| pitch | an octave higher/lower, higher, lower | transpose +-12 semitones |

"much"/"a lot" make two steps. Unmentioned parameters stay. Deterministic.
Checked by audio descriptors on factory voices (`scripts/dx7_refine_check.py`):
spectral centroid for brightness, time to -20 dB for decay, time to the peak for attack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.dx7.algorithms import ALGORITHMS
from tools.dx7.voice import Voice
from tools.errors import ConfigError

REFINER_NAME = "rule-based (reference.dx7_refiner)"
# (pattern, attribute, direction), tried in order: "softer attack" before "softer", "longer release" before "longer".
WORDS: tuple[tuple[str, str, int], ...] = (
    (r"(?:sharper|faster|snappier|harder|quicker|punchier) attack|more percussive|snappier|punchier", "attack", 1),
    (r"(?:softer|slower|gentler|smoother) attack|less percussive|swell\w*|fade in", "attack", -1),
    (r"(?:longer|slower) release|longer tail|more tail", "release", 1),
    (r"(?:shorter|quicker|faster) release|shorter tail|less tail", "release", -1),
    (r"(?:shorter|quicker|faster) decay|less sustain|more staccato|shorter|plucky|pluckier|tighter", "decay", -1),
    (r"(?:longer|slower) decay|more sustain|sustained|longer|ringing|ring (?:out )?longer", "decay", 1),
    (r"brighter|harsher|edgier|buzzier|more (?:bright|brilliant|harmonics|edge|bite)|less (?:dark|mellow|dull)", "brightness", 1),
    (r"darker|duller|mellower|warmer|rounder|softer|less (?:bright|harsh|harmonics|edge)|more (?:dark|mellow|muted)", "brightness", -1),
    (r"(?:an )?octave (?:higher|up)|higher", "pitch", 1),
    (r"(?:an )?octave (?:lower|down)|lower|deeper", "pitch", -1),
)
STRONG = re.compile(r"\b(?:much|a lot|way|far|lots|considerably|significantly)\s+$")


@dataclass(frozen=True)
class VoiceEdit:
    voice: Voice
    moves: tuple[tuple[str, int, str], ...]  # (attribute, steps, words)
    changed: tuple[str, ...]  # parameters that changed, e.g. "OP2.output_level 55 -> 63"
    notes: tuple[str, ...]


def refine_voice(voice: Voice, instruction: str) -> VoiceEdit:
    """Edit a DX7 voice as the words ask; ConfigError when no word reads as an edit."""
    text = " ".join(str(instruction).lower().replace("-", " ").split())
    if not text:
        raise ConfigError('give an instruction in words, e.g. "brighter, shorter decay"')
    moves = []
    for clause in re.split(r"\s*(?:[,;.]|\band\b|\bbut\b)\s*", text):
        for pattern, attribute, direction in WORDS:
            match = re.search(rf"\b(?:{pattern})\b", clause)
            if match and attribute not in {m[0] for m in moves}:
                steps = 2 if STRONG.search(clause[: match.start()]) else 1
                moves.append((attribute, steps * direction, match.group(0)))
                clause = clause[: match.start()] + " " * len(match.group(0)) + clause[match.end() :]
    if not moves:
        raise ConfigError(
            f"nothing in {instruction!r} reads as a voice edit; use brighter/darker, sharper/softer attack, "
            "shorter/longer decay, longer release, an octave higher (`vibesynth dx7 refine --help`)"
        )
    data = voice.model_dump()
    carriers = set(ALGORITHMS[voice.algorithm].carriers)
    for attribute, steps, _ in moves:
        for _ in range(abs(steps)):
            _MOVES[attribute](data, carriers, 1 if steps > 0 else -1)
    edited = Voice.parse(data)
    changed = tuple(_diff(voice.model_dump(), edited.model_dump()))
    notes = () if changed else (f"{instruction!r}: every parameter it moves is already at its end",)
    return VoiceEdit(edited, tuple(moves), changed, notes)


def _clip(x: float, low: int = 0, high: int = 99) -> int:
    return int(min(high, max(low, round(x))))


def _ops(data: dict, which: set[int] | None = None) -> list[dict]:
    return [data[f"OP{n}"] for n in range(1, 7) if which is None or n in which]


def _brightness(data: dict, carriers: set[int], way: int) -> None:
    for op in _ops(data, set(range(1, 7)) - carriers):
        op["output_level"] = _clip(op["output_level"] + 8 * way) if op["output_level"] > 0 else 0
    data["feedback"] = _clip(data["feedback"] + way, 0, 7)


def _attack(data: dict, carriers: set[int], way: int) -> None:
    for op in _ops(data, carriers):
        rate = op["eg_rates"][0]
        op["eg_rates"][0] = _clip(rate + (99 - rate) * 0.5 + 1) if way > 0 else _clip(rate * 0.6)


def _decay(data: dict, carriers: set[int], way: int) -> None:
    for op in _ops(data):
        for k in (1, 2):
            op["eg_rates"][k] = _clip(op["eg_rates"][k] - 15 * way)
    for op in _ops(data, carriers):
        level = op["eg_levels"][2]
        op["eg_levels"][2] = _clip(level + (99 - level) * 0.4) if way > 0 else _clip(level * 0.6)


def _release(data: dict, carriers: set[int], way: int) -> None:
    for op in _ops(data):
        op["eg_rates"][3] = _clip(op["eg_rates"][3] - 20 * way)


def _pitch(data: dict, carriers: set[int], way: int) -> None:
    data["transpose"] = _clip(data["transpose"] + 12 * way, -24, 24)


_MOVES = {"brightness": _brightness, "attack": _attack, "decay": _decay, "release": _release, "pitch": _pitch}


def _diff(before: dict, after: dict, prefix: str = "") -> list[str]:
    lines = []
    for key, value in after.items():
        old = before.get(key)
        if isinstance(value, dict):
            lines += _diff(old, value, f"{prefix}{key}.")
        elif value != old:
            lines.append(f"{prefix}{key} {old} -> {value}")
    return lines
