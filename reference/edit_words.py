"""The word tables of the rule-based refiner (`reference.refiner`): studio words, verbs and modifiers.

Adjectives and scene words are read by the project's one reader; these tables
hold what an edit instruction says that a vibe does not: nouns that name a
part of the sound ("the reverb", "the highs"), verbs that move it ("tame the
transients", "slow it down"), and how strongly ("much", "a touch"). Tuned on
the dev set `optimize/data/edits/dev-v1.jsonl`, never on the held-out set.
"""

from __future__ import annotations

# Nouns naming a part of the sound: word -> (field, +1). "More reverb" moves space up, "tame the transients" attack down.
NOUNS: dict[str, tuple[str, int]] = {
    **dict.fromkeys(("tempo", "pace", "speed", "energy", "bpm"), ("tempo", 1)),
    **dict.fromkeys(("reverb", "space", "room", "tail", "tails", "ambience", "hall", "verb"), ("space", 1)),
    **dict.fromkeys(("echo", "echoes", "delay", "delays", "repeats", "feedback"), ("echo", 1)),
    **dict.fromkeys(("stereo", "width", "image", "speakers", "spread", "panning"), ("stereo", 1)),
    **dict.fromkeys(("layers", "layer", "parts", "part", "instruments", "voices", "arrangement", "density", "elements"),
                    ("density", 1)),
    **dict.fromkeys(("attack", "attacks", "transients", "transient", "hits", "punch", "bite", "snap"), ("attack", 1)),
    **dict.fromkeys(("timing", "swing", "looseness", "humanisation", "humanization", "sloppiness"), ("human", 1)),
    **dict.fromkeys(("grit", "distortion", "saturation", "dirt", "crunch", "fuzz", "drive", "grain"), ("grain", 1)),
    **dict.fromkeys(("highs", "treble", "top", "air", "sparkle", "brightness", "shine", "brilliance"), ("brightness", 1)),
    **dict.fromkeys(("drums", "percussion", "beat", "beats", "kit", "groove", "rhythm"), ("rhythm", 1)),
    **dict.fromkeys(("movement", "motion", "evolution", "modulation", "variation", "mod"), ("motion", 1)),
    "evolving": ("motion", 1),
    # studio shorthand: "verb +2", "dly -1", "atk -1", "sat +1", "tone -1", "mood -1"
    "rev": ("space", 1), "dly": ("echo", 1), "atk": ("attack", 1), "sat": ("grain", 1), "tone": ("brightness", 1),
    "mood": ("mode", 1), "human": ("human", 1), "feel": ("human", 1),
}
# Comparatives and adjectives whose base word the reader would misread in an edit: word -> (field, direction).
ADJECTIVES: dict[str, tuple[str, int]] = {
    "wet": ("space", 1), "wetter": ("space", 1), "drier": ("space", -1), "dryer": ("space", -1),
    "roomier": ("space", 1), "bigger": ("space", 1), "smaller": ("space", -1), "closer": ("space", -1),
    "farther": ("space", 1), "further": ("space", 1), "longer": ("space", 1), "shorter": ("space", -1),
    "tighter": ("human", -1), "looser": ("human", 1), "sloppier": ("human", 1), "stiffer": ("human", -1),
    "swingier": ("human", 1), "swung": ("human", 1),
    "punchier": ("attack", 1), "snappier": ("attack", 1), "crisper": ("attack", 1), "sharper": ("attack", 1),
    "smoother": ("attack", -1), "rounder": ("attack", -1), "harder": ("attack", 1),
    "busier": ("density", 1), "fuller": ("density", 1), "thicker": ("density", 1), "thinner": ("density", -1),
    "emptier": ("density", -1), "simpler": ("density", -1), "leaner": ("density", -1), "richer": ("density", 1),
    "wider": ("stereo", 1), "narrower": ("stereo", -1),
    "stiller": ("motion", -1), "still": ("motion", -1), "steadier": ("motion", -1),
    "lively": ("tempo", 1), "livelier": ("tempo", 1),
    "muddy": ("brightness", -1), "muddier": ("brightness", -1), "warmer": ("brightness", -1),
    "airy": ("brightness", 1), "airier": ("brightness", 1), "sparklier": ("brightness", 1),
    "higher": ("brightness", 1), "lower": ("brightness", -1), "deeper": ("brightness", -1),
    "dirtier": ("grain", 1), "grittier": ("grain", 1), "cleaner": ("grain", -1), "crunchier": ("grain", 1),
}
# Verbs that move their own field: "slow it down", "speed up", "tighten the timing", "thin it out".
SELF_VERBS: dict[str, tuple[str, int]] = {
    "slow": ("tempo", -1), "speed": ("tempo", 1), "hurry": ("tempo", 1), "calm": ("tempo", -1),
    "cheer": ("mode", 1), "brighten": ("brightness", 1), "darken": ("brightness", -1), "dim": ("brightness", -1),
    "tighten": ("human", -1), "loosen": ("human", 1), "smear": ("human", 1), "quantise": ("human", -1),
    "quantize": ("human", -1), "soften": ("attack", -1), "sharpen": ("attack", 1),
    "thicken": ("density", 1), "thin": ("density", -1), "fill": ("density", 1),
    "widen": ("stereo", 1), "narrow": ("stereo", -1), "spread": ("stereo", 1),
    "dirty": ("grain", 1), "roughen": ("grain", 1), "dry": ("space", -1), "evolve": ("motion", 1),
}
# Self verbs that are adjectives too ("bone dry", "slow"): verbs only when "it", "up", "the"... follows.
VERB_OR_ADJECTIVE = frozenset({"slow", "calm", "dim", "thin", "narrow", "spread", "dirty", "dry", "fill"})
VERB_FOLLOWERS = frozenset({"it", "up", "down", "out", "off", "things", "everything", "the", "this"})
# Verbs that move the noun they act on: "tame the transients" (-), "push the pace" (+).
VERB_SIGNS: dict[str, int] = {
    "edge": -1,  # "take the edge off the highs"
    "drop": -1, "ease": -1, "pull": -1, "tuck": -1, "tame": -1, "roll": -1, "pare": -1, "dial": -1, "rein": -1,
    "shorten": -1, "trim": -1, "lower": -1, "reduce": -1, "decrease": -1, "cut": -1, "soften": -1, "calm": -1,
    "push": 1, "open": 1, "boost": 1, "raise": 1, "increase": 1, "lengthen": 1, "extend": 1, "pump": 1,
    "thicken": 1, "widen": 1, "spread": 1, "stretch": 1, "crank": 1,
}
# Words after a noun or verb that say which way: "the reverb way back", "bring the drums forward".
POSTFIX = {"up": 1, "down": -1, "back": -1, "forward": 1, "off": -1, "in": -1, "out": 1}
# Verbs that remove a part: "drop the bells", "kill the percussion", "turn off depth".
REMOVE = frozenset({"drop", "remove", "mute", "kill", "lose", "strip", "delete", "ditch", "scrap", "eliminate", "omit",
                    "without", "no", "zero", "nix", "bin", "silence", "stop", "cut"})
# Removal verbs that only remove named sounds: "cut the hats" removes them, "cut the reverb" is one step less.
NAMED_ONLY = frozenset({"cut"})
# "take the bells out", "get the reverb out of there": a verb whose particle may come after its object.
OUT_VERBS = frozenset({"take", "get", "pull", "strip", "cut", "leave"})
# Fields a removal sets, and to what.
REMOVED = {"rhythm": "none", "texture": "none", "accent": "none", "echo": "none", "space": "dry", "depth": False,
           "motion": "static", "grain": "clean"}
NAMED_SOUNDS = frozenset({"bass", "pad", "melody", "rhythm", "texture", "accent"})  # fields whose values are sounds
SWITCH = {"on": True, "off": False, "0": False, "none": False}  # "depth on", "drums off", "echo 0"
# The noun of each removable field: "mute the accents", "no texture".
FIELD_NOUNS = {**dict.fromkeys(("accent", "accents"), "accent"), **dict.fromkeys(("texture", "textures"), "texture"),
               "depth": "depth", "sub": "depth"}
MORE = frozenset({"more", "extra", "additional", "increase", "raise", "boost", "add", "another"})
LESS = frozenset({"less", "fewer", "reduce", "lower", "decrease", "cut"})
AWAY = (("shouldn't", "be", "this"), ("shouldn't", "be", "so"), ("shouldnt", "be", "this"), ("not", "so"), ("not", "as"),
        ("not", "that"), ("too",), ("overly",))  # "too bright": less bright
STRONG = frozenset({"much", "lot", "way", "far", "lots", "considerably", "significantly", "massively", "loads",
                    "heaps", "drastically", "dramatically", "hugely", "tons", "greatly"})
MODIFIERS = STRONG | {"a", "bit", "little", "touch", "tad", "slightly", "somewhat", "even", "marginally", "just",
                      "ever", "so", "notch", "hair", "smidge"}
SKIP = frozenset({"the", "a", "an", "some", "of", "its", "it", "on", "bit", "little", "much", "many", "them", "this",
                  "that", "all", "those", "these", "your", "my"})
NEGATED = frozenset({"no", "not", "never", "without", "don't", "dont", "nothing"})
KEEP = frozenset({"keep", "leave", "retain", "preserve", "maintain"})  # "leave the drums": nothing to change there
FILLER = frozenset({"make", "please", "can", "could", "would", "keep", "everything", "else", "same", "now", "get", "let",
                    "take", "turn", "bring", "notch", "step", "level", "add", "put", "give", "change", "set", "key",
                    "tone", "dial", "want", "use", "go", "gear", "mix", "sound", "whole", "thing", "bit", "any"})
