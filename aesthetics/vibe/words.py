"""The words the reader knows: explicit musical terms, modifiers, and concepts (scenes, feelings, activities).

Three tables, all plain data (the reader in `aesthetics.vibe.reader` does the reading):

- EXPLICIT: musical terms that *name* a config value ("presto", "no drums" via
  negation of "drums", "bone dry", "mono", "vinyl crackle"). A text that says one
  of these gets exactly that value: the judge's target and the mapper's field.
- MODIFIERS: negators ("no", "without", "not", "barely"), intensifiers ("very")
  and softeners ("slightly", "a bit") that change the term after them.
- CONCEPTS: what scenes, feelings and activities imply (a funeral is slow and
  minor; a chase is fast and dense; a cathedral is vast). Each concept lists
  config values (ordinal ones also set the axes they drive, see
  `reader.FIELD_AXES`) and axis levels with no field of their own (energy,
  register). Concepts are found literally and, for words the tables do not
  hold, by MiniLM similarity to the concept phrases (`reader`), so a text
  worded unlike these tables still reads: "graveside" lands near "funeral".

Phrases use single spaces and no hyphens: the reader folds "lo-fi" to "lo fi".
Started from the taxonomy of seeds/000 section 3 (moods, places, times, activities).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entry:
    """What a phrase says: config values, axis levels in [0, 1], and what its negation says."""

    phrases: tuple[str, ...]
    fields: dict[str, object] = field(default_factory=dict)
    axes: dict[str, float] = field(default_factory=dict)
    negated: dict[str, object] = field(default_factory=dict)  # "no drums" -> rhythm none; empty: invert the axes


def _e(phrases: str, negated: dict[str, object] | None = None, axes: dict[str, float] | None = None, **fields: object) -> Entry:
    return Entry(tuple(p.strip() for p in phrases.split("|")), dict(fields), dict(axes or {}), dict(negated or {}))


NO_DRUMS = {"rhythm": "none"}
DRY = {"space": "dry", "echo": "none"}

# Explicit terms: a text that uses one names the value. Intensity modifiers move ordinal values by a step.
EXPLICIT: tuple[Entry, ...] = (
    # tempo: plain words and Italian markings
    _e("very slow|glacial|crawling|grave|largo|lento|larghissimo|slow motion|snail pace|at a crawl|slowest", tempo="very_slow"),
    _e("slow|slowly|unhurried|adagio|larghetto|leisurely|slow paced|slow tempo|downtempo|sluggish|slower|unhurried pace", tempo="slow"),
    _e("mid tempo|midtempo|moderate|moderato|andante|andantino|walking pace|medium tempo|steady pace", tempo="medium"),
    _e("fast|quick|quickly|upbeat|allegro|allegretto|vivace|brisk|uptempo|up tempo|rapid|speedy|fast paced|faster|hurry|hurried|rushed|rush|quicker", tempo="fast"),
    _e("very fast|racing|breakneck|hyper|presto|prestissimo|frenetic|lightning fast|hyperspeed", tempo="very_fast"),
    # brightness
    _e("pitch black|very dark|pitch dark|lightless|inky|darkness|total darkness|blackness", brightness="very_dark"),
    _e("dark|dim|shadowy|murky|dusky|gloomy|muffled|dull|somber|sombre|darker|dimmer|dimly lit|unlit", brightness="dark"),
    _e("neutral tone|balanced tone", brightness="medium"),
    _e("bright|luminous|shiny|brilliant|gleaming|sunlit|light filled|brighter|lit up|well lit|neon|shimmery|sparkly|sparkle|"
       "glittery|glitter|high frequencies|highs|crisp highs", brightness="bright"),
    _e("very bright|dazzling|radiant|blinding|glaring|sparkling", brightness="very_bright"),
    # space
    _e("dry|bone dry|anechoic|close mic|close miked|no reverb|dead room", space="dry", echo="none"),
    _e("small room|tiny room|closet|booth|cramped|confined", space="small"),
    _e("close|up close|intimate|in the ear|in your ear|nearby|close by", axes={"space": 0.2}),
    _e("roomy|medium room|medium sized room|medium sized hall|medium hall|mid sized room", space="medium"),
    _e("large|spacious|huge|big room|open air", space="large"),
    _e("distant|far away|faraway|far off|in the distance|remote", axes={"space": 0.8}),
    _e("vast|infinite space|immense|cavernous|boundless|massive reverb|big reverb|long reverb|huge reverb|endless space|vast reverb|endless reverb|infinite reverb|"
       "long reverb tail|endless reverb tail|cathedral reverb",
       space="vast"),
    _e("reverb|reverberant|reverberation|echoey|roomy reverb", DRY, space="large"),
    # density
    _e("sparse|minimal|bare|empty|barren|spare|few notes|lonely notes|spacious arrangement|sparser|just a few|single note|lone|solitary|just air|almost nothing|"
       "nothing there|almost nothing there", density=2),
    _e("barely there|barely a whisper|barely a sound|barely any sound|hardly a sound", density=2,
       axes={"energy": 0.05}),
    _e("simple|uncluttered|stripped back|stripped down", density=3),
    _e("layered|busy|full|rich|lush|a lot going on|lots going on|much going on|going on|always something happening|fill everything|"
       "filled in", density=5),
    _e("dense|thick|crowded|wall of sound|cluttered|packed|teeming|swarming|overloaded|denser|bustling|chaotic mix", density=6),
    # motion, attack
    _e("motionless|static|unchanging", motion="static"),
    _e("evolving|shifting", motion="medium"),
    _e("builds|building|build up|grows|growing|crescendo|swells|swelling", axes={"energy": 0.8}),
    _e("restless|fluttering|swirling", motion="fast"),
    _e("can't stop|cant stop|can't sit still|cant sit still|never stops|never stop|non stop|nonstop|relentless|unstoppable|"
       "won't stop", motion="fast", tempo="fast", axes={"energy": 0.85}),
    _e("turbulent|erratic|unpredictable", motion="chaotic"),
    _e("soft attack|smooth", attack="soft"),
    _e("plucky|defined", attack="medium"),
    _e("punchy|percussive|staccato|snappy", attack="sharp"),
    # stereo
    _e("mono|monophonic|old radio|telephone|single speaker|one speaker|mono recording|radio|transistor radio|tinny", stereo="mono"),
    _e("narrow|centred|centered|narrow stereo|narrow stereo image", stereo="narrow"),
    _e("wide|panoramic|wide stereo|broad stereo|stereo field|wide stereo field|stereo width|stereo spread|stereo image|panning|"
       "stereo", stereo="wide"),
    _e("ultra wide|immersive|enveloping|surround|all around you|360 degree|three dimensional|3d", stereo="ultra_wide"),
    # depth, register
    _e("sub bass|subby|bass heavy|low end|booming bass|deep bass|rumbling|rumble|bass|basses|bassline|808 bass", depth=True, axes={"register": 0.15}),
    _e("high pitched|high register|treble|piercing|tinkling|twinkling|high notes|high bells|high chimes|birdlike|soprano|piccolo|flute|whistle|whistling",
       axes={"register": 0.9}),
    _e("low pitched|low register|low notes|bassy|deep tones|baritone|low drone|low drones|cello|cellos|double bass|tuba|contrabass", axes={"register": 0.15}),
    # echo
    _e("no echo|no delay|without echo|without delay", echo="none"),
    _e("subtle echo|slight echo|slapback|slapback echo|short echo|subtle tail", echo="subtle"),
    _e("echo|echoes|delay|delays", {"echo": "none"}, echo="medium"),
    _e("heavy echo|dub|dub delay|canyon|echoing|heavy delay|heavy tape delay|tape delay|dub echoes", echo="heavy"),
    _e("infinite echo|endless echo|never ending echo|feedback loop|feedback delay|infinite delay|infinite feedback", echo="infinite"),
    # human feel
    _e("robotic|quantized|quantised|mechanical precision|machine like", human="robotic"),
    _e("tight|precise|locked", human="tight"),
    _e("organic|human feel", human="natural"),
    _e("loose|laid back|lazy|sloppy", human="loose"),
    _e("drunk|drunken|wasted|wobbly|tipsy", human="drunk"),
    # grain
    _e("clean|pristine|polished|crystal clear|hi fi|high fidelity|glassy|clinical|sterile|spotless|immaculate|noiseless|"
       "audiophile", grain="clean", axes={"grit": 0.05}),
    _e("warm|analog|analogue|tape warmth", grain="warm"),
    _e("tape|tape saturation|saturated|lo fi|lofi|cassette|degraded|worn tape", grain="warm", axes={"grit": 0.75}),
    _e("gritty|dirty|distorted|crunchy|grimy|noisy|harsh|abrasive|fuzzy|fuzz|bitcrushed|bit crushed|overdriven|"
       "distortion|raspy|rough|grungy|blown out|grit|crunch|saturation|dirt|grime", {"grain": "clean"}, grain="gritty"),
    # mode
    _e("major|major key|uplifting", mode="major"), _e("minor|minor key", mode="minor"),
    _e("dorian", mode="dorian"), _e("mixolydian", mode="mixolydian"),
    # bass
    _e("drone|drones|droning|hum|humming", bass="drone"), _e("sustained bass|held bass", bass="sustained"),
    _e("pulsing|pulsating|throbbing", bass="pulsing"), _e("walking bass", bass="walking"),
    _e("fifths|open fifths|power chord", bass="fifth_drone"), _e("sub pulse|subsonic", bass="sub_pulse"),
    _e("octave bass|octaves", bass="octave"), _e("arpeggiated bass|arp bass|arpeggio bass", bass="arp_bass"),
    # rhythm: every percussion word, negated, means no drums
    # ensembles that play without drums: a named ensemble is a named arrangement
    _e("a cappella|acapella|unaccompanied|string quartet|string trio|wind quintet|woodwind quintet|brass quintet|"
       "chamber music|chamber ensemble|duet|solo piano|solo cello|solo violin|solo guitar|solo voice|solo harp|"
       "solo flute|piano only|strings only|just a piano|just piano|solo|unplugged|fingerpicked|fingerpicking|finger picked|"
       "acoustic strums|strummed guitar|singalong|sing along|one guitar|one voice|voice and guitar|guitar and voice|"
       "glass harmonica|music box", rhythm="none"),
    _e("drum solo|drums solo|percussion solo", rhythm="kit_medium"),
    _e("beatless|no drums|no beat|ambient only|arrhythmic|without rhythm|free time|unmetered|no percussion|no kick|no kick drum|"
       "no kick drums|without kick|without a kick", rhythm="none"),
    _e("four on the floor|steady kick|soft kick|steady beat|kick drum|thumping kick|house beat|kicks|gentle kick|the kick|a kick|"
       "muffled kick|deep kick|kick and snare|kick and hats|kick on every|heartbeat kick",
       NO_DRUMS, rhythm="soft_four"),
    _e("hi hats|hihats|hats|ticking|hi hat", NO_DRUMS, rhythm="hats_only"),
    _e("techno|electronic beat|electronic drums|electronic percussion|edm|house music|drum machine|808|909|breakbeat|breakbeats|drum and bass|dnb",
       NO_DRUMS, rhythm="electronic"),
    _e("light drums|light beat|light percussion|gentle beat|soft drums|light kit|soft kit|kit", NO_DRUMS, rhythm="kit_light"),
    _e("drums|drum kit|groove|drumming|beat|beats|percussion|rhythm section|backbeat|snare|drum|full kit|drum kit|rhythmic|stomping|stomp|clapping|claps", NO_DRUMS,
       rhythm="kit_medium"),
    _e("brushes|brushed drums|brush|brush percussion|brushed snare|brush drums|brushed|brushed kit", NO_DRUMS, rhythm="brush"),
    _e("marching drums|military drums|snare roll|war drums|drumline|military|military march", NO_DRUMS, rhythm="military"),
    _e("tabla|hand drums|hand percussion|bongos|congas|djembe", NO_DRUMS, rhythm="tabla_essence"),
    _e("heartbeat|heartbeat pulse|heart beat|pulse", NO_DRUMS, rhythm="heartbeat"),
    _e("minimal beat|minimal percussion|minimal drums|sparse beat|sparse percussion|clicks|rimshot|rimshots|rim clicks|ticks", NO_DRUMS, rhythm="minimal"),
    # texture, accent, melody, pad
    _e("noise wash|white noise|static noise|hiss|tape hiss|surf noise", {"texture": "none"}, texture="noise_wash",
       axes={"grit": 0.7}),
    _e("vinyl|crackle|crackling|crackles|vinyl crackle|record player|dusty record|cassette|tape wobble|wow and flutter", {"texture": "none"}, texture="vinyl_crackle",
       axes={"grit": 0.65}),
    _e("shimmer|shimmering|glistening", texture="shimmer"),
    _e("slow shimmer|slowly shimmering|shimmer slowly", texture="shimmer_slow"),
    _e("whispered|whispery|whispered pad", texture="pad_whisper"), _e("no texture|bare texture", texture="none"),
    _e("glitch|glitchy|glitches|stutter|stuttering|datamosh|skipping cd", texture="glitch", axes={"grit": 0.8}),
    _e("breath|breathy|breathing|whisper|whispers|whispering", texture="breath"),
    _e("no accents|unadorned", accent="none"), _e("pluck|plucked|guitar|harp|koto|kalimba", accent="pluck"),
    _e("blips|beeps|bleeps", accent="blip"), _e("brass|horns|fanfare|trumpets", accent="brass_hit"),
    _e("bells|bell|chimes|chime|wind chimes|glockenspiel|celesta", accent="bells", axes={"register": 0.75}),
    _e("piano|keys|rhodes|felt piano", accent="piano_note"),
    _e("arpeggio|arpeggios|arpeggiated", accent="arp_accent", melody="arp_melody"),
    _e("ornate|ornamented|ornamental|baroque", melody="ornamental"),
    _e("rising|ascending|climbing|soaring", melody="rising"), _e("falling|descending|sinking", melody="falling"),
    _e("strings|orchestral|film score|soundtrack|cinematic", pad="cinematic"),
    # energy words with no field of their own
    _e("calm|calming|gentle|gently|soothing|peaceful|tranquil|serene|placid|relaxed|relaxing|quiet|quietly|hushed|soft|softly|"
       "stillness|mellow|silent|silence|whisper quiet|low key|lowkey|sedate|languid|idle|unwinding|restful", axes={"energy": 0.1}),
    _e("energetic|intense|aggressive|powerful|furious|explosive|wild|fierce|violent|pounding|driving|high energy|loud|louder|booming|blaring|"
       "thunderous|adrenaline|pumping|banging|raucous|rowdy", axes={"energy": 0.92}),
)

NEGATORS = ("no", "not", "without", "senza", "never", "nothing", "none", "neither", "nor", "zero", "free of", "lacking",
            "minus", "barely", "hardly", "scarcely", "can't", "cant", "cannot", "won't", "wont", "isnt", "aren't", "isn't", "don't", "dont", "doesn't", "doesnt", "avoid", "non", "less")
INTENSIFIERS = ("very", "extremely", "really", "super", "so", "ultra", "incredibly", "deeply", "totally", "utterly",
                "completely", "intensely", "hugely", "wildly", "insanely", "truly", "most", "far", "much", "painfully",
                "achingly", "overwhelmingly", "impossibly", "fully", "pure", "absolutely")
SOFTENERS = ("slightly", "a bit", "a little", "somewhat", "faintly", "mildly", "kind of", "kinda",
             "a touch", "a tad", "lightly", "rather", "fairly", "moderately", "vaguely", "sort of",
             "a hint of", "hint of", "touch of", "subtly", "gently")

# Concepts: what scenes, feelings and activities imply. Field values (ordinal ones drive axes) and axis levels.
CONCEPTS: tuple[Entry, ...] = (
    # feelings: positive, low arousal
    _e("peaceful|calm|serene|tranquil|at peace|contentment|content", tempo="slow", mode="major", pad="warm_slow",
       motion="slow", bass="sustained", axes={"energy": 0.15}),
    _e("relief|gratitude|grateful|tender|tenderness|affection|gentle love", mode="major", tempo="slow",
       pad="warm_slow", axes={"energy": 0.25}),
    # feelings: positive, high arousal
    _e("joyful|joy|happy|cheerful|glee|delight|delighted|elated|bliss|blissful", mode="major", brightness="bright",
       pad="bright_open", accent="bells_dense", tempo="medium", axes={"energy": 0.65}),
    _e("euphoric|euphoria|ecstatic|exhilarated|thrilled|excited|excitement", mode="major", brightness="bright",
       tempo="fast", density=5, axes={"energy": 0.9}),
    _e("hopeful|hope|optimistic|optimism", mode="major", melody="rising", pad="bright_open", brightness="bright"),
    _e("triumphant|victory|victorious|heroic|champion|glory", mode="major", melody="heroic", accent="brass_hit",
       depth=True, axes={"energy": 0.8}),
    _e("playful|whimsical|silly|mischievous|giggling|bouncy|snowball fight|pillow fight|water fight|carefree",
       mode="major", melody="call_response", accent="pluck",
       rhythm="kit_light", human="loose", brightness="bright"),
    _e("cozy|cosy|snug|homely|fireside", pad="warm_slow", grain="warm", space="small", stereo="narrow",
       tempo="slow", brightness="dark", axes={"energy": 0.2}),
    _e("romantic|romance|love|in love|lovers", mode="major", tempo="slow", pad="warm_slow", grain="warm"),
    _e("nostalgic|nostalgia|memories|vintage|bittersweet|reminiscing", texture="vinyl_crackle", grain="warm",
       accent="piano_note", tempo="slow"),
    # feelings: negative, low arousal
    _e("sad|sadness|sorrow|sorrowful|grief|grieving|tears|weeping|crying|heartbroken|heartbreak|despair|heavy hearted|"
       "downhearted|crestfallen|sulky|sulking|heartsick",
       mode="minor", melody="falling", tempo="very_slow", brightness="dark", axes={"energy": 0.15}),
    _e("mourning|mourn|funeral|burial|grave|graveyard|cemetery|requiem|elegy|lament|wake|bereavement|dirge",
       mode="minor", tempo="very_slow", brightness="dark", melody="falling", rhythm="none", density=3,
       axes={"energy": 0.1}),
    _e("melancholic|melancholy|wistful|blue|forlorn|regret|longing|yearning", mode="minor",
       melody="contemplative_minor", accent="piano_note", tempo="slow", brightness="dark"),
    _e("lonely|alone|solitude|isolated|abandoned|deserted|forsaken", pad="thin_high", melody="minimal", density=2,
       mode="minor", tempo="slow"),
    _e("tired|exhausted|weary|drowsy|sleepy|lethargic|numb|burnt out|burned out|running on fumes|drained|worn out",
       tempo="very_slow", density=2, axes={"energy": 0.05}),
    _e("blissed out|zoned out|chilled out|out loud|aloud", axes={"energy": 0.3}),
    _e("bored|boredom|dull afternoon|monotony", tempo="slow", density=2, motion="static", axes={"energy": 0.1}),
    # feelings: negative, high arousal
    _e("anxious|anxiety|nervous|worried|jittery|on edge|paranoid", rhythm="heartbeat", bass="pulsing", motion="fast",
       mode="minor", tempo="fast", axes={"energy": 0.7}),
    _e("tense|tension|suspense|suspenseful|dread|foreboding|ominous|menacing|threatening", rhythm="heartbeat",
       bass="pulsing", brightness="dark", attack="sharp", mode="minor", axes={"energy": 0.6, "register": 0.25}),
    _e("angry|anger|rage|fury|furious|hatred|vengeance|hostile", mode="minor", tempo="fast", grain="gritty",
       rhythm="kit_medium", density=6, attack="sharp", axes={"energy": 0.95}),
    _e("fear|afraid|scared|terror|terrified|panic|panicked|horror|nightmare", mode="minor", brightness="dark",
       tempo="fast", motion="chaotic", axes={"energy": 0.8}),
    _e("uneasy|unsettling|eerie|creepy|sinister|uncanny", mode="minor", motion="chaotic", texture="pad_whisper",
       brightness="dark"),
    _e("haunting|haunted|ghost|ghostly|spectral|phantom", pad="dark_sustained", texture="pad_whisper",
       brightness="dark", echo="heavy", mode="minor", space="vast"),
    # feelings: neutral
    _e("contemplative|thoughtful|reflective|pensive|introspective|musing", melody="contemplative", mode="dorian",
       tempo="slow", axes={"energy": 0.2}),
    _e("meditative|meditation|zen|mindful|mindfulness|prayer|praying|yoga", tempo="very_slow", bass="drone",
       rhythm="none", texture="breath", motion="static", density=2, axes={"energy": 0.05}),
    _e("mysterious|mystery|enigmatic|secret|cryptic", mode="dorian", brightness="dark", pad="dark_sustained",
       texture="pad_whisper"),
    _e("ethereal|angelic|heavenly|celestial|otherworldly", pad="ambient_drift", texture="shimmer", space="vast",
       brightness="bright", axes={"register": 0.75}),
    _e("dreamlike|dreamy|dream|dreams|dreaming|hazy|reverie", pad="ambient_drift", texture="shimmer_slow",
       echo="heavy", attack="soft", tempo="slow", space="large"),
    # feelings: intense
    _e("epic|grand|majestic|monumental|colossal", pad="cinematic", melody="heroic", accent="brass_hit", depth=True,
       space="vast", density=5, axes={"energy": 0.8}),
    _e("dramatic|drama|turmoil", pad="cinematic", accent="brass_hit", brightness="dark", mode="minor",
       axes={"energy": 0.75}),
    _e("chaotic|chaos|mayhem|pandemonium|riot|frenzy", motion="chaotic", texture="glitch", accent="blip_random",
       tempo="very_fast", density=6, axes={"energy": 0.95}),
    _e("frantic|rushing|hurried|hectic|chase|chased|pursuit|fleeing|escape|getaway", tempo="very_fast",
       rhythm="kit_medium", attack="sharp", motion="fast", density=5, axes={"energy": 0.9}),
    _e("overwhelming|overwhelmed", density=6, grain="gritty", depth=True, axes={"energy": 0.85}),
    # places: natural
    _e("forest|woods|woodland|trees|jungle canopy|grove|meadow", space="large", stereo="wide", accent="chime",
       texture="breath"),
    _e("ocean|sea|waves|beach|shore|coast|tide|surf", texture="noise_wash", pad="ambient_drift", space="vast",
       stereo="ultra_wide"),
    _e("desert|dunes|sand|wasteland", pad="stacked_fifths", accent="wind", melody="ornamental", brightness="bright",
       density=2, space="vast"),
    _e("mountain|mountains|peak|summit|alpine|glacier|valley", pad="stacked_fifths", bass="fifth_drone",
       echo="heavy", space="vast", stereo="wide"),
    _e("cave|cavern|grotto|tunnel|mine shaft|catacombs", brightness="very_dark", echo="heavy", depth=True,
       bass="drone", pad="dark_sustained", space="large", axes={"register": 0.2}),
    _e("underwater|deep sea|submerged|abyss|ocean floor|sunken", bass="sub_pulse", depth=True, brightness="dark",
       motion="slow", tempo="slow", axes={"register": 0.15}),
    _e("sky|clouds|heavens|flying|soaring above", pad="thin_high", stereo="ultra_wide", space="vast", depth=False,
       brightness="bright", axes={"register": 0.7}),
    _e("swamp|bog|marsh|fog|foggy|mist|misty", brightness="dark", texture="noise_wash", tempo="slow", motion="slow"),
    # places: urban and indoor
    _e("city night|city at night|nightclub|club night|night market", bass="pulsing", rhythm="hats_only",
       stereo="wide", brightness="dark", density=5),
    _e("city|tokyo|berlin|london|paris|new york|downtown|street|streets|traffic|crowd|crowds|market|bazaar|rush hour", stereo="wide", space="large",
       accent="pluck", density=5, tempo="medium"),
    _e("subway|metro|underground|train|commute|railway", bass="sub_pulse", rhythm="hats_only", depth=True,
       grain="warm", tempo="medium"),
    _e("office|cubicle|spreadsheet|meeting room", accent="blip", human="tight", space="small", brightness="medium"),
    _e("rooftop|balcony|terrace", rhythm="soft_four", stereo="wide", space="large"),
    _e("warehouse|industrial|factory|rave|club|dancefloor|dance floor", rhythm="electronic", grain="gritty",
       tempo="fast", bass="octave", density=5, axes={"energy": 0.9}),
    _e("bedroom|bed|pillow|blanket", space="small", stereo="narrow", pad="warm_slow", echo="none", tempo="slow"),
    _e("kitchen|breakfast|cooking", rhythm="kit_light", accent="pluck", brightness="bright", space="small"),
    _e("living room|lounge|jazz|jazz bar|speakeasy", rhythm="brush", bass="walking", mode="dorian", grain="warm"),
    _e("library|reading room|study hall|archive|museum|gallery", density=2, space="medium", tempo="slow",
       rhythm="none", axes={"energy": 0.1}),
    _e("candlelit|candle|candles|candlelight|lantern|lamplight|torchlit|firelight", brightness="dark", space="small",
       grain="warm", tempo="slow"),
    _e("cellar|basement|crypt|dungeon|vault|bunker", brightness="very_dark", space="small", depth=True,
       axes={"register": 0.2}),
    _e("cathedral|church|chapel|basilica|temple hall|great hall|concert hall|dome", accent="bells", space="vast",
       echo="heavy", stereo="wide"),
    _e("hospital|waiting room|clinic", rhythm="heartbeat", melody="minimal", motion="static", brightness="medium"),
    # places: abstract
    _e("void|nothingness|empty space|vacuum", melody="minimal", density=2, echo="infinite", brightness="very_dark",
       space="vast"),
    _e("liminal space|liminal|backrooms", texture="pad_whisper", melody="minimal", motion="static", human="robotic"),
    _e("digital realm|digital|cyber|cyberspace|computer|hacker|terminal", melody="arp_melody", rhythm="electronic",
       human="robotic", accent="blip"),
    _e("memory palace|memory|remember|remembering", melody="ornamental", texture="vinyl_crackle", echo="medium"),
    # times and seasons
    _e("dawn|sunrise|daybreak|first light", melody="rising", brightness="bright", pad="bright_open", mode="major",
       tempo="slow"),
    _e("morning|noon|midday|daytime", brightness="bright", tempo="medium", accent="chime"),
    _e("afternoon", melody="contemplative", rhythm="minimal", tempo="medium", brightness="medium"),
    _e("dusk|sunset|twilight|evening|gloaming", melody="falling", brightness="dark", texture="shimmer_slow"),
    _e("night|nighttime|nocturnal|nocturne|moonlight|moonlit", brightness="dark", pad="dark_sustained",
       texture="stars", tempo="slow"),
    _e("midnight|3am|2am|4am|small hours|dead of night", brightness="very_dark", tempo="very_slow", texture="stars"),
    _e("spring|blossom|blooming|bloom|flowers", accent="chime", brightness="bright", mode="major", pad="bright_open"),
    _e("summer|sunny|sunshine|sunlight|sunbathing|heatwave", brightness="very_bright", rhythm="kit_light",
       mode="mixolydian"),
    _e("autumn|fall leaves|leaves", melody="falling", grain="warm", mode="dorian"),
    _e("harvest|orchard|vineyard|village fete", mode="major", grain="warm", accent="pluck"),
    _e("winter|snow|ice|frozen|frost|icy|snowfall|blizzard", texture="crystal", brightness="bright", pad="thin_high",
       motion="static"),
    _e("retro|80s|eighties|synthwave|synth wave|vaporwave", bass="arp_bass", grain="warm", texture="vinyl_crackle"),
    _e("futuristic|future|sci fi|scifi|spaceship|android", accent="arp_accent", human="robotic", melody="arp_melody"),
    _e("timeless|eternal|eternity|forever", echo="infinite", motion="static", bass="drone"),
    _e("ancient|temple|ruins|monastery|shrine|monks|chant|chanting", bass="fifth_drone", accent="bells",
       melody="ornamental", pad="stacked_fifths", space="vast"),
    # activities: rest
    _e("falling asleep|sleep|sleeping|lullaby|bedtime|nap|napping|drifting off", tempo="very_slow", texture="breath",
       melody="falling", rhythm="none", density=2, brightness="dark", axes={"energy": 0.05}),
    _e("waking up|wake up|awakening|stretching", melody="rising", brightness="bright", tempo="slow"),
    _e("working late|focus|studying|study|reading|homework|concentration", rhythm="minimal", human="tight",
       texture="vinyl_crackle", density=3, axes={"energy": 0.25}),
    _e("waiting|queue|idle", rhythm="heartbeat", melody="minimal", motion="static"),
    _e("hammock|lazy|lounging|sunday|siesta|daydreaming|picnic", tempo="slow", human="loose", rhythm="none",
       mode="major", axes={"energy": 0.1}),
    # activities: movement
    _e("walking slowly|walking|stroll|strolling|wandering|ambling", bass="walking", tempo="medium", rhythm="minimal"),
    _e("floating|drifting|weightless|hovering|gliding", pad="ambient_drift", motion="slow", rhythm="none",
       echo="heavy", tempo="slow"),
    _e("running|jogging|sprint|sprinting|racing|driving|speeding|cycling|workout|training", tempo="fast",
       rhythm="kit_medium", bass="octave", motion="fast", axes={"energy": 0.85}),
    _e("dancing|dance|party|partying|disco|fiesta", tempo="fast", rhythm="electronic", mode="major",
       brightness="bright", density=5, axes={"energy": 0.85}),
    _e("standing still|stillness|still|frozen in time", motion="static", melody="minimal", tempo="very_slow"),
    # activities: events
    _e("before the storm|storm|thunder|stormy|thunderstorm|tempest|hurricane", texture="noise_wash", accent="wind",
       depth=True, motion="chaotic", brightness="dark", axes={"energy": 0.7}),
    _e("after the party|afterparty|hangover|morning after", rhythm="soft_four", human="loose", grain="warm",
       tempo="slow"),
    _e("end credits|credits|finale|ending", pad="cinematic", melody="heroic", space="large"),
    _e("wedding|bride|marriage|christening|anniversary|birthday|graduation", mode="major", brightness="bright",
       accent="bells", melody="rising", axes={"energy": 0.6}),
    _e("festival|celebration|carnival|fair|fireworks|parade", accent="bells_dense", rhythm="kit_light", tempo="fast",
       mode="major", density=5, brightness="bright", axes={"energy": 0.8}),
    _e("battle|war|combat|fight|fighting|siege|army|soldiers|marching|march", rhythm="military", melody="heroic",
       tempo="fast", mode="minor", grain="gritty", axes={"energy": 0.9}),
    _e("retro game|arcade|chiptune|8 bit|video game", bass="arp_bass", accent="blip_random", human="robotic",
       grain="gritty", tempo="fast"),
    _e("corrupted memory|corrupted|digital decay|broken|malfunction|error", texture="glitch", grain="gritty",
       accent="blip_random"),
    _e("stumbling home|stumbling|dizzy|carousel", human="drunk", motion="chaotic", tempo="slow"),
    _e("folk tale|folk|traveling bard|bard|tavern|campfire|pub", mode="mixolydian", melody="call_response",
       rhythm="brush", grain="warm"),
    _e("rain|rainy|raining|rainfall|drizzle|downpour|rainstorm", texture="noise_wash", accent="piano_note",
       melody="contemplative_minor", mode="dorian", brightness="dark", tempo="slow"),
    _e("stars|starry|starlight|galaxy|outer space|cosmos|cosmic|nebula|astronaut|orbit", texture="stars",
       space="vast", echo="heavy", stereo="wide"),
    _e("wind|windy|breeze|gust|gale", accent="wind", texture="breath"),
    _e("garden|porch|backyard|greenhouse", accent="chime", rhythm="none", brightness="bright"),
    _e("christmas|holiday|snowglobe", accent="bells", mode="major", brightness="bright"),
    _e("india|indian|raga|spiritual|incense|sitar", rhythm="tabla_essence", bass="fifth_drone", mode="dorian"),
    _e("cafe|coffee shop|coffee|bistro", accent="piano_note", rhythm="brush", grain="warm", space="small"),
    _e("crystal|crystalline|glass|glittering|diamonds|prism", texture="crystal", accent="arp_accent",
       brightness="very_bright", axes={"register": 0.85}),
    _e("birds|birdsong|songbirds|conversation|dialogue", melody="call_response", accent="chime",
       axes={"register": 0.85}),
    _e("machine|robot|mechanical|assembly line|engine", human="robotic", rhythm="electronic", attack="sharp",
       grain="gritty"),
    _e("spa|massage|bath|bathtub|sauna", tempo="very_slow", rhythm="none", space="medium", grain="clean",
       axes={"energy": 0.05}),
    _e("sport|sports|gym|workout|weightlifting|boxing|wrestling|climbing|rafting|surfing|skateboarding|skiing|race|"
       "marathon|stadium|match day|sprint finish|spinning class|crossfit", tempo="fast", rhythm="kit_medium",
       density=5, axes={"energy": 0.88}),
    _e("fishing|knitting|gardening|painting|stargazing|canoe|pond|lake|tea|tea ceremony|baking|crafting|pottery|"
       "birdwatching|sketching|embroidery", tempo="slow", density=3, rhythm="none", axes={"energy": 0.15}),
    _e("cabin|cottage|attic|hearth|fireplace|hut|tent", space="small", grain="warm", stereo="narrow",
       axes={"energy": 0.2}),
    _e("horizon|plains|prairie|tundra|steppe|fjord|canyon|lighthouse|cliff|open sea|aurora|arctic|siberia|"
       "wilderness|salt flats|savanna", space="vast", stereo="wide", density=2, axes={"energy": 0.25}),
    _e("ritual|ceremony|solstice|vigil|procession|pilgrimage|incantation", tempo="slow", bass="drone",
       melody="ornamental", space="large"),
    _e("airport|terminal|station|highway|freeway|motorway|commuters", tempo="medium", space="large", stereo="wide",
       density=4),
    _e("thunderous|volcano|earthquake|avalanche|explosion", depth=True, grain="gritty", density=6,
       axes={"energy": 0.95, "register": 0.1}),
)
