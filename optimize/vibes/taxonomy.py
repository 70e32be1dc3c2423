"""The vibe taxonomy of seeds/000 section 3, widened, and the targeted vibes for rare enum values.

Concepts are the units the splits hold out: a mood or a place held out for
test never appears in train or val, so test measures generalisation to
unseen concepts. Surface forms are chosen so no concept's words are part of
another concept's words (a held-out "forest" must not leak as "rainforest").

Times and activities are shared by all splits; they are context, not held out.
Targeted vibes (seeds/000 section 3, step 3) name the rare enum value they aim
at so the coverage of every value can be checked.
"""

from __future__ import annotations

from dataclasses import dataclass

# Moods (seeds/000: positive, negative, neutral, intense), each an adjective.
MOODS: dict[str, tuple[str, ...]] = {
    "positive": (
        "peaceful",
        "joyful",
        "hopeful",
        "triumphant",
        "playful",
        "cozy",
        "nostalgic",
        "serene",
        "content",
        "euphoric",
        "tender",
        "grateful",
    ),
    "negative": (
        "sad",
        "anxious",
        "melancholic",
        "lonely",
        "tense",
        "uneasy",
        "haunting",
        "gloomy",
        "restless",
        "bitter",
        "heartbroken",
        "weary",
    ),
    "neutral": (
        "contemplative",
        "meditative",
        "mysterious",
        "ethereal",
        "dreamlike",
        "curious",
        "wistful",
        "hazy",
        "solemn",
    ),
    "intense": ("epic", "dramatic", "chaotic", "frantic", "overwhelming", "defiant", "feverish", "ominous"),
}


@dataclass(frozen=True)
class Place:
    name: str  # the concept ("empty office")
    phrase: str  # with its article, as it sits after "in" ("an empty office")
    group: str


def _places(group: str, *items: str) -> tuple[Place, ...]:
    out = []
    for item in items:
        name, _, phrase = item.partition("=")
        out.append(Place(name, phrase or f"the {name}", group))
    return tuple(out)


PLACES: tuple[Place, ...] = (
    *_places(
        "natural",
        "forest",
        "ocean",
        "desert",
        "mountain=the mountains",
        "cave=a cave",
        "underwater=deep water",
        "sky=the open sky",
        "meadow=a meadow",
        "glacier=a glacier",
        "jungle",
        "river=a slow river",
        "swamp=a swamp",
        "volcano=a volcano",
        "canyon=a canyon",
        "lake=a frozen lake",
        "island=a small island",
        "tundra",
    ),
    *_places(
        "urban",
        "city at night=the city at night",
        "subway=the subway",
        "empty office=an empty office",
        "rooftop=a rooftop",
        "warehouse=a warehouse",
        "parking garage=a parking garage",
        "train station=a train station",
        "airport lounge=an airport lounge",
        "neon alley=a neon alley",
        "laundromat=a laundromat",
        "hospital corridor=a hospital corridor",
        "shopping mall=a shopping mall",
        "highway=the highway",
        "harbor=the harbor",
    ),
    *_places(
        "domestic",
        "bedroom=a bedroom",
        "kitchen=the kitchen",
        "living room=the living room",
        "attic=the attic",
        "basement=the basement",
        "bathtub=a warm bathtub",
        "porch=the porch",
        "greenhouse=a greenhouse",
        "library=an old library",
    ),
    *_places(
        "abstract",
        "void=the void",
        "liminal space=a liminal space",
        "digital realm=a digital realm",
        "memory palace=a memory palace",
        "dream world=a dream world",
        "outer space=outer space",
        "parallel universe=a parallel universe",
        "endless hallway=an endless hallway",
    ),
)


@dataclass(frozen=True)
class Time:
    name: str
    adverbial: str  # "at dawn", "on a spring morning"
    group: str


def _times(group: str, *items: str) -> tuple[Time, ...]:
    return tuple(Time(name, adverbial, group) for name, adverbial in (i.split("=") for i in items))


TIMES: tuple[Time, ...] = (
    *_times(
        "time of day",
        "dawn=at dawn",
        "morning=in the morning",
        "afternoon=in the afternoon",
        "dusk=at dusk",
        "night=at night",
        "midnight=at midnight",
        "3am=at 3am",
        "noon=at noon",
        "golden hour=at golden hour",
        "twilight=in the twilight",
    ),
    *_times(
        "season",
        "spring morning=on a spring morning",
        "summer evening=on a summer evening",
        "autumn rain=in the autumn rain",
        "winter silence=in the winter silence",
        "first snow=at first snow",
        "monsoon=in monsoon season",
        "heat wave=during a heat wave",
    ),
)
# Eras (seeds/000 "retro, futuristic, timeless, ancient") act as adjectives before a place.
ERAS: tuple[str, ...] = ("retro", "futuristic", "timeless", "ancient", "medieval", "1980s", "far-future")

ACTIVITIES: dict[str, tuple[str, ...]] = {
    "state": (
        "falling asleep",
        "waking up",
        "working late",
        "waiting",
        "studying",
        "daydreaming",
        "reading",
        "stargazing",
        "remembering someone",
    ),
    "movement": (
        "walking slowly",
        "floating",
        "running",
        "standing still",
        "driving",
        "dancing alone",
        "wandering",
        "cycling home",
    ),
    "event": (
        "before the storm",
        "after the party",
        "end credits",
        "the last day of summer",
        "a long goodbye",
        "coming home",
        "packing to leave",
        "a first date",
    ),
}

# Targeted vibes for rare enum values: (field, value) -> phrases that ask for it.
TARGETS: dict[tuple[str, object], tuple[str, ...]] = {
    ("bass", "arp_bass"): ("pulsing synth wave", "retro game soundtrack", "an arpeggiated bassline"),
    ("bass", "walking"): ("a late-night jazz stroll", "a walking bassline under soft piano"),
    ("bass", "octave"): ("a bouncing octave bassline", "a disco groove slowed down"),
    ("bass", "sub_pulse"): ("a subsonic throb", "a deep sub pulse under everything"),
    ("bass", "fifth_drone"): ("an open fifth droning like bagpipes", "a drone of open fifths"),
    ("pad", "stacked_fifths"): ("power chords held forever", "stacked fifths like an organ"),
    ("pad", "thin_high"): ("a thin high whistle of a pad", "a faint high tone"),
    ("melody", "call_response"): ("birds answering each other", "a conversation between two flutes"),
    ("melody", "ornamental"): ("an ornate baroque melody", "a melody full of trills"),
    ("melody", "heroic"): ("a hero's theme", "the hero rides out"),
    ("rhythm", "military"): ("marching into battle", "a parade ground drill", "soldiers on the march"),
    ("rhythm", "tabla_essence"): ("incense and tabla", "a raga for the evening"),
    ("rhythm", "brush"): ("a smoky jazz club", "brushed drums in a quiet bar"),
    ("rhythm", "hats_only"): ("ticking hi-hats and nothing else", "only hi-hats ticking"),
    ("rhythm", "heartbeat"): ("a slow heartbeat", "the heart pounding in the dark"),
    ("rhythm", "electronic"): ("a techno pulse", "an electronic beat in a club"),
    ("rhythm", "kit_medium"): ("a steady drum groove", "a band kicking in"),
    ("texture", "glitch"): ("corrupted memory", "digital decay", "a glitching screen"),
    ("texture", "vinyl_crackle"): ("an old record player", "dusty vinyl crackle"),
    ("texture", "crystal"): ("crystal chambers of glass", "sparkling crystal chimes"),
    ("texture", "stars"): ("a starry night full of twinkles", "starlight falling"),
    ("texture", "breath"): ("slow breathing", "a whisper in the ear"),
    ("accent", "brass_hit"): ("a brass fanfare", "horns announcing a king"),
    ("accent", "blip_random"): ("random computer bleeps", "a robot thinking out loud"),
    ("accent", "bells_dense"): ("a festival of bells", "a carnival of bells"),
    ("accent", "wind"): ("wind howling through the cracks", "a gusty breeze"),
    ("accent", "piano_note"): ("a lone piano note", "slow piano in a cafe"),
    ("human", "drunk"): ("stumbling home at 2am", "a dizzy carousel", "a wobbly tipsy waltz"),
    ("human", "robotic"): ("a machine assembling itself", "quantized robot precision"),
    ("mode", "mixolydian"): ("a folk tale ending", "a traveling bard", "a campfire song"),
    ("mode", "dorian"): ("a dorian folk lament", "an old sea shanty in dorian"),
    ("stereo", "mono"): ("an old radio on the shelf", "a voice on a telephone line"),
    ("echo", "infinite"): ("an echo that never ends", "infinite echoes fading"),
    ("space", "dry"): ("a dry close-mic recording", "bone dry and intimate"),
    ("grain", "gritty"): ("a gritty distorted hum", "dirty crunchy noise"),
    ("tempo", "very_fast"): ("a breakneck chase", "racing at full speed"),
    ("motion", "chaotic"): ("swirling chaos", "a turbulent storm of sound"),
    ("depth", True): ("a deep rumbling bass", "sub bass shaking the floor"),
}


def moods() -> tuple[str, ...]:
    return tuple(m for group in MOODS.values() for m in group)


def activities() -> tuple[str, ...]:
    return tuple(a for group in ACTIVITIES.values() for a in group)
