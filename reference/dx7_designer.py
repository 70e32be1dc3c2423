"""Rule-based text -> DX7 voice: the offline reference designer (no LM).

The first instrument family the text names picks a template (algorithm,
operator ratios, levels and envelopes, written here from FM design rules:
integer ratios for harmonic tones, non-integer ones for bells, a high
modulator ratio for tines, slow carriers for pads). Modifier words then move
it: bright/dark scale the modulator levels, soft/hard attack and long/short
decay or release scale the envelope rates, metallic detunes the ratios,
vibrato/tremolo set the LFO, chorus/detuned spreads the detune. Text the
rules do not know gives the neutral template. Deterministic.
"""

from __future__ import annotations

import re
from typing import Any

from tools.dx7.algorithms import ALGORITHMS
from tools.dx7.voice import Voice

DESIGNER_NAME = "rule-based (reference.dx7_designer)"

# op: (ratio coarse, fine, level, eg_rates, eg_levels, velocity sens)
Op = tuple[int, int, int, list[int], list[int], int]


def _ops(*ops: Op) -> dict[str, Any]:
    out = {}
    for n, (coarse, fine, level, rates, levels, vel) in enumerate(ops, start=1):
        out[f"OP{n}"] = dict(coarse=coarse, fine=fine, output_level=level, eg_rates=rates, eg_levels=levels, velocity_sens=vel)
    return out


HOLD = [99, 99, 99, 0]
PERC = [99, 80, 0, 0]
TEMPLATES: dict[str, dict[str, Any]] = {
    "neutral": dict(
        algorithm=1, feedback=0, **_ops((1, 0, 99, [95, 60, 50, 60], [99, 90, 80, 0], 2), (1, 0, 60, [95, 50, 40, 60], [99, 80, 70, 0], 3))
    ),
    "electric_piano": dict(
        algorithm=5,
        feedback=5,
        **_ops(
            (1, 0, 99, [96, 25, 25, 67], [99, 75, 0, 0], 2),
            (14, 0, 55, [95, 50, 35, 78], [99, 75, 0, 0], 7),
            (1, 0, 99, [95, 20, 20, 50], [99, 95, 0, 0], 2),
            (1, 0, 85, [95, 29, 20, 50], [99, 95, 0, 0], 6),
            (1, 0, 99, [95, 20, 20, 50], [99, 95, 0, 0], 0),
            (1, 0, 75, [95, 29, 20, 50], [99, 95, 0, 0], 6),
        ),
    ),
    "piano": dict(
        algorithm=3,
        feedback=4,
        **_ops(
            (1, 0, 99, [90, 30, 28, 45], [99, 85, 0, 0], 3),
            (1, 0, 70, [90, 40, 30, 50], [99, 80, 0, 0], 5),
            (3, 0, 55, [90, 50, 35, 50], [99, 70, 0, 0], 5),
            (1, 0, 99, [90, 30, 28, 45], [99, 85, 0, 0], 3),
            (1, 0, 65, [90, 40, 30, 50], [99, 80, 0, 0], 5),
            (5, 0, 45, [90, 60, 40, 50], [99, 60, 0, 0], 6),
        ),
    ),
    "bass": dict(
        algorithm=1,
        feedback=6,
        transpose=-12,
        **_ops(
            (0, 0, 99, [95, 45, 30, 70], [99, 85, 70, 0], 2),
            (0, 0, 80, [95, 60, 40, 70], [99, 70, 50, 0], 4),
            (1, 0, 90, [95, 45, 30, 70], [99, 85, 70, 0], 2),
            (1, 0, 70, [95, 70, 40, 70], [99, 60, 40, 0], 5),
            (1, 0, 50, [95, 70, 40, 70], [99, 60, 40, 0], 3),
            (1, 0, 40, [95, 70, 40, 70], [99, 60, 40, 0], 3),
        ),
    ),
    "brass": dict(
        algorithm=22,
        feedback=7,
        **_ops(
            (1, 0, 99, [70, 40, 30, 55], [99, 95, 90, 0], 1),
            (1, 0, 72, [60, 40, 30, 55], [99, 90, 85, 0], 3),
            (1, 0, 97, [70, 40, 30, 55], [99, 95, 90, 0], 1),
            (1, 0, 97, [70, 40, 30, 55], [99, 95, 90, 0], 1),
            (1, 0, 95, [70, 40, 30, 55], [99, 95, 90, 0], 1),
            (1, 0, 75, [55, 40, 30, 55], [99, 90, 85, 0], 3),
        ),
    ),
    "strings": dict(
        algorithm=2,
        feedback=5,
        **_ops(
            (1, 0, 99, [45, 30, 30, 40], [99, 95, 90, 0], 0),
            (1, 0, 70, [40, 30, 30, 40], [99, 90, 85, 0], 2),
            (1, 0, 99, [45, 30, 30, 40], [99, 95, 90, 0], 0),
            (1, 0, 65, [40, 30, 30, 40], [99, 90, 85, 0], 2),
            (3, 0, 55, [40, 30, 30, 40], [99, 85, 80, 0], 2),
            (1, 0, 60, [40, 30, 30, 40], [99, 90, 85, 0], 2),
        ),
    ),
    "pad": dict(
        algorithm=5,
        feedback=3,
        **_ops(
            (1, 0, 99, [30, 25, 25, 30], [99, 95, 92, 0], 0),
            (2, 0, 62, [25, 25, 25, 30], [99, 90, 85, 0], 1),
            (1, 0, 97, [28, 25, 25, 30], [99, 95, 92, 0], 0),
            (1, 0, 60, [25, 25, 25, 30], [99, 90, 85, 0], 1),
            (2, 0, 90, [30, 25, 25, 30], [99, 95, 92, 0], 0),
            (3, 0, 50, [25, 25, 25, 30], [99, 90, 85, 0], 1),
        ),
    ),
    "organ": dict(
        algorithm=32,
        feedback=0,
        **_ops(
            (0, 0, 90, [99, 99, 99, 80], HOLD, 0),
            (1, 0, 95, [99, 99, 99, 80], HOLD, 0),
            (2, 0, 85, [99, 99, 99, 80], HOLD, 0),
            (3, 0, 80, [99, 99, 99, 80], HOLD, 0),
            (4, 0, 78, [99, 99, 99, 80], HOLD, 0),
            (6, 0, 70, [99, 99, 99, 80], HOLD, 0),
        ),
    ),
    "bell": dict(
        algorithm=5,
        feedback=0,
        **_ops(
            (1, 0, 99, [99, 25, 20, 30], [99, 60, 0, 0], 2),
            (3, 50, 72, [99, 30, 25, 30], [99, 50, 0, 0], 5),
            (2, 0, 90, [99, 22, 20, 30], [99, 55, 0, 0], 2),
            (7, 9, 65, [99, 30, 25, 30], [99, 45, 0, 0], 5),
            (4, 0, 80, [99, 28, 20, 30], [99, 50, 0, 0], 2),
            (11, 0, 55, [99, 35, 25, 30], [99, 40, 0, 0], 5),
        ),
    ),
    "pluck": dict(
        algorithm=1,
        feedback=4,
        **_ops(
            (1, 0, 99, [99, 45, 30, 60], [99, 50, 0, 0], 3),
            (3, 0, 70, [99, 60, 40, 60], PERC, 6),
            (1, 0, 90, [99, 45, 30, 60], [99, 50, 0, 0], 3),
            (1, 0, 65, [99, 60, 40, 60], PERC, 6),
            (5, 0, 45, [99, 70, 40, 60], PERC, 5),
            (1, 0, 30, [99, 70, 40, 60], PERC, 3),
        ),
    ),
    "mallet": dict(
        algorithm=7,
        feedback=2,
        **_ops(
            (1, 0, 99, [99, 40, 30, 50], [99, 40, 0, 0], 3),
            (4, 0, 60, [99, 70, 50, 60], [99, 20, 0, 0], 6),
            (1, 0, 90, [99, 42, 30, 50], [99, 40, 0, 0], 3),
            (10, 0, 50, [99, 75, 50, 60], [99, 10, 0, 0], 6),
            (3, 0, 45, [99, 70, 50, 60], [99, 20, 0, 0], 5),
            (1, 0, 30, [99, 70, 50, 60], [99, 20, 0, 0], 4),
        ),
    ),
    "flute": dict(
        algorithm=19,
        feedback=6,
        **_ops(
            (1, 0, 99, [60, 40, 40, 55], [99, 95, 92, 0], 1),
            (1, 0, 55, [60, 40, 40, 55], [99, 90, 88, 0], 2),
            (3, 0, 35, [70, 40, 40, 55], [99, 80, 70, 0], 2),
            (2, 0, 70, [60, 40, 40, 55], [99, 95, 90, 0], 1),
            (1, 0, 75, [60, 40, 40, 55], [99, 95, 90, 0], 1),
            (9, 0, 40, [99, 70, 40, 55], [99, 40, 30, 0], 3),
        ),
    ),
    "lead": dict(
        algorithm=18,
        feedback=7,
        **_ops(
            (1, 0, 99, [90, 50, 40, 60], [99, 95, 90, 0], 1),
            (1, 0, 80, [90, 50, 40, 60], [99, 90, 85, 0], 3),
            (2, 0, 72, [90, 50, 40, 60], [99, 90, 85, 0], 3),
            (3, 0, 65, [90, 50, 40, 60], [99, 85, 80, 0], 3),
            (1, 0, 60, [90, 50, 40, 60], [99, 85, 80, 0], 2),
            (1, 0, 55, [90, 50, 40, 60], [99, 85, 80, 0], 2),
        ),
    ),
}

FAMILIES: list[tuple[str, str]] = [  # (regex, template); the earliest match in the text wins
    (r"electric piano|e\.?\s?piano|rhodes|wurli\w*|tine|ep", "electric_piano"),
    (r"piano|keys|clav\w*|harpsichord", "piano"),
    (r"bass|sub|808", "bass"),
    (r"brass|horn|trumpet|trombone|sax\w*", "brass"),
    (r"strings?|violin|cello|orchestra\w*|ensemble", "strings"),
    (r"pad|choir|atmospher\w*|ambient|drone", "pad"),
    (r"organ|drawbar", "organ"),
    (r"bells?|chimes?|glocken\w*|celest\w*|gong|tubular", "bell"),
    (r"pluck\w*|guitar|harp|koto|pizz\w*|banjo", "pluck"),
    (r"marimba|xylophone|vibraphone|mallet|kalimba|percussion", "mallet"),
    (r"flute|wind|pipe|ocarina|whistle|clarinet|oboe", "flute"),
    (r"lead|synth|saw|square", "lead"),
]


def _has(text: str, pattern: str) -> bool:
    return re.search(rf"\b(?:{pattern})\b", text) is not None


def _family(text: str) -> str:
    hits = [(m.start(), name) for pattern, name in FAMILIES if (m := re.search(rf"\b(?:{pattern})\b", text))]
    return min(hits)[1] if hits else "neutral"


def _clip(x: float, low: int = 0, high: int = 99) -> int:
    return int(min(high, max(low, round(x))))


def design(text: str) -> Voice:
    t = " ".join(text.lower().split())
    family = _family(t)
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in TEMPLATES[family].items()}
    voice = Voice.parse(data | {"name": family.replace("_", " ")[:10].upper()})
    d = voice.model_dump()
    carriers = set(ALGORITHMS[voice.algorithm].carriers)
    mods = [f"OP{n}" for n in range(1, 7) if n not in carriers]
    ops = [f"OP{n}" for n in range(1, 7)]
    if _has(t, "bright|brilliant|harsh|buzzy|edgy|crisp|sharp"):
        for k in mods:
            d[k]["output_level"] = _clip(d[k]["output_level"] + 8)
    if _has(t, "dark|mellow|warm|soft|muted|round|dull"):
        for k in mods:
            d[k]["output_level"] = _clip(d[k]["output_level"] - 10)
    if _has(t, "slow attack|swell\\w*|bowed|fade in|soft attack"):
        for k in ops:
            d[k]["eg_rates"][0] = _clip(d[k]["eg_rates"][0] * 0.45)
    if _has(t, "hard attack|percussive|punchy|snappy|plucky|sharp attack"):
        for k in ops:
            d[k]["eg_rates"][0] = 99
    if _has(t, "long|sustained|sustaining|lingering|ringing|long decay"):
        for k in ops:
            d[k]["eg_rates"][1] = _clip(d[k]["eg_rates"][1] * 0.6)
            d[k]["eg_rates"][2] = _clip(d[k]["eg_rates"][2] * 0.6)
    if _has(t, "short|staccato|tight|dry|clipped|quick decay"):
        for k in ops:
            d[k]["eg_rates"][1] = _clip(d[k]["eg_rates"][1] * 1.4 + 10)
            d[k]["eg_rates"][2] = _clip(d[k]["eg_rates"][2] * 1.4 + 10)
            d[k]["eg_levels"][2] = _clip(d[k]["eg_levels"][2] * 0.5)
    if _has(t, "long release|tail|reverberant|fading"):
        for k in ops:
            d[k]["eg_rates"][3] = _clip(d[k]["eg_rates"][3] * 0.5)
    if _has(t, "metallic|inharmonic|clangy|glassy|digital"):
        for k in mods:
            d[k]["fine"] = _clip(d[k]["fine"] + 41)
    if _has(t, "chorus\\w*|detuned|wide|thick|lush"):
        for i, k in enumerate(ops):
            d[k]["detune"] = (-3, 3, -2, 2, -1, 1)[i]
    if _has(t, "vibrato|wobbl\\w*|vibrant"):
        d["lfo"] |= {"speed": 34, "delay": 40, "pitch_mod_depth": 8, "wave": "sine", "pitch_mod_sens": 3}
    if _has(t, "tremolo|pulsing|throbbing"):
        d["lfo"] |= {"speed": 30, "amp_mod_depth": 40, "wave": "triangle"}
        for k in carriers:
            d[f"OP{k}"]["amp_mod_sens"] = 2
    if _has(t, "high|higher|treble"):
        d["transpose"] = min(24, d["transpose"] + 12)
    if _has(t, "low|deep|lower"):
        d["transpose"] = max(-24, d["transpose"] - 12)
    return Voice.parse(d)
