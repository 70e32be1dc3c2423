"""The reference policy's rules: a brief -> a set plan, read through the one reader.

Palette and tempo come from `reference.brief_mapper` (mood words pick a
palette from dark to bright; a stated tempo or a genre sets the BPM). The
rest of the plan comes from the reader's axes (`aesthetics.dj.reading`:
energy, brightness, pace, density, percussion, space, valence, and the
DJ-only `variation`), each as `level` = target pulled to the middle by how
unsure the reading is:

- darker brief -> fewer and quieter highs (`highs` = brightness level): no lead
  or open hat, softer hats, and a dark set can lose its hats in the intro;
- "hypnotic" (low variation) -> longer holds (16 or 32 bars) and no pattern
  swings in the peak; "varied" -> 4-bar holds and swings;
- "driving" / drums -> busier percussion (`percussion` from the percussion and
  energy levels): busier perc patterns, clap, sixteenth hats;
- dense / sparse -> more or fewer layers in the peak; a spacious brief -> pad up;
- "euphoric" (high energy and valence) -> a bigger drop: a longer breakdown,
  an impact on the drop, the lead and more bass on the way back.

Every rule and what it read is recorded (`explain`), for the trajectory header.
"""

from __future__ import annotations

from aesthetics.dj.reading import level, read_set
from reference.set_plan import SetPlan


def _unit(value: float) -> float:
    return min(1.0, max(0.0, value))


def _hold(variation: float) -> int:
    """Bars per mix: long holds for a hypnotic brief, short ones for a varied one."""
    if variation < 0.25:
        return 32
    if variation < 0.42:
        return 16
    if variation < 0.6:
        return 8
    return 4


def plan_from_brief(brief: str, bars: int, palette: str | None = None, bpm: float | None = None) -> SetPlan:
    """The plan the rules make of a brief (palette and bpm as already chosen for the run)."""
    axes = read_set(brief)
    lv = {name: level(reading) for name, reading in axes.items()}
    energy, valence = lv["energy"], lv["valence"]
    variation = lv["variation"]
    return SetPlan(
        palette=palette,
        bpm=bpm,
        bars=bars,
        hold=_hold(variation),
        variation=round(variation, 4),
        highs=round(lv["brightness"], 4),
        percussion=round(_unit(0.7 * lv["percussion"] + 0.3 * energy + 0.25 * (lv["pace"] - 0.5)), 4),
        density=round(lv["density"], 4),
        energy=round(energy, 4),
        space=round(lv["space"], 4),
        breakdown_at=round(0.56 + 0.12 * (0.5 - variation) * 0.5, 4),
        drop=round(_unit(0.5 + 0.6 * (energy - 0.5) + 0.6 * (valence - 0.5)), 4),
    )


def explain(brief: str) -> dict:
    """What the rules read from the brief: each axis's target, confidence and sources."""
    return {name: {"target": round(r.target, 4), "confidence": round(r.confidence, 4), "sources": list(r.sources)}
            for name, r in read_set(brief).items() if r.confidence > 0}
