"""Rule-based brief -> (palette, tempo) for a DJ set when the user names neither.

Tempo, first rule that applies:
1. an explicit tempo in the brief ("122 bpm", "at 122 beats per minute") is
   honoured (outside the mixer's 60-200 BPM it is an error naming the fix);
2. a genre word sets a base tempo (GENRE_BPM; the longest phrase found wins,
   so "deep house" beats "house"), and energy words nudge it by ENERGY_NUDGE
   each way ("driving" +4, "laid-back" -4), clamped to 60-200;
3. otherwise the palette's own tempo.

Palette: mood words vote bright ("sunny", "euphoric", "beach", ...) or dark
("dark", "warehouse", "hypnotic", ...). Curated palettes record how bright
their reference sounds (`centroid_hz`, written by screening); sorted from
darkest to brightest, the share of bright votes picks the position (all dark:
the darkest; all bright: the brightest; even: the middle, darker side).
No mood word, or palettes without `centroid_hz`: the first palette, as before.

Deterministic: same brief and palettes, same choice. Every choice carries the
words that made it, recorded in the run's trajectory header and summary.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from tools.errors import ConfigError
from tools.mixer.session import BPM_RANGE

MAPPER_NAME = "rule-based (reference.brief_mapper)"
ENERGY_NUDGE = 4.0

GENRE_BPM: dict[str, float] = {
    "deep house": 120, "afro house": 122, "tech house": 125, "progressive house": 124, "house": 124,
    "melodic techno": 124, "dub techno": 118, "minimal": 125, "hard techno": 145, "industrial techno": 140,
    "acid techno": 132, "acid": 130, "techno": 130, "schranz": 150, "electro": 128, "trance": 138,
    "psytrance": 142, "uk garage": 132, "garage": 132, "breakbeat": 130, "breaks": 130, "disco": 118,
    "nu disco": 118, "balearic": 112, "downtempo": 100, "lofi": 90, "lo-fi": 90, "trip hop": 92,
    "ambient": 95, "dubstep": 140, "drum and bass": 172, "dnb": 172, "jungle": 170, "gabber": 180,
    "hardcore": 170, "footwork": 160,
}
FASTER = ("driving", "peak time", "peak-time", "relentless", "pounding", "energetic", "frantic", "rave",
          "hard", "fast", "high energy", "banging")
SLOWER = ("laid back", "laid-back", "chill", "chilled", "mellow", "lazy", "relaxed", "slow", "sunset",
          "dreamy", "gentle", "easy")
BRIGHT = ("sunny", "sun", "sunshine", "summer", "beach", "euphoric", "uplifting", "happy", "joyful", "bright",
          "golden", "sunrise", "festival", "playful", "airy", "sparkling", "morning", "daytime", "warm",
          "colourful", "colorful", "shimmering", "tropical")
DARK = ("dark", "warehouse", "industrial", "night", "midnight", "underground", "berlin", "basement",
        "gritty", "heavy", "sinister", "menacing", "hypnotic", "moody", "cold", "tunnel", "raw", "murky",
        "brooding", "ominous", "bunker", "grim", "noir")
EXPLICIT = re.compile(r"\b(\d{2,3}(?:\.\d+)?)\s*-?\s*(?:bpm|beats\s+per\s+minute)\b")


def _words(phrases) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)  # longest first: "deep house" before "house"
    return re.compile(r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered) + r")\b")


_GENRE, _FASTER, _SLOWER = _words(GENRE_BPM), _words(FASTER), _words(SLOWER)
_BRIGHT, _DARK = _words(BRIGHT), _words(DARK)


@dataclass(frozen=True)
class BriefChoice:
    """What the brief decided: palette file, tempo (None: the palette's), and why (a JSON-able record)."""

    palette: Path
    bpm: float | None
    record: dict


def tempo_from_brief(text: str) -> tuple[float | None, str]:
    """(BPM or None, why) from the brief alone (see the module docstring)."""
    low = text.lower()
    explicit = EXPLICIT.search(low)
    if explicit:
        bpm = float(explicit.group(1))
        if not BPM_RANGE[0] <= bpm <= BPM_RANGE[1]:
            raise ConfigError(
                f"the brief asks for {bpm:g} BPM; the mixer plays {BPM_RANGE[0]:g} to {BPM_RANGE[1]:g} BPM: "
                "change the tempo in the brief or pass --bpm"
            )
        return bpm, f"the brief says {explicit.group(0)!r}"
    genres = _GENRE.findall(low)
    if not genres:
        return None, "no tempo or genre word in the brief: the palette's own tempo"
    genre = " ".join(max(genres, key=len).split())
    rest = _GENRE.sub(" ", low)  # "hard techno" is a genre, not also an energy word
    faster, slower = _FASTER.findall(rest), _SLOWER.findall(rest)
    nudge = ENERGY_NUDGE * (bool(faster) - bool(slower))
    bpm = float(min(max(GENRE_BPM[genre] + nudge, BPM_RANGE[0]), BPM_RANGE[1]))
    why = f"genre {genre!r} ({GENRE_BPM[genre]:g} BPM)"
    if nudge:
        why += f", {'+' if nudge > 0 else '-'}{abs(nudge):g} for {(faster or slower)[0]!r}"
    return bpm, why


def _brightness(path: Path) -> float | None:
    try:
        value = json.loads(path.read_text()).get("scores", {}).get("centroid_hz")
    except (OSError, ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, (int, float)) else None


def palette_from_brief(text: str, palettes: list[Path]) -> tuple[Path, str]:
    """(palette, why): the brief's bright/dark vote picks a position among palettes sorted dark -> bright."""
    if not palettes:
        raise ConfigError("no curated palette to choose from in palettes/curated/; pass --palette FILE")
    low = text.lower()
    bright, dark = _BRIGHT.findall(low), _DARK.findall(low)
    if not bright and not dark:
        return palettes[0], "no mood word (bright or dark) in the brief: the first curated palette"
    levels = {path: _brightness(path) for path in palettes}
    if any(level is None for level in levels.values()):
        return palettes[0], "the curated palettes record no brightness (centroid_hz): the first curated palette"
    ordered = sorted(palettes, key=lambda p: (levels[p], p.name))
    share = len(bright) / (len(bright) + len(dark))
    index = int(share * (len(ordered) - 1) + 0.5) if share != 0.5 else (len(ordered) - 1) // 2
    chosen = ordered[index]
    words = ", ".join(repr(w) for w in [*bright, *dark])
    rank = f"{index + 1} of {len(ordered)} from darkest (reference centroid {levels[chosen]:.0f} Hz)"
    return chosen, f"mood words {words}: {len(bright)} bright, {len(dark)} dark -> brightness rank {rank}"


def choose(text: str, palettes: list[Path], palette: Path | None = None, bpm: float | None = None) -> BriefChoice:
    """Fill in what the user did not give (`palette`, `bpm`) from the brief; record why."""
    if palette is None:
        palette, palette_why = palette_from_brief(text, palettes)
    else:
        palette_why = "given (--palette)"
    if bpm is None:
        bpm, bpm_why = tempo_from_brief(text)
    else:
        bpm_why = "given (--bpm)"
    record = {
        "mapper": MAPPER_NAME,
        "palette": {"path": str(palette), "why": palette_why},
        "bpm": {"value": bpm, "why": bpm_why},
    }
    return BriefChoice(palette, bpm, record)
