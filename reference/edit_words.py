"""The word tables of the rule-based refiner (`reference.refiner`): studio words, verbs and modifiers.

Adjectives and scene words are read by the project's one reader; these tables
hold what an edit instruction says that a vibe does not: nouns that name a
part of the sound ("the reverb", "the highs"), verbs that move it ("tame the
transients", "slow it down"), and how strongly ("much", "a touch"). Tuned on
the sets `dev-v1`, `dev-v2` and (each after it was reported) `unseen-v1` to `unseen-v5` in
`optimize/data/edits/`, never on the held-out set of the day (FROZEN.md says which).
"""

from __future__ import annotations

# Nouns naming a part of the sound: word -> (field, +1). "More reverb" moves space up, "tame the transients" attack down.
NOUNS: dict[str, tuple[str, int]] = {
    **dict.fromkeys(("tempo", "pace", "speed", "energy", "bpm"), ("tempo", 1)),
    **dict.fromkeys(("reverb", "space", "room", "tail", "tails", "ambience", "hall", "verb"), ("space", 1)),
    **dict.fromkeys(("echo", "echoes", "delay", "delays", "repeats", "feedback", "trails", "throws"), ("echo", 1)),
    **dict.fromkeys(("stereo", "width", "image", "speakers", "spread", "panning", "widening"), ("stereo", 1)),
    **dict.fromkeys(("chorus", "flanger", "phaser", "tremolo", "leslie", "swirl", "swirling"), ("motion", 1)),
    **dict.fromkeys(
        ("layers", "layer", "parts", "part", "instruments", "voices", "arrangement", "density", "elements", "things", "tracks", "track"),
        ("density", 1),
    ),
    **dict.fromkeys(
        ("attack", "attacks", "transients", "transient", "hits", "punch", "bite", "snap", "onset", "onsets", "beginnings", "starts"), ("attack", 1)
    ),
    **dict.fromkeys(("timing", "swing", "looseness", "humanisation", "humanization", "sloppiness"), ("human", 1)),
    **dict.fromkeys(
        ("grit", "roughness", "distortion", "saturation", "dirt", "crunch", "fuzz", "drive", "grain", "harmonics", "preamp", "saturator"),
        ("grain", 1),
    ),
    **dict.fromkeys(
        ("highs", "treble", "top", "air", "sparkle", "brightness", "shine", "brilliance", "filter", "cutoff", "presence", "sizzle"), ("brightness", 1)
    ),
    **dict.fromkeys(("drums", "percussion", "beat", "beats", "kit", "groove", "rhythm"), ("rhythm", 1)),
    **dict.fromkeys(
        ("movement", "motion", "evolution", "modulation", "variation", "mod", "wobble", "wobbles", "lfo", "lfos", "vibrato", "wobbling"),
        ("motion", 1),
    ),
    "evolving": ("motion", 1),
    # studio shorthand: "verb +2", "dly -1", "atk -1", "sat +1", "tone -1", "mood -1"
    "rev": ("space", 1),
    "dly": ("echo", 1),
    "atk": ("attack", 1),
    "sat": ("grain", 1),
    "tone": ("brightness", 1),
    "mood": ("mode", 1),
    "human": ("human", 1),
    "feel": ("human", 1),
}
# Comparatives and adjectives whose base word the reader would misread in an edit: word -> (field, direction).
ADJECTIVES: dict[str, tuple[str, int]] = {
    "wetter": ("space", 1),
    "drier": ("space", -1),
    "dryer": ("space", -1),
    "roomier": ("space", 1),
    "bigger": ("space", 1),
    "smaller": ("space", -1),
    "closer": ("space", -1),
    "farther": ("space", 1),
    "further": ("space", 1),
    "longer": ("space", 1),
    "shorter": ("space", -1),
    "long": ("space", 1),
    "short": ("space", -1),
    "sharp": ("attack", 1),
    "tighter": ("human", -1),
    "looser": ("human", 1),
    "sloppier": ("human", 1),
    "stiffer": ("human", -1),
    "swingier": ("human", 1),
    "punchier": ("attack", 1),
    "snappier": ("attack", 1),
    "crisper": ("attack", 1),
    "sharper": ("attack", 1),
    "smoother": ("attack", -1),
    "rounder": ("attack", -1),
    "harder": ("attack", 1),
    "busier": ("density", 1),
    "fuller": ("density", 1),
    "thicker": ("density", 1),
    "thinner": ("density", -1),
    "emptier": ("density", -1),
    "simpler": ("density", -1),
    "leaner": ("density", -1),
    "richer": ("density", 1),
    "wider": ("stereo", 1),
    "narrower": ("stereo", -1),
    "stiller": ("motion", -1),
    "still": ("motion", -1),
    "steadier": ("motion", -1),
    "livelier": ("tempo", 1),
    "muddier": ("brightness", -1),
    "warmer": ("brightness", -1),
    "airier": ("brightness", 1),
    "sparklier": ("brightness", 1),
    "higher": ("brightness", 1),
    "lower": ("brightness", -1),
    "deeper": ("brightness", -1),
    "dirtier": ("grain", 1),
    "grittier": ("grain", 1),
    "cleaner": ("grain", -1),
    "crunchier": ("grain", 1),
    "greyer": ("brightness", -1),
    "grayer": ("brightness", -1),
    "straighter": ("human", -1),
    "wobbly": ("motion", 1),
    "wobblier": ("motion", 1),
    "gloomy": ("mode", -1),
    "gloomier": ("mode", -1),
    "tinny": ("brightness", 1),
}
# Quality words that ask for a move even bare: "make the playing feel human" (towards), "it's so stiff" (away).
QUALITIES: dict[str, tuple[str, int]] = {
    **dict.fromkeys(("human", "humanized", "humanised", "swung", "swingy"), ("human", 1)),
    **dict.fromkeys(("stiff", "mechanical", "rigid", "straight"), ("human", -1)),
    **dict.fromkeys(("hard", "jabby", "clicky", "spiky"), ("attack", 1)),
    **dict.fromkeys(("mushy", "smeary", "blurry", "legato"), ("attack", -1)),
    **dict.fromkeys(("frozen", "stuck"), ("motion", -1)),
    **dict.fromkeys(("grey", "gray", "night", "nighttime", "dusk", "twilight", "evening"), ("brightness", -1)),
    **dict.fromkeys(("daylight", "daytime", "sunlight", "sunshine"), ("brightness", 1)),
    **dict.fromkeys(("echoey", "echoy"), ("echo", 1)),
    **dict.fromkeys(("sterile", "clinical"), ("grain", -1)),
    **dict.fromkeys(("lifeless", "static"), ("motion", -1)),
    **dict.fromkeys(("rushes", "rushing", "rushed", "hurrying", "hurried"), ("tempo", 1)),
    **dict.fromkeys(("jittery", "twitchy", "fidgety"), ("motion", 1)),
    **dict.fromkeys(("dragging", "drags", "drag", "sluggish", "plods", "crawls"), ("tempo", -1)),
    "muffly": ("brightness", -1),
    "breathe": ("density", -1),  # "let it breathe": fewer parts, not the breath texture
    "wet": ("space", 1),
    "airy": ("brightness", 1),
    "muddy": ("brightness", -1),
    "lively": ("tempo", 1),
    "chill": ("tempo", -1),
    "chilled": ("tempo", -1),
}
ADJECTIVES.update(QUALITIES)
# Idioms that name a quality: word sequence -> (field, +1/-1), read like a noun ("more room between the parts") or bare.
IDIOMS: dict[tuple[str, ...], tuple[str, int]] = {
    **dict.fromkeys(
        (("on", "the", "grid"), ("a", "machine"), ("a", "robot"), ("a", "metronome"), ("a", "computer"), ("on", "the", "beat"), ("too", "perfect")),
        ("human", -1),
    ),
    **dict.fromkeys(
        (
            ("behind", "the", "beat"),
            ("a", "person"),
            ("a", "human"),
            ("by", "hand"),
            ("real", "players"),
            ("a", "real", "player"),
            ("off", "the", "grid"),
            ("off", "grid"),
        ),
        ("human", 1),
    ),
    **dict.fromkeys(
        (("room", "to", "breathe"), ("breathing", "room"), ("room", "between"), ("space", "between"), ("air", "between")), ("density", -1)
    ),
    **dict.fromkeys((("going", "on"), ("wall", "of", "sound")), ("density", 1)),
    **dict.fromkeys((("left", "and", "right"), ("all", "around")), ("stereo", 1)),
    ("over", "time"): ("motion", 1),
    **dict.fromkeys((("get", "up", "and", "go"), ("oomph",)), ("tempo", 1)),
    ("laid", "back"): ("tempo", -1),
    **dict.fromkeys((("far", "away"), ("in", "the", "distance")), ("space", 1)),
    ("up", "close"): ("space", -1),
    ("high", "end"): ("brightness", 1),
    **dict.fromkeys((("lfo", "depth"), ("mod", "depth"), ("modulation", "depth")), ("motion", 1)),  # not the sub layer
    ("all", "over", "the", "place"): ("human", 1),
    **dict.fromkeys((("stuck", "in", "the", "middle"), ("the", "middle"), ("the", "center"), ("the", "centre")), ("stereo", -1)),
}
# Verbs that move their own field: "slow it down", "speed up", "tighten the timing", "thin it out".
SELF_VERBS: dict[str, tuple[str, int]] = {
    "slow": ("tempo", -1),
    "speed": ("tempo", 1),
    "hurry": ("tempo", 1),
    "calm": ("tempo", -1),
    "cheer": ("mode", 1),
    "brighten": ("brightness", 1),
    "darken": ("brightness", -1),
    "dim": ("brightness", -1),
    "tighten": ("human", -1),
    "loosen": ("human", 1),
    "smear": ("human", 1),
    "quantise": ("human", -1),
    "quantize": ("human", -1),
    "soften": ("attack", -1),
    "sharpen": ("attack", 1),
    "thicken": ("density", 1),
    "thin": ("density", -1),
    "fill": ("density", 1),
    "widen": ("stereo", 1),
    "narrow": ("stereo", -1),
    "spread": ("stereo", 1),
    "dirty": ("grain", 1),
    "roughen": ("grain", 1),
    "rough": ("grain", 1),
    "dry": ("space", -1),
    "evolve": ("motion", 1),
    "tidy": ("human", -1),
    "straighten": ("human", -1),
    "sway": ("human", 1),
    "humanize": ("human", 1),
    "humanise": ("human", 1),
    "strip": ("density", -1),
    "simplify": ("density", -1),
    "declutter": ("density", -1),
    "saturate": ("grain", 1),
    "distort": ("grain", 1),
    "lowpass": ("brightness", -1),
    "highpass": ("brightness", 1),
    "modulate": ("motion", 1),
    "muffle": ("brightness", -1),
}
# Typical tempos of genres, for "a house tempo", "drum and bass tempo", "tempo like a techno track" (read as "N bpm").
GENRE_BPM = {
    "house": 124,
    "techno": 130,
    "trance": 138,
    "dubstep": 140,
    "drum and bass": 174,
    "dnb": 174,
    "jungle": 165,
    "hip hop": 90,
    "boom bap": 90,
    "lofi": 80,
    "lo fi": 80,
    "reggae": 75,
    "dub": 75,
    "ballad": 70,
    "disco": 118,
    "garage": 132,
}
# Verbs that set a value: "freeze the modulation", "bitcrush it", "collapse it to the center", "hard quantize it".
VERB_VALUES = {
    ("freeze",): ("motion", "static"),
    ("bitcrush",): ("grain", "gritty"),
    ("crush",): ("grain", "gritty"),
    ("collapse",): ("stereo", "mono"),
    ("hard", "quantize"): ("human", "robotic"),
    ("hard", "quantise"): ("human", "robotic"),
    # timing with no give at all: "perfectly quantized", "dead on the grid", "lock it to the grid"
    **dict.fromkeys(
        (
            ("perfectly", "quantized"),
            ("perfectly", "quantised"),
            ("perfectly", "on", "time"),
            ("perfectly", "in", "time"),
            ("dead", "on", "the", "grid"),
            ("dead", "quantized"),
            ("dead", "quantised"),
            ("lock", "it", "to", "the", "grid"),
            ("lock", "to", "the", "grid"),
            ("locked", "to", "the", "grid"),
        ),
        ("human", "robotic"),
    ),
    ("right", "in", "the", "middle"): ("stereo", "mono"),
    **dict.fromkeys(
        (("self", "oscillates"), ("self", "oscillating"), ("self", "oscillate")), ("echo", "infinite")
    ),  # a delay fed back into itself never dies away
    **dict.fromkeys((("random", "beeps"), ("random", "little", "beeps"), ("random", "blips"), ("random", "bleeps")), ("accent", "blip_random")),
}
# Self verbs of speed on a part that has a speed of its own: "slow the LFOs", "speed up the modulation".
RATE = {"slow": -1, "speed": 1, "hurry": 1}
RATE_FIELDS = frozenset({"motion"})
# Words after a self verb's object that only say how strongly: "quantize it harder", "tighten it more".
VERB_ADVERBS = frozenset({"harder", "more", "further"})
# Self verbs that are adjectives too ("bone dry", "slow"): verbs only when "it", "up", "the"... follows.
VERB_OR_ADJECTIVE = frozenset({"slow", "calm", "dim", "thin", "narrow", "spread", "dirty", "dry", "fill", "rough"})
VERB_FOLLOWERS = frozenset({"it", "up", "down", "out", "off", "things", "everything", "the", "this"})
# Verbs that move the noun they act on: "tame the transients" (-), "push the pace" (+).
VERB_SIGNS: dict[str, int] = {
    "edge": -1,  # "take the edge off the highs"
    "drop": -1,
    "ease": -1,
    "pull": -1,
    "tuck": -1,
    "tame": -1,
    "roll": -1,
    "pare": -1,
    "dial": -1,
    "rein": -1,
    "shorten": -1,
    "trim": -1,
    "lower": -1,
    "reduce": -1,
    "decrease": -1,
    "cut": -1,
    "soften": -1,
    "calm": -1,
    "back": -1,
    "dull": -1,
    "close": -1,  # "back the echo off", "dull the top end", "close the filter down"
    "push": 1,
    "open": 1,
    "boost": 1,
    "bump": 1,
    "raise": 1,
    "increase": 1,
    "lengthen": 1,
    "extend": 1,
    "pump": 1,
    "thicken": 1,
    "widen": 1,
    "spread": 1,
    "stretch": 1,
    "crank": 1,
    "shrink": -1,
    "slash": -1,
    "polish": -1,  # "polish away the roughness"
    "grow": 1,
}
# Words after a noun or verb that say which way: "the reverb way back", "bring the drums forward".
POSTFIX = {"up": 1, "down": -1, "back": -1, "forward": 1, "off": -1, "in": -1, "out": 1}
# Verbs that act on a pronoun: "tone it down", "dial it back", "bring them up": the part the clause before named
# ("the echo sounds like a stadium; tone it down"), else the energy, so the tempo ("take it down a notch").
PRONOUN_VERBS = frozenset(
    {"take", "bring", "turn", "kick", "ramp", "crank", "tone", "dial", "pull", "knock", "rein", "ease", "push", "pump", "back", "wind"}
)
PRONOUNS = frozenset({"it", "that", "this", "them", "those", "they"})
OF_PART = frozenset({"on", "the", "in", "of", "its", "for", "note", "notes"})  # "a little softer on the (note) attack"
THAT = frozenset({"that", "this"})  # "it sounds muddy; fix that": the description before
THEM = frozenset({"them", "they", "those"})  # "keep the drums but make them calmer": the part named before
# A noun in "feel +1", a verb in "make the space feel bigger"; "tone" names brightness, but "a cleaner tone" is grain.
NOT_A_PART = frozenset({"feel", "tone"})
# Verbs that remove a part: "drop the bells", "kill the percussion", "turn off depth".
REMOVE = frozenset(
    {
        "drop",
        "remove",
        "mute",
        "kill",
        "lose",
        "strip",
        "delete",
        "ditch",
        "scrap",
        "eliminate",
        "omit",
        "bypass",
        "without",
        "no",
        "zero",
        "nix",
        "bin",
        "silence",
        "stop",
        "cut",
        "nothing",
    }
)
# Removals with two words first: "take out the delay", "get rid of the bells".
REMOVE_PAIRS = frozenset({("take", "out"), ("turn", "off"), ("switch", "off"), ("get", "rid"), ("cut", "out"), ("leave", "out"), ("not", "in")})
# Dislikes that ask to remove a sound or have less of a part: "the bells are annoying", "the hiss bugs me".
COMPLAINTS = frozenset(
    {
        "annoying",
        "annoy",
        "annoys",
        "distracting",
        "distract",
        "distracts",
        "irritating",
        "irritate",
        "irritates",
        "grating",
        "bug",
        "bugs",
        "bother",
        "bothers",
        "jarring",
        "intrusive",
        "obnoxious",
        "unbearable",
        "hate",
        "dislike",
        "overpowering",
        "overbearing",
        "overwhelming",
        "nerves",
        "nuts",
        "clash",
        "clashes",
        "clashing",
        "creepy",
        "seasick",
        "dizzy",
        "nauseous",
        "sugary",
        "cheesy",
        "corny",
        "tacky",
        "grate",
        "grates",
        "muddying",
        "drowning",
        "swamping",
        "cluttering",
        "messy",
        "broken",
        "mush",
    }
)
UNFITTING = frozenset({"belong", "belongs", "fit", "fits", "suit", "suits"})  # a dislike when negated: "don't belong here"
TOO_MUCH = ("too", "much")  # at a clause's end, a dislike too: "the reverb is too much"
# "the breath noise has to go", "the bells can go": a part, then a modal and "go".
GO_MODALS = frozenset({"to", "must", "can", "should", "gotta", "could"})
GONE = frozenset({"please", "away", "entirely", "completely", "now"})  # words that may end "... has to go"
# Removal verbs that only remove named sounds: "cut the hats" removes them, "cut the reverb" is one step less.
NAMED_ONLY = frozenset({"cut"})
# "take the bells out", "get the reverb out of there": a verb whose particle may come after its object.
OUT_VERBS = frozenset({"take", "get", "pull", "strip", "cut", "leave"})
OFF_VERBS = frozenset({"turn", "switch", "shut"})  # "turn the delay sends off"
# Fields a removal sets, and to what.
REMOVED = {
    "rhythm": "none",
    "texture": "none",
    "accent": "none",
    "echo": "none",
    "space": "dry",
    "depth": False,
    "motion": "static",
    "grain": "clean",
    "stereo": "mono",
}
NAMED_SOUNDS = frozenset({"bass", "pad", "melody", "rhythm", "texture", "accent"})  # fields whose values are sounds
# Short names of sounds the reader does not read alone: "a tabla groove", "piano notes", "brass stabs".
SOUND_ALIASES = {
    "tabla": ("rhythm", "tabla_essence"),
    "tablas": ("rhythm", "tabla_essence"),
    "hats": ("rhythm", "hats_only"),
    "hihats": ("rhythm", "hats_only"),
    "crackle": ("texture", "vinyl_crackle"),
    "whisper": ("texture", "pad_whisper"),
    "whispers": ("texture", "pad_whisper"),
    "piano": ("accent", "piano_note"),
    "brass": ("accent", "brass_hit"),
    "marching": ("rhythm", "military"),
    "starry": ("texture", "stars"),
    **dict.fromkeys(("beep", "beeps", "beeping", "bleep", "bleeps"), ("accent", "blip")),
    **dict.fromkeys(("crackly", "crackling"), ("texture", "vinyl_crackle")),
    **dict.fromkeys(("whoosh", "whooshing"), ("texture", "noise_wash")),
}
# Other words for a value's word, in "field value" phrases: "switch the bass to an arpeggio", "endless delay".
VALUE_WORDS = {
    "arp": ("arpeggio", "arpeggios", "arpeggiated", "arpeggiator"),
    "infinite": ("endless", "forever", "oscillating", "selfoscillating"),
    "contemplative": ("thoughtful", "pensive", "reflective"),
}
# Other names of a field in "field value" phrases: "arpeggiated lead line" names the melody, "a walking bassline" the bass
# (a part's noun names its field too: "a medium-sized reverb", "subtle delay only", "chaotic modulation").
FIELD_SYNONYMS = {"lead": "melody", "leads": "melody", "tune": "melody", "bassline": "bass", "basslines": "bass"}
# Words that say how much of a part, not which way a field goes: "could the delay be more noticeable?". Said of no part,
# they move nothing.
AMOUNT = {"noticeable": 1, "prominent": 1, "audible": 1, "obvious": 1, "present": 1, "louder": 1, "quieter": -1, "subtler": -1}
# A quality whose sense depends on the part it is said of: "more relaxed timing" is looser, not slower.
ON_PART = {
    ("relaxed", "human"): 1,
    ("lazy", "human"): 1,
    ("slow", "attack"): -1,
    ("fast", "attack"): 1,
    **dict.fromkeys((("longer", "attack"), ("long", "attack"), ("slower", "attack")), -1),
    **dict.fromkeys((("shorter", "attack"), ("short", "attack"), ("faster", "attack")), 1),
    ("gentle", "attack"): -1,
    ("gentler", "attack"): -1,
    ("sudden", "attack"): 1,
    ("suddenly", "attack"): 1,
    **dict.fromkeys((("lengthen", "attack"), ("extend", "attack"), ("stretch", "attack")), -1),
    **dict.fromkeys((("shorten", "attack"), ("trim", "attack")), 1),
}
# Fields whose qualities stay theirs when said of a part: "a tighter groove" is timing, not fewer drums.
OWN_QUALITIES = frozenset({"human"})
# A field the reader reads from the words that name another field's sound: a named bass ("a pulsing sub bass",
# "a sub pulse in the low end") is not a request for the sub layer as well.
PART_OF = {"depth": "bass"}
SWITCH = {"on": True, "off": False, "0": False, "none": False}  # "depth on", "drums off", "echo 0"
# The noun of each removable field: "mute the accents", "no texture".
FIELD_NOUNS = {
    **dict.fromkeys(("accent", "accents"), "accent"),
    **dict.fromkeys(("texture", "textures"), "texture"),
    "depth": "depth",
    "sub": "depth",
}
MORE = frozenset({"more", "extra", "additional", "increase", "raise", "boost", "add", "another", "give"})
ADDING = frozenset({"add", "another", "give"})  # name a part or a quality, not a value: "add bells" is read as absolute
LESS = frozenset({"less", "fewer", "reduce", "lower", "decrease", "cut"})
AWAY = frozenset({"too", "overly"})  # "too bright": less bright
DEGREE = frozenset({"so", "as", "that", "this", "such"})  # after a negation, away too: "not so fast", "don't keep it so narrow"
# Ends of a field: "as wide as it can go", "max reverb", "minimum brightness".
EXTREMES = {"max": 1, "maximum": 1, "minimum": -1}
# ... and after the part: "reverb to max", "cutoff maxed", "brightness all the way down" (+1: the top, -1: the bottom).
EXTREME_TAILS = {
    ("to", "max"): 1,
    ("to", "the", "max"): 1,
    ("at", "max"): 1,
    ("to", "maximum"): 1,
    ("maxed",): 1,
    ("maxed", "out"): 1,
    ("all", "the", "way", "up"): 1,
    ("to", "minimum"): -1,
    ("to", "min"): -1,
    ("to", "zero"): -1,
    ("all", "the", "way", "down"): -1,
}
AS_FAR = frozenset({"it", "can", "could", "possibly", "get", "gets", "go", "goes", "be", "possible", "you", "we", "will"})
# "two clicks narrower", "a couple of notches down": two steps.
TWO = frozenset({"two", "2", "couple"})
STEP_WORDS = frozenset({"notch", "notches", "step", "steps", "click", "clicks", "stop", "stops", "tick", "ticks", "level", "levels"})
LAYER_UNITS = frozenset({"layer", "layers"})  # "two more layers": two steps of density (and "two layers" sets it)
STRONG = frozenset(
    {
        "much",
        "lot",
        "way",
        "far",
        "lots",
        "considerably",
        "significantly",
        "massively",
        "loads",
        "heaps",
        "drastically",
        "dramatically",
        "hugely",
        "tons",
        "greatly",
        "substantially",
        "enormously",
        "immensely",
        "vastly",
        "tremendously",
        "deal",
        "many",
        "huge",
    }
)  # "a great deal", "many more parts"
MODIFIERS = STRONG | {
    "a",
    "bit",
    "little",
    "touch",
    "tad",
    "slightly",
    "somewhat",
    "even",
    "marginally",
    "just",
    "ever",
    "so",
    "notch",
    "hair",
    "smidge",
    "shade",
}
JOINERS = frozenset({"and", "or", "with", "plus"})  # "darker and much slower": "much" is the next move's
SKIP = frozenset(
    {
        "the",
        "a",
        "an",
        "some",
        "of",
        "its",
        "it",
        "on",
        "bit",
        "little",
        "much",
        "many",
        "them",
        "this",
        "that",
        "all",
        "those",
        "these",
        "your",
        "my",
        "synth",
        "synths",
        "every",
        "amp",
        "env",
        "envelope",
        "envelopes",
        "stuff",
    }
)
NEGATED = frozenset({"no", "not", "never", "without", "don't", "dont", "nothing", "shouldn't", "shouldnt", "isn't", "doesn't", "needn't"})
KEEP = frozenset({"keep", "leave", "retain", "preserve", "maintain"})  # "leave the drums": nothing to change there
NOTHING_ELSE = ("nothing", "else")  # "just hi-hats, nothing else in the drums": the clause before said it all
LEADING = frozenset({"and", "also", "so", "then"})
# A clause that says how it sounds now ("it sounds muffled", "the notes are too mushy", "it's so stiff") asks to move
# away from it, unless a request word comes first ("it should feel more spacious") or it praises ("the reverb is nice").
STATES = frozenset({"sounds", "feels", "seems", "is", "are", "it's", "its", "they're", "there's", "theres"})
# Verbs that say how it plays now, said of it or a part ("it drags", "the beat rushes"): a description, read away.
DESCRIBING_VERBS = frozenset({"drags", "rushes", "plods", "crawls"})
STATE_VERBS = frozenset({"feel", "sound", "seem"})  # after a plural ("the drums feel stiff"), not a noun ("a human feel")
REQUESTS = frozenset(
    {
        "make",
        "should",
        "needs",
        "need",
        "want",
        "could",
        "can",
        "would",
        "let",
        "please",
        "must",
        "give",
        "try",
        "keep",
        "put",
        "to",
        "i'd",
        "i'm",
        "we",
        "add",
    }
)
PRAISE = frozenset({"nice", "great", "good", "perfect", "fine", "lovely", "beautiful", "right", "love", "spot"})
FILLER = frozenset(
    {
        "make",
        "please",
        "can",
        "could",
        "would",
        "keep",
        "everything",
        "else",
        "same",
        "now",
        "get",
        "let",
        "take",
        "turn",
        "bring",
        "notch",
        "step",
        "level",
        "add",
        "put",
        "give",
        "change",
        "set",
        "key",
        "tone",
        "dial",
        "want",
        "use",
        "go",
        "gear",
        "mix",
        "sound",
        "whole",
        "thing",
        "bit",
        "any",
    }
)
