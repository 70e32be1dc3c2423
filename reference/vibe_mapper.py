"""Rule-based vibe -> MusicConfig mapper: the embedded default when no LM is configured.

It reads the text with the project's one reader (`aesthetics.vibe.reader`) and
turns the reading into a config, with no LM:

1. values the text names (keys, bpm, "no drums", "presto", "mono") are used as named;
2. values implied by its scenes, feelings and activities (literally or through
   a similar word) win by their summed confidence (ties go to the earlier phrase);
3. ordinal fields nothing voted for follow their axis (tempo <- pace, brightness,
   space, density, stereo <- width; mode <- valence, grain <- grit, rhythm <-
   percussion) when the reader is at least AXIS_CONFIDENCE sure of it from more
   than the MiniLM anchors (they fill the judge's targets, too vague to set a field);
4. the rest keeps the neutral default below. Unknown text maps to exactly NEUTRAL.

When the text names no key, the root follows its mood:
`MOOD_ROOTS[mode][brightness]` (darker vibes sit on lower, flatter roots,
brighter ones on sharper keys; major at medium brightness is C, so the
neutral default stays C major). When the text names a layer's style but
names no density, density is raised until that layer sounds (the
engine plays only the first `density` layers), so "rain" is heard.

Deterministic: same text, same config.
"""

from __future__ import annotations

from aesthetics.vibe.reader import ORDINAL, Reading, nearest_value, read
from tools.ambient.controls import LAYER_ORDER
from tools.schema import MusicConfig

MAPPER_NAME = "rule-based (reference.vibe_mapper)"

# The documented neutral default: calm, mid-bright, lightly spacious ambient in C major.
NEUTRAL: dict[str, object] = {
    "tempo": "slow",
    "root": "c",
    "mode": "major",
    "brightness": "medium",
    "space": "medium",
    "density": 4,
    "bass": "sustained",
    "pad": "warm_slow",
    "melody": "contemplative",
    "rhythm": "none",
    "texture": "shimmer_slow",
    "accent": "none",
    "motion": "slow",
    "attack": "soft",
    "stereo": "medium",
    "depth": False,
    "echo": "subtle",
    "human": "natural",
    "grain": "clean",
}
AXIS_CONFIDENCE = 0.2
SOFT_SOURCES = {"anchors", "probe"}  # they fill the judge's targets; a field is set only from what the text says
# The root when the text names no key: by mode, then brightness (very_dark .. very_bright).
MOOD_ROOTS: dict[str, dict[str, str]] = {
    "major": {"very_dark": "f", "dark": "a#", "medium": "c", "bright": "g", "very_bright": "d"},
    "minor": {"very_dark": "c#", "dark": "d", "medium": "a", "bright": "e", "very_bright": "b"},
    "dorian": {"very_dark": "c", "dark": "d", "medium": "g", "bright": "a", "very_bright": "e"},
    "mixolydian": {"very_dark": "f", "dark": "a#", "medium": "g", "bright": "d", "very_bright": "a"},
}


def matched_terms(text: str) -> list[str]:
    """What the reader read in the text, each term once, in the order first read (for sidecars and debugging)."""
    return list(dict.fromkeys(read(text).terms))


def map_vibe(text: str) -> MusicConfig:
    """Deterministic text -> MusicConfig; unknown words leave the NEUTRAL default."""
    return config_from_reading(read(text))


def config_from_reading(reading: Reading) -> MusicConfig:
    """The config a reading implies (see the module docstring for the order of precedence)."""
    config = dict(NEUTRAL)
    voted = set(reading.fields)
    for name, reading_of_field in reading.fields.items():
        config[name] = reading_of_field.value
    for name, (axis, _values) in ORDINAL.items():
        if name not in voted and _committed(reading, axis):
            config[name] = nearest_value(name, reading.axes[axis].target)
    _from_axis(config, voted, reading, "mode", "valence", (0.4, "minor"), (0.6, "major"))
    _from_axis(config, voted, reading, "grain", "grit", (0.3, "clean"), (0.7, "gritty"))
    _from_axis(config, voted, reading, "rhythm", "percussion", (0.3, "none"), (0.7, "kit_medium"))
    if "root" not in voted:
        config["root"] = MOOD_ROOTS[str(config["mode"])][str(config["brightness"])]
    if not (reading.fields.get("density") and reading.fields["density"].explicit):
        config["density"] = _density_to_hear(config, [f for f in LAYER_ORDER if f in voted])
    return MusicConfig.parse(config)


def _committed(reading: Reading, axis: str) -> bool:
    """Sure enough to set a field: AXIS_CONFIDENCE, and more than the soft fillers' guess (the anchors' similarity and
    the probe only fill the judge's targets)."""
    a = reading.axes[axis]
    return a.confidence >= AXIS_CONFIDENCE and not set(a.sources) <= SOFT_SOURCES


def _from_axis(config: dict, voted: set[str], reading: Reading, name: str, axis: str, low: tuple[float, object], high: tuple[float, object]) -> None:
    """A field nothing voted for, from its axis: the low value under low[0], the high one over high[0]."""
    a = reading.axes[axis]
    if name in voted or not _committed(reading, axis):
        return
    if a.target < low[0]:
        config[name] = low[1]
    elif a.target > high[0]:
        config[name] = high[1]


def _density_to_hear(config: dict[str, object], named: list[str]) -> int:
    """The smallest density >= the current one at which every named layer sounds."""
    sounding = [f for f in LAYER_ORDER if config[f] != "none"]
    needed = [sounding.index(f) + 1 for f in named if f in sounding]
    return max([int(config["density"]), *needed])
