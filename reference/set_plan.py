"""Set plans: a few musical knobs that lay out a point of the arrangement space.

A `SetPlan` says how long the set is, how long each mix holds (`hold` bars),
how much it changes in the peak (`variation`), how bright its top end is
(`highs`: hats, open hat and lead in or out, and how loud), how busy its drums
are (`percussion`), how many layers the peak carries (`density`), how hard it
hits (`energy`: kick, bass and clap levels), how much room the pad gets
(`space`), where the breakdown sits (`breakdown_at`, a share of the set) and
how big the drop after it is (`drop`: a longer breakdown, an impact, more bass
and, unless the set is dark, the lead on the way back). `lay_out(plan, roles, loops)` turns the knobs
into an `Arrangement`: intro, build (one layer per hold), peak, breakdown,
drop, strip and outro, at the guardrails' phase boundaries and under their
layer caps, with the palette's roles only. Deterministic: the same plan and
roles give the same point.
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from reference.arrangement_space import Arrangement, LayerSetting, Section
from tools.mixer.guardrails import DEFAULT_ARC_PHASES, DEFAULT_GAIN_CAPS
from tools.mixer.session import BPM_RANGE

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
HOLDS = (2, 4, 8, 16, 32)
ENTRY_ORDER = ("kick", "hihat", "bassline", "perc", "clap", "texture", "synth", "openhat")
IMPACT = [1.0] + [0.0] * 15  # one hit on the downbeat of the drop
BUILD_END, PEAK_CAP = DEFAULT_ARC_PHASES[1][0], DEFAULT_ARC_PHASES[2][1]
STRIP_START, OUTRO_START = DEFAULT_ARC_PHASES[2][0], DEFAULT_ARC_PHASES[3][0]


class SetPlan(BaseModel):
    """The knobs of a set (see the module docstring); the defaults are a middle-of-the-road techno set."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    palette: str | None = None
    bpm: Annotated[float, Field(ge=BPM_RANGE[0], le=BPM_RANGE[1])] | None = None
    bars: Annotated[int, Field(ge=1, le=512)] = 64
    hold: Annotated[int, Field(ge=1, le=64)] = 8
    variation: Unit = 0.5
    highs: Unit = 0.5
    percussion: Unit = 0.5
    density: Unit = 0.5
    energy: Unit = 0.5
    space: Unit = 0.5
    breakdown_at: Annotated[float, Field(ge=0.4, le=0.75)] = 0.56
    drop: Unit = 0.5


def _gain(role: str, value: float) -> float:
    return round(min(max(value, 0.05), DEFAULT_GAIN_CAPS[role]), 3)


def gains(plan: SetPlan) -> dict[str, float]:
    """Each role's level in the groove (within the guardrail caps)."""
    return {
        "kick": _gain("kick", 0.62 + 0.26 * plan.energy),
        "hihat": _gain("hihat", 0.38 + 0.32 * plan.highs),
        "openhat": _gain("openhat", 0.25 + 0.3 * plan.highs),
        "bassline": _gain("bassline", 0.48 + 0.16 * plan.energy),
        "perc": _gain("perc", 0.3 + 0.3 * plan.percussion),
        "clap": _gain("clap", 0.36 + 0.24 * plan.energy),
        "texture": _gain("texture", 0.3 + 0.25 * plan.space),
        "synth": _gain("synth", 0.22 + 0.28 * plan.highs),
        "fx": _gain("fx", 0.45),
    }


def peak_roles(plan: SetPlan, roles: set[str]) -> list[str]:
    """The layers of the peak, in the order they enter."""
    wanted = {
        "kick": True,
        "hihat": plan.highs >= 0.15,
        "bassline": True,
        "perc": plan.percussion >= 0.3,
        "clap": plan.percussion >= 0.45 or plan.energy >= 0.65,
        "texture": plan.space >= 0.35 or plan.density >= 0.6,
        "synth": plan.highs >= 0.55,
        "openhat": plan.highs >= 0.65 and plan.percussion >= 0.5,
    }
    order = list(ENTRY_ORDER)
    if plan.highs >= 0.7:  # a bright set's lead comes in early, right after the bass
        order.remove("synth")
        order.insert(order.index("bassline") + 1, "synth")
    chosen = [role for role in order if wanted[role] and role in roles]
    count = min(PEAK_CAP, max(2, round(3 + 3 * plan.density)))
    return chosen[:count]


def patterns(plan: SetPlan) -> tuple[dict[str, str], dict[str, str]]:
    """(main, alternate) patterns of the one-shot roles; the peak swings between them when it varies."""
    perc = ("syncopated_a", "gallop", "tresillo")[min(2, int(plan.percussion * 3))]
    hats = "sixteenth_drive" if plan.percussion >= 0.75 else "offbeat_8ths"
    main = {"kick": "four_on_floor", "hihat": hats, "perc": perc, "clap": "backbeat", "openhat": "offbeat_8ths",
            "synth": "sparse_accent"}
    alternate = {**main, "hihat": "offbeat_16ths" if hats == "sixteenth_drive" else "sixteenth_drive",
                 "perc": "syncopated_b" if perc != "syncopated_b" else "gallop", "clap": "backbeat"}
    return main, alternate


def _chunks(start: int, end: int, hold: int) -> list[tuple[int, int]]:
    return [(bar, min(bar + hold, end)) for bar in range(start, end, hold)]


class _Builder:
    def __init__(self, plan: SetPlan, loops: set[str]) -> None:
        self.plan, self.loops = plan, loops
        self.levels = gains(plan)
        self.sections: list[Section] = []

    def layer(self, role: str, pattern: str | list[float] | None, gain: float | None = None) -> LayerSetting:
        level = self.levels[role] if gain is None else _gain(role, gain)
        return LayerSetting(gain=level, pattern=None if role in self.loops else pattern)

    def mix(self, roles: list[str], pats: dict[str, str], boost: dict[str, float] | None = None) -> dict:
        boost = boost or {}
        return {role: self.layer(role, pats.get(role), boost.get(role)) for role in roles}

    def add(self, bars: int, layers: dict, breakdown: bool = False) -> None:
        if bars > 0:
            self.sections.append(Section(bars=bars, layers=layers, breakdown=breakdown))


def lay_out(plan: SetPlan, roles: set[str], loops: set[str]) -> Arrangement:
    """The point the plan describes for a palette with `roles` (`loops`: those that play loop samples)."""
    b = _Builder(plan, loops)
    main, alternate = patterns(plan)
    peak = peak_roles(plan, roles)
    total, hold = plan.bars, plan.hold
    build_start = max(1, round(total * DEFAULT_ARC_PHASES[0][0])) if total >= 4 else 0
    peak_start = max(build_start, round(total * BUILD_END))
    down_bars = max(1, round(total * (0.05 + 0.08 * plan.drop))) if total >= 16 else 0
    down_start = max(peak_start, round(total * plan.breakdown_at))
    drop_start = min(down_start + down_bars, total)
    strip_start = max(drop_start, round(total * STRIP_START))
    outro_start = max(strip_start, round(total * OUTRO_START))

    intro = peak[:2] if plan.highs >= 0.35 else peak[:1]
    b.add(build_start, b.mix(intro, main))
    steps = _chunks(build_start, peak_start, hold)
    for index, (start, end) in enumerate(steps):  # one more layer per hold until the peak's layers are in
        share = len(intro) + math.ceil((len(peak) - len(intro)) * (index + 1) / len(steps))
        b.add(end - start, b.mix(peak[:share], main))
    swings = max(1, round(plan.variation * 4))  # how many of every four holds swing to the alternate patterns
    for index, (start, end) in enumerate(_chunks(peak_start, down_start, hold)):
        swing = plan.variation >= 0.2 and index % 4 < swings and index % 2 == 1
        b.add(end - start, b.mix(peak, alternate if swing else main))
    carry = [role for role in ("bassline", "texture", "synth") if role in roles and (role in peak or role == "texture")]
    b.add(drop_start - down_start, b.mix(carry or peak, main), breakdown=True)
    big = plan.drop >= 0.6
    lead = big and plan.highs >= 0.4 and "synth" in roles and "synth" not in peak  # dark sets stay without a lead
    back = peak + (["synth"] if lead else [])
    back = back[:PEAK_CAP]
    boost = {"bassline": b.levels["bassline"] + 0.1 * plan.drop, "kick": b.levels["kick"] + 0.08 * plan.drop}
    drop_mix = b.mix(back, main, boost)
    if big and "fx" in roles and strip_start - drop_start >= 2:
        under_cap = dict(list(drop_mix.items())[: PEAK_CAP - 1])  # room for the impact under the layer cap
        b.add(1, {**under_cap, "fx": b.layer("fx", IMPACT)})
        drop_start += 1
    for index, (start, end) in enumerate(_chunks(drop_start, strip_start, hold)):
        swing = plan.variation >= 0.5 and index % 2 == 1
        b.add(end - start, b.mix(back, alternate if swing else main, boost))
    stripped = [role for role in peak if role not in ("clap", "synth", "openhat")][:4]
    b.add(outro_start - strip_start, b.mix(stripped, main))
    outro = [role for role in ("kick", "hihat", "texture") if role in roles and (role in peak or role == "texture")][:3]
    b.add(total - outro_start, b.mix(outro or peak[:1], main))
    return Arrangement(palette=plan.palette, bpm=plan.bpm, sections=b.sections)
