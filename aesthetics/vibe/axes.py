"""The perceptual axes of the `vibe` judge: anchor phrases for each pole and the audio descriptor.

Each axis has words a vibe may use for its low and high pole (the text side
places a vibe between them by MiniLM similarity), the audio descriptors that
measure it (the mean of their calibrated ranks) (`aesthetics.vibe.audio`), and the MusicConfig field that drives
it in the ambient instrument (used by validation and tests only; this module
does not import the schema). Anchors are plain-language phrases, the way
people describe music, mixed with the place/time/mood imagery seeds/000
section 3 draws vibes from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Axis:
    name: str
    low: tuple[str, ...]
    high: tuple[str, ...]
    descriptors: tuple[str, ...]  # the axis measures the mean of their calibrated ranks
    field: str  # the MusicConfig field that moves this axis (validation only)


AXES: tuple[Axis, ...] = (
    Axis(
        "pace",
        low=("slow", "slow tempo", "slow and unhurried", "lazy drifting", "falling asleep", "still and patient",
             "a slow walk", "lingering"),
        high=("fast", "fast tempo", "fast and hurried", "racing and rushing", "running", "frantic speed",
              "quick driving beat", "upbeat dance"),
        descriptors=("note_rate", "flux"),
        field="tempo",
    ),
    Axis(
        "energy",
        low=("calm", "peaceful and quiet", "gentle and soft", "relaxed", "serene meditation", "sleepy"),
        high=("energetic", "intense and powerful", "aggressive", "exciting and wild", "epic climax",
              "chaotic rave"),
        descriptors=("flux",),
        field="rhythm",
    ),
    Axis(
        "brightness",
        low=("dark", "dark and murky", "gloomy shadows", "deep night", "muffled", "underground cave"),
        high=("bright", "bright and sparkling", "sunny daylight", "shimmering light", "crisp and airy",
              "glittering"),
        descriptors=("centroid",),
        field="brightness",
    ),
    Axis(
        "space",
        low=("dry and close", "intimate small room", "upfront and direct", "tight closet",
             "close-miked"),
        high=("vast reverb", "huge cathedral", "cavernous echoing hall", "endless open space",
              "spacious and distant", "echoing canyon"),
        descriptors=("decorrelation", "width"),
        field="space",
    ),
    Axis(
        "density",
        low=("sparse", "minimal and empty", "bare and simple", "a few lonely notes", "lots of silence"),
        high=("dense", "busy and layered", "thick wall of sound", "crowded and full", "lush and rich"),
        descriptors=("peaks", "flux"),
        field="density",
    ),
    Axis(
        "valence",
        low=("sad", "melancholic minor key", "sorrowful", "grief and loss", "lonely and mournful",
             "tragic"),
        high=("happy", "joyful major key", "cheerful", "hopeful and uplifting", "playful", "triumphant"),
        descriptors=("third",),
        field="mode",
    ),
    Axis(
        "grit",
        low=("clean", "pure and smooth", "polished pristine sound", "glassy", "soft and silky"),
        high=("gritty", "distorted and dirty", "noisy lo-fi", "crackling static", "rough and harsh",
              "broken corrupted"),
        descriptors=("flatness",),
        field="grain",
    ),
    Axis(
        "percussion",
        low=("no drums", "beatless ambient drone", "floating without rhythm", "sustained pads only",
             "washes of sound"),
        high=("drums and percussion", "driving beat", "techno kick drum", "marching drums",
              "rhythmic groove", "pounding rhythm"),
        descriptors=("transient",),
        field="rhythm",
    ),
    Axis(
        "width",
        low=("mono", "narrow and centred", "small single point", "focused in the middle"),
        high=("wide stereo", "immersive surround", "panoramic", "enveloping all around",
              "expansive stereo field"),
        descriptors=("width",),
        field="stereo",
    ),
    Axis(
        "register",
        low=("low pitched", "deep bass", "rumbling low end", "heavy sub bass", "deep and low"),
        high=("high pitched", "high register", "twinkling high notes", "tiny delicate bells",
              "birdsong", "high and thin"),
        descriptors=("pitch",),
        field="brightness",
    ),
)

AXIS_NAMES: tuple[str, ...] = tuple(axis.name for axis in AXES)
