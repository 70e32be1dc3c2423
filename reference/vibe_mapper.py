"""Rule-based vibe -> MusicConfig mapper: the embedded default when no LM is configured.

Built on the taxonomy of seeds/000 section 3 (moods, places, times,
activities) plus a small musical lexicon. Each phrase found in the text
votes for field values; per field the value with most votes wins (ties go
to the phrase that appears first), explicit musical terms ("in d minor",
"sparse", "mono") outweigh associations, and fields nobody voted for keep
the neutral default below. Words the lexicon does not know change nothing,
so unknown text maps to exactly NEUTRAL (`matched_terms` is then empty and
the CLI says so). When the text names no key, the root follows its mood:
`MOOD_ROOTS[mode][brightness]` (darker vibes sit on lower, flatter roots,
brighter ones on sharper keys; major at medium brightness is C, so the
neutral default stays C major). When the text names a layer's
style but says nothing about density, density is raised until that layer
sounds (the engine plays only the first `density` layers), so "rain" is heard.

Deterministic: same text, same config.
"""

from __future__ import annotations

import re
from collections import defaultdict

from tools.ambient.controls import LAYER_ORDER
from tools.schema import MusicConfig

MAPPER_NAME = "rule-based (reference.vibe_mapper)"

# The documented neutral default: calm, mid-bright, lightly spacious ambient in C major.
NEUTRAL: dict[str, object] = {
    "tempo": "slow", "root": "c", "mode": "major", "brightness": "medium", "space": "medium",
    "density": 4, "bass": "sustained", "pad": "warm_slow", "melody": "contemplative",
    "rhythm": "none", "texture": "shimmer_slow", "accent": "none", "motion": "slow",
    "attack": "soft", "stereo": "medium", "depth": False, "echo": "subtle", "human": "natural",
    "grain": "clean",
}
EXPLICIT_WEIGHT = 3.0
# The root when the text names no key: by mode, then brightness (very_dark .. very_bright).
MOOD_ROOTS: dict[str, dict[str, str]] = {
    "major": {"very_dark": "f", "dark": "a#", "medium": "c", "bright": "g", "very_bright": "d"},
    "minor": {"very_dark": "c#", "dark": "d", "medium": "a", "bright": "e", "very_bright": "b"},
    "dorian": {"very_dark": "c", "dark": "d", "medium": "g", "bright": "a", "very_bright": "e"},
    "mixolydian": {"very_dark": "f", "dark": "a#", "medium": "g", "bright": "d", "very_bright": "a"},
}


def _r(pattern: str, **fields: object) -> tuple[re.Pattern[str], dict[str, object]]:
    """A rule: `a|b c|d` matches any alternative as whole words."""
    alternatives = "|".join(re.escape(a.strip()).replace(r"\ ", r"\s+") for a in pattern.split("|"))
    return re.compile(rf"\b(?:{alternatives})\b"), fields


# Associations: moods, places, times and activities (seeds/000 section 3).
RULES = [
    # moods: positive
    _r("peaceful|calm|serene|tranquil", tempo="slow", mode="major", pad="warm_slow", motion="slow", bass="sustained"),
    _r("joyful|joy|happy|cheerful", mode="major", brightness="bright", pad="bright_open", accent="bells_dense", tempo="medium"),
    _r("hopeful|hope", mode="major", melody="rising", pad="bright_open", brightness="bright"),
    _r("triumphant|victory|victorious|heroic", mode="major", melody="heroic", accent="brass_hit", depth=True),
    _r("playful|whimsical|silly", melody="call_response", accent="pluck", rhythm="kit_light", human="loose"),
    _r("cozy|cosy|warm", pad="warm_slow", grain="warm", space="small", stereo="narrow", rhythm="soft_four"),
    _r("nostalgic|nostalgia|memories|vintage", texture="vinyl_crackle", grain="warm", accent="piano_note"),
    # moods: negative
    _r("sad|sorrow|grief|tears", mode="minor", melody="falling", tempo="very_slow", root="d"),
    _r("anxious|anxiety|nervous", rhythm="heartbeat", bass="pulsing", motion="fast", mode="minor"),
    _r("melancholic|melancholy|wistful", mode="minor", melody="contemplative_minor", accent="piano_note"),
    _r("lonely|alone|solitude|isolated", pad="thin_high", melody="minimal", density=2, stereo="wide"),
    _r("tense|tension|suspense", rhythm="heartbeat", bass="pulsing", brightness="dark", attack="sharp"),
    _r("uneasy|unsettling|eerie", mode="minor", motion="chaotic", texture="pad_whisper"),
    _r("haunting|haunted|ghost|ghostly", pad="dark_sustained", texture="pad_whisper", brightness="dark", echo="heavy"),
    # moods: neutral
    _r("contemplative|thoughtful|reflective|pensive", melody="contemplative", mode="dorian", tempo="slow"),
    _r("meditative|meditation|zen|mindful", tempo="very_slow", bass="drone", rhythm="none", texture="breath", motion="static"),
    _r("mysterious|mystery|enigmatic", mode="dorian", brightness="dark", pad="dark_sustained", texture="pad_whisper"),
    _r("ethereal|angelic|heavenly", pad="ambient_drift", texture="shimmer", space="vast", brightness="bright"),
    _r("dreamlike|dreamy|dream|dreams|dreaming", pad="ambient_drift", texture="shimmer_slow", echo="heavy", attack="soft"),
    # moods: intense
    _r("epic|grand|majestic", pad="cinematic", melody="heroic", accent="brass_hit", depth=True, space="vast"),
    _r("dramatic|drama", pad="cinematic", accent="brass_hit", brightness="dark", mode="minor"),
    _r("chaotic|chaos|mayhem", motion="chaotic", texture="glitch", accent="blip_random", tempo="very_fast"),
    _r("frantic|panic|panicked|rushing", tempo="very_fast", rhythm="kit_medium", attack="sharp", motion="fast"),
    _r("overwhelming|overwhelmed|intense", density=6, grain="gritty", depth=True),
    # places: natural
    _r("forest|woods|woodland|trees", space="large", stereo="wide", accent="chime", texture="breath"),
    _r("ocean|sea|waves|beach|shore", texture="noise_wash", pad="ambient_drift", space="vast", stereo="ultra_wide"),
    _r("desert|dunes|sand", pad="stacked_fifths", accent="wind", melody="ornamental", brightness="bright"),
    _r("mountain|mountains|peak|summit", pad="stacked_fifths", bass="fifth_drone", echo="heavy", space="vast"),
    _r("cave|cavern|grotto", brightness="very_dark", echo="heavy", depth=True, bass="drone", pad="dark_sustained"),
    _r("underwater|deep sea|submerged|abyss", bass="sub_pulse", depth=True, brightness="dark", motion="slow"),
    _r("sky|clouds|heavens", pad="thin_high", stereo="ultra_wide", space="vast", depth=False),
    # places: urban
    _r("city night|city at night|neon", bass="pulsing", rhythm="hats_only", stereo="wide", brightness="dark"),
    _r("city|tokyo|berlin|london|paris|new york|downtown|street|streets", stereo="wide", space="large", accent="pluck"),
    _r("subway|metro|underground|train", bass="sub_pulse", rhythm="hats_only", depth=True, grain="warm"),
    _r("empty office|office|cubicle", accent="blip", human="tight", space="small", brightness="medium"),
    _r("rooftop|balcony", rhythm="soft_four", stereo="wide", space="large"),
    _r("warehouse|industrial|factory|rave|club", rhythm="electronic", grain="gritty", tempo="fast", bass="octave"),
    # places: domestic
    _r("bedroom|bed", space="small", stereo="narrow", pad="warm_slow", echo="none"),
    _r("kitchen morning|kitchen|breakfast", rhythm="kit_light", accent="pluck", brightness="bright", space="small"),
    _r("late night living room|living room|lounge|jazz", rhythm="brush", bass="walking", mode="dorian", grain="warm"),
    # places: abstract
    _r("void|nothingness|empty space", melody="minimal", density=2, echo="infinite", brightness="very_dark"),
    _r("liminal space|liminal|backrooms", texture="pad_whisper", melody="minimal", motion="static", human="robotic"),
    _r("digital realm|digital|cyber|cyberspace|computer", melody="arp_melody", rhythm="electronic", human="robotic", accent="blip"),
    _r("memory palace|memory|remember", melody="ornamental", texture="vinyl_crackle", echo="medium"),
    # times
    _r("dawn|sunrise|daybreak", melody="rising", brightness="bright", pad="bright_open", mode="major"),
    _r("morning", brightness="bright", tempo="medium", accent="chime"),
    _r("afternoon", melody="contemplative", rhythm="minimal", tempo="medium", brightness="medium"),
    _r("dusk|sunset|twilight|evening", melody="falling", brightness="dark", texture="shimmer_slow"),
    _r("night|nighttime|nocturnal", brightness="dark", pad="dark_sustained", texture="stars", mode="minor"),
    _r("midnight|3am|2am|4am|small hours", brightness="very_dark", tempo="very_slow", texture="stars"),
    _r("spring|blossom|blooming", accent="chime", brightness="bright", mode="major", pad="bright_open"),
    _r("summer|sunny|sunshine", brightness="very_bright", rhythm="kit_light", mode="mixolydian"),
    _r("autumn|fall leaves|fall|leaves", melody="falling", grain="warm", mode="dorian"),
    _r("winter|snow|ice|frozen|frost", texture="crystal", brightness="bright", pad="thin_high", motion="static"),
    _r("retro|80s|eighties|synthwave|synth wave", bass="arp_bass", grain="warm", texture="vinyl_crackle"),
    _r("futuristic|future|sci-fi|scifi", accent="arp_accent", human="robotic", melody="arp_melody"),
    _r("timeless|eternal|eternity|forever", echo="infinite", motion="static", bass="drone"),
    _r("ancient|temple|ruins|monastery", bass="fifth_drone", accent="bells", melody="ornamental", pad="stacked_fifths"),
    # activities: states
    _r("falling asleep|sleep|sleeping|lullaby|sleepy", tempo="very_slow", texture="breath", melody="falling", rhythm="none"),
    _r("waking up|wake up|awakening", melody="rising", brightness="bright", tempo="slow"),
    _r("working late|focus|studying|study", rhythm="minimal", human="tight", texture="vinyl_crackle"),
    _r("waiting|waiting room", rhythm="heartbeat", melody="minimal", motion="static"),
    # activities: movement
    _r("walking slowly|walking|stroll|strolling|wandering", bass="walking", tempo="medium", rhythm="minimal"),
    _r("floating|drifting|weightless|hovering", pad="ambient_drift", motion="slow", rhythm="none", echo="heavy"),
    _r("running|jogging|chase|driving", tempo="fast", rhythm="kit_medium", bass="octave", motion="fast"),
    _r("standing still|stillness|still|frozen in time", motion="static", melody="minimal", tempo="very_slow"),
    # activities: events
    _r("before the storm|storm|thunder|stormy", texture="noise_wash", accent="wind", depth=True, motion="chaotic"),
    _r("after the party|afterparty|hangover", rhythm="soft_four", human="loose", grain="warm", tempo="slow"),
    _r("end credits|credits|finale|ending", pad="cinematic", melody="heroic", space="large"),
    # targeted coverage (seeds/000 section 3, step 3) and everyday images
    _r("retro game|arcade|chiptune|8-bit|8 bit", bass="arp_bass", accent="blip_random", human="robotic", grain="gritty"),
    _r("marching|march|battle|parade|parade ground|soldiers", rhythm="military", melody="heroic", tempo="medium"),
    _r("corrupted memory|corrupted|digital decay|glitch|glitchy|broken", texture="glitch", grain="gritty", accent="blip_random"),
    _r("stumbling home|stumbling|drunk|tipsy|dizzy|carousel", human="drunk", motion="chaotic", tempo="slow"),
    _r("folk tale|folk|traveling bard|bard|tavern|campfire", mode="mixolydian", melody="call_response", rhythm="brush"),
    _r("rain|rainy|raining|rainfall|drizzle", texture="noise_wash", accent="piano_note", melody="contemplative_minor",
       mode="dorian", brightness="dark", tempo="slow"),
    _r("stars|starry|starlight|galaxy|outer space|cosmos|cosmic", texture="stars", space="vast", echo="heavy"),
    _r("wind|windy|breeze|gust", accent="wind", texture="breath"),
    _r("wind chimes|chimes|garden|porch", accent="chime", rhythm="none"),
    _r("bells|church|cathedral|christmas", accent="bells", space="vast", echo="medium"),
    _r("festival|celebration|carnival", accent="bells_dense", rhythm="kit_light", tempo="fast"),
    _r("india|indian|tabla|raga|spiritual|incense", rhythm="tabla_essence", bass="fifth_drone", mode="dorian"),
    _r("heartbeat|pulse|heart", rhythm="heartbeat", bass="pulsing"),
    _r("piano|cafe|coffee shop", accent="piano_note", rhythm="brush", grain="warm"),
    _r("crystal|crystalline|glass|sparkling|glittering", texture="crystal", accent="arp_accent", brightness="very_bright"),
    _r("birds|birdsong|conversation|dialogue", melody="call_response", accent="chime"),
    _r("machine|robot|robotic|mechanical", human="robotic", rhythm="electronic", attack="sharp"),
    _r("breathing|breath|breathe|whisper|whispers", texture="breath", attack="soft", space="small"),
]
# Explicit musical terms: outweigh associations.
EXPLICIT = [
    _r("very slow|glacial|crawling", tempo="very_slow"), _r("slow|slowly|unhurried", tempo="slow"),
    _r("mid tempo|midtempo|moderate", tempo="medium"), _r("fast|quick|upbeat|energetic", tempo="fast"),
    _r("very fast|racing|breakneck|hyper", tempo="very_fast"),
    _r("pitch black|very dark|pitch dark", brightness="very_dark"), _r("dark|dim|shadowy|murky", brightness="dark"),
    _r("neutral tone|balanced", brightness="medium"), _r("bright|luminous|shiny", brightness="bright"),
    _r("very bright|dazzling|radiant|blinding", brightness="very_bright"),
    _r("dry|anechoic|close mic", space="dry", echo="none"), _r("small room|tiny room|closet|small", space="small"),
    _r("room|hall", space="medium"), _r("large|big|spacious|huge", space="large"),
    _r("vast|infinite space|endless|immense|cavernous", space="vast"),
    _r("sparse|minimal|bare|empty", density=2), _r("simple|quiet|gentle", density=3),
    _r("layered|busy|full", density=5), _r("dense|thick|crowded|wall of sound", density=6),
    _r("motionless|static|unchanging", motion="static"), _r("moving|evolving|shifting", motion="medium"),
    _r("restless|fluttering|swirling", motion="fast"), _r("turbulent|erratic|unpredictable", motion="chaotic"),
    _r("soft|gentle attack|smooth|mellow", attack="soft"), _r("plucky|defined", attack="medium"),
    _r("sharp|punchy|percussive|staccato", attack="sharp"),
    _r("mono|monophonic|old radio|telephone", stereo="mono"), _r("narrow|intimate|close", stereo="narrow"),
    _r("centered|focused", stereo="medium"), _r("wide|panoramic|stereo", stereo="wide"),
    _r("ultra wide|immersive|enveloping|surround", stereo="ultra_wide"),
    _r("deep|sub bass|subby|rumbling|bass heavy", depth=True), _r("thin|light|airy|weightless", depth=False),
    _r("no echo|no delay", echo="none"), _r("subtle echo|slight echo", echo="subtle"),
    _r("echo|echoes|delay", echo="medium"), _r("heavy echo|dub|canyon|echoing", echo="heavy"),
    _r("infinite echo|infinite|endless echo|never ending", echo="infinite"),
    _r("robotic|quantized|quantised|mechanical precision", human="robotic"),
    _r("tight|precise|locked", human="tight"), _r("natural|organic|human", human="natural"),
    _r("loose|lazy|relaxed|laid back|sunday", human="loose"), _r("drunk|drunken|wasted|wobbly", human="drunk"),
    _r("clean|pristine|pure", grain="clean"), _r("warm|tape|analog|analogue|lo-fi|lofi", grain="warm"),
    _r("gritty|dirty|distorted|crunchy|grimy|noisy", grain="gritty"),
    _r("major|uplifting", mode="major"), _r("minor", mode="minor"), _r("dorian", mode="dorian"),
    _r("mixolydian", mode="mixolydian"),
    _r("drone|droning|hum", bass="drone"), _r("sustained bass|held bass", bass="sustained"),
    _r("pulsing|pulsating|throbbing", bass="pulsing"), _r("walking bass", bass="walking"),
    _r("fifths|open fifths|power chord", bass="fifth_drone"), _r("sub pulse|subsonic", bass="sub_pulse"),
    _r("octave bass|octaves", bass="octave"), _r("arpeggiated bass|arp bass|arpeggio bass", bass="arp_bass"),
    _r("no drums|no beat|beatless|ambient only", rhythm="none"),
    _r("four on the floor|soft kick|steady beat", rhythm="soft_four"), _r("hi-hats|hihats|hats|ticking", rhythm="hats_only"),
    _r("techno|electronic beat|edm|house music", rhythm="electronic"),
    _r("light drums|light beat", rhythm="kit_light"), _r("drums|drum kit|groove", rhythm="kit_medium"),
    _r("brushes|brushed drums|brush", rhythm="brush"),
    _r("noise wash|white noise|static noise|hiss", texture="noise_wash"), _r("vinyl|crackle|record player", texture="vinyl_crackle"),
    _r("shimmer|shimmering|glistening", texture="shimmer"), _r("no texture|bare texture", texture="none"),
    _r("no accents|unadorned", accent="none"), _r("pluck|plucked|guitar|harp", accent="pluck"),
    _r("blips|beeps|bleeps", accent="blip"), _r("brass|horns|fanfare", accent="brass_hit"),
    _r("arpeggio|arpeggios|arpeggiated", accent="arp_accent", melody="arp_melody"),
    _r("ornate|ornamented|ornamental|baroque", melody="ornamental"),
    _r("rising|ascending|climbing|soaring", melody="rising"), _r("falling|descending|sinking", melody="falling"),
    _r("strings|orchestral|film score|soundtrack", pad="cinematic"),
]
_FLAT = {"db": "c#", "eb": "d#", "fb": "e", "gb": "f#", "ab": "g#", "bb": "a#", "cb": "b"}
_ACCIDENTAL = r"(#|♯|b|♭|\s*-?\s*sharp|\s*-?\s*flat)?"
# "d minor", "in f# dorian", "key of eb": a bare letter only counts next to a mode or "key of".
_KEY = re.compile(
    rf"\b(?:key of\s+([a-g]){_ACCIDENTAL}(?:\s+(major|minor|dorian|mixolydian))?"
    rf"|([a-g]){_ACCIDENTAL}\s+(major|minor|dorian|mixolydian))(?![\w#])"
)


def _key_votes(text: str) -> list[tuple[int, str, object]]:
    votes = []
    for match in _KEY.finditer(text):
        groups = match.groups()
        letter, accidental, mode = groups[:3] if groups[0] else groups[3:]
        accidental = (accidental or "").replace("-", "").strip()
        root = letter
        if accidental in ("#", "♯", "sharp"):
            root = {"e": "f", "b": "c"}.get(letter, letter + "#")
        elif accidental in ("b", "♭", "flat"):
            root = _FLAT[letter + "b"]
        votes.append((match.start(), "root", root))
        if mode:
            votes.append((match.start(), "mode", mode))
    return votes


def matched_terms(text: str) -> list[str]:
    """The phrases of the lexicon found in the text, in order (for sidecars and debugging)."""
    lowered = " ".join(str(text).lower().split())
    found = [(m.start(), m.group(0)) for m in _KEY.finditer(lowered)]
    lowered = _KEY.sub(lambda m: " " * len(m.group(0)), lowered)
    for pattern, _ in RULES + EXPLICIT:
        for match in pattern.finditer(lowered):
            found.append((match.start(), match.group(0)))
    return [term for _, term in sorted(found)]


def map_vibe(text: str) -> MusicConfig:
    """Deterministic text -> MusicConfig; unknown words leave the NEUTRAL default."""
    lowered = " ".join(str(text).lower().split())
    # field -> value -> (score, first position)
    tally: dict[str, dict[object, list[float]]] = defaultdict(dict)

    def vote(position: int, field: str, value: object, weight: float) -> None:
        score = tally[field].setdefault(value, [0.0, float(position)])
        score[0] += weight
        score[1] = min(score[1], position)

    for position, field, value in _key_votes(lowered):
        vote(position, field, value, 2 * EXPLICIT_WEIGHT)
    # Blank the key phrases so "e sharp minor" does not also vote for a sharp attack.
    lowered = _KEY.sub(lambda m: " " * len(m.group(0)), lowered)
    for rules, weight in ((RULES, 1.0), (EXPLICIT, EXPLICIT_WEIGHT)):
        for pattern, fields in rules:
            for match in pattern.finditer(lowered):
                for field, value in fields.items():
                    vote(match.start(), field, value, weight)
    config = dict(NEUTRAL)
    for field, scores in tally.items():
        config[field] = max(scores.items(), key=lambda kv: (kv[1][0], -kv[1][1]))[0]
    if "root" not in tally:
        config["root"] = MOOD_ROOTS[str(config["mode"])][str(config["brightness"])]
    if "density" not in tally:
        config["density"] = _density_to_hear(config, [f for f in LAYER_ORDER if f in tally])
    return MusicConfig.parse(config)


def _density_to_hear(config: dict[str, object], named: list[str]) -> int:
    """The smallest density >= the current one at which every named layer sounds."""
    sounding = [f for f in LAYER_ORDER if config[f] != "none"]
    needed = [sounding.index(f) + 1 for f in named if f in sounding]
    return max([int(config["density"]), *needed])
