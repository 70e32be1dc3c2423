"""The one reader of vibe text: per-axis target and confidence, plus the config values a text names.

The `vibe` judge (text side), the rule mapper (`reference.vibe_mapper`) and the
teacher's prior all read words here, so there is one place to get smarter.

    reading = read("a funeral procession in the rain, no drums")
    reading.axes["valence"]   # AxisReading(target=0.1, confidence=0.6, sources=("concept:funeral",))
    reading.fields["rhythm"]  # FieldReading(value="none", explicit=True, ...)

How a text is read (the tables are in `aesthetics.vibe.words`):

1. explicit terms: keys and modes ("in F# dorian"; unsupported modes map to the
   nearest supported one, with a note), bpm ("120 bpm" -> the nearest tempo
   value, with a note) and the EXPLICIT table. They set config values exactly
   and speak for their axes with full confidence;
2. modifiers: within a clause, a negator before a term turns it around ("no
   drums" -> no rhythm, "not sad" -> the valence axis leans the other way with
   less confidence), "neither bright nor dark" reads as the middle value,
   intensifiers move an ordinal value one step outwards ("very slow") and
   softeners pull the axis target towards the middle ("slightly dark");
3. concepts: scenes, feelings and activities found literally imply values
   (a funeral: slow, minor, dark); they lose to explicit terms on the same axis;
4. unknown words: a content word in no table is embedded (MiniLM) and
   compared with every concept phrase; the nearest concept above
   NEIGHBOUR_FLOOR lends its implications with a confidence that grows with
   the similarity ("graveside" -> "grave"). Negated words are never read this
   way (MiniLM puts "not sad" beside "sad");
5. valence norms: VADER's human-rated word valences (vaderSentiment, MIT) give
   the valence axis a reading where the tables say nothing about it;
6. probe: a linear probe per axis on the whole text's MiniLM embedding,
   trained on the reader's tuning sets (`aesthetics.vibe.probe`), joins the
   reading of every axis no explicit term set, last (after the derived axes and
   the anchors), where it leans clearly. The anchors and the probe read the
   text without its negated scopes (MiniLM puts "no grit" beside "grit");
   a scope opened by "barely"/"hardly" stays visible when no table term is in it.

Per axis, explicit readings win, and among them a named value beats a denied
one ("hi-hats only, no kick" is hats; "no drums, just brushes" is brush); otherwise the implied readings are averaged
by confidence and their confidences combine as a noisy-or (capped at
IMPLIED_CAP). Sources name what spoke (`explicit:presto`, `concept:funeral`,
`neighbour:graveside~grave(0.74)`, `norms:vader`, `probe`). Deterministic; readings
are cached per text (embeddings on disk, `aesthetics.embed`).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from aesthetics.vibe.axes import AXIS_NAMES
from aesthetics.vibe.probe import PROBE, probe_votes
from aesthetics.vibe.words import CONCEPTS, EXPLICIT, INTENSIFIERS, NEGATORS, SOFTENERS, Entry
from tools.errors import ScorerError

BANK = Path(__file__).with_name("concepts.npz")
SOURCES = ("explicit", "concepts", "neighbours", "norms", "probe", "anchors")
ANCHOR_SHARE = 0.5  # the anchors' confidence, scaled: they fill axes the text says nothing clear about
# field -> (axis it drives, ordered values low -> high, level of each value on the axis)
ORDINAL = {
    "tempo": ("pace", ("very_slow", "slow", "medium", "fast", "very_fast")),
    "brightness": ("brightness", ("very_dark", "dark", "medium", "bright", "very_bright")),
    "space": ("space", ("dry", "small", "medium", "large", "vast")),
    "density": ("density", (2, 3, 4, 5, 6)),
    "stereo": ("width", ("mono", "narrow", "medium", "wide", "ultra_wide")),
}
# Fields that drive an axis but are not evenly ordered: value -> level.
LEVELS = {
    "mode": ("valence", {"minor": 0.1, "dorian": 0.3, "mixolydian": 0.7, "major": 0.9}),
    "grain": ("grit", {"clean": 0.05, "warm": 0.5, "gritty": 0.95}),
    "echo": ("space", {"none": 0.1, "subtle": 0.35, "medium": 0.55, "heavy": 0.8, "infinite": 0.95}),
    "rhythm": ("percussion", {"none": 0.02, "minimal": 0.4, "heartbeat": 0.3, "brush": 0.65, "soft_four": 0.8,
                              "hats_only": 0.7, "kit_light": 0.8, "tabla_essence": 0.85, "kit_medium": 0.95,
                              "military": 0.95, "electronic": 0.98}),
}
CONCEPT_CONFIDENCE = 0.6
NEGATED_CONFIDENCE = 0.6  # "not fast": the axis leans slow, less surely than "slow"
NEGATED_CONCEPT_CONFIDENCE = 0.3
STRONG, WEAK = 1.3, 0.6  # confidence multipliers for intensified / softened concepts
SOFT_PULL = 0.45  # a softened explicit term keeps this share of its distance from the middle
NEIGHBOUR_FLOOR = 0.62  # cosine below which an unknown word lends nothing
NEIGHBOUR_SPAN = 0.25  # confidence rises from 0 at the floor to its maximum at floor + span
NEIGHBOUR_MAX = 0.5
NORMS_MAX = 0.5  # confidence of VADER's valence at |compound| = 1
IMPLIED_CAP = 0.9
# Negators whose scope the whole-text readers still see when no table term is read in it: MiniLM reads
# "barely any sound" as quiet, as meant (but "hardly any stereo width" as wide).
MINIMISERS = frozenset(("barely", "hardly", "scarcely"))
MIN_WORD = 3
STOPWORDS = frozenset("""a an the of in on at by for from to into onto over under with within through across
around after before during while as is are was were be been being this that these those it its my your our
their his her some any one two three four five me you we they he she them us very more most just only then than
like feel feels feeling sound sounds sounding music song track piece vibe vibes mood something somewhere
about up down out off back there here where when who what which how all every each other another own such
way also still even ever quite little bit too much many lot lots kind sort type style thing things time times
i am i'm im it's its""".split())
CLAUSE_SPLIT = re.compile(r"\s*(?:[,;.!?:()]|\band\b|\bbut\b|\bwith\b|\bwhile\b|\bthen\b)\s*")
WORD = re.compile(r"[a-z0-9#']+")
BPM = re.compile(r"\b(\d{2,3})\s*(?:bpm|beats per minute)\b")
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
LAYERS = re.compile(rf"\b(\d|{'|'.join(NUMBERS)})\s+(?:layers|sounds|voices|instruments|parts|tracks)\b")
TEMPO_BPM = ((66, "very_slow"), (86, "slow"), (111, "medium"), (136, "fast"))  # upper bounds; above: very_fast
_FLAT = {"db": "c#", "eb": "d#", "fb": "e", "gb": "f#", "ab": "g#", "bb": "a#", "cb": "b"}
MODES = ("major", "minor", "dorian", "mixolydian")
# Modes the instrument does not have -> the nearest one it has (by the third and seventh).
NEAREST_MODE = {"ionian": "major", "aeolian": "minor", "lydian": "major", "phrygian": "minor", "locrian": "minor"}
_MODE_WORDS = "|".join((*MODES, *NEAREST_MODE))
_ACCIDENTAL = r"(#|♯|b|♭|\s*sharp|\s*flat)?"
# "d minor", "in f# dorian", "key of eb", "e flat major": a bare letter only counts next to a mode or "key of".
KEY = re.compile(
    rf"\b(?:key of\s+([a-g]){_ACCIDENTAL}(?:\s+({_MODE_WORDS}))?"
    rf"|([a-g]){_ACCIDENTAL}\s+({_MODE_WORDS})"
    rf"|(?<=\bin )([a-g]){_ACCIDENTAL}(?=\s*(?:[,;.!?]|$)))(?![\w#])"
)


@dataclass(frozen=True)
class AxisReading:
    target: float  # 0 = the axis's low pole, 1 = its high pole
    confidence: float  # 0 = the text says nothing about this axis
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldReading:
    value: object
    explicit: bool  # named by the text (a term, a key, a bpm) rather than implied by a scene or feeling
    source: str
    weight: float = 1.0


@dataclass(frozen=True)
class Reading:
    text: str
    axes: dict[str, AxisReading]
    fields: dict[str, FieldReading]
    terms: tuple[str, ...]  # what was read, in text order
    notes: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()  # content words nothing could read

    def explicit_fields(self) -> dict[str, object]:
        return {name: f.value for name, f in self.fields.items() if f.explicit}

    def to_json(self) -> dict:
        return {
            "axes": {name: {"target": round(a.target, 4), "confidence": round(a.confidence, 4), "sources": list(a.sources)}
                     for name, a in self.axes.items() if a.confidence > 0},
            "fields": {name: {"value": f.value, "explicit": f.explicit, "source": f.source} for name, f in self.fields.items()},
            "terms": list(self.terms), "notes": list(self.notes), "unread": list(self.unread),
        }


@dataclass
class _Votes:
    """What the reading collects before it is combined."""

    axes: dict[str, list[tuple[float, float, str, bool]]] = field(default_factory=lambda: defaultdict(list))
    fields: dict[str, dict[object, list]] = field(default_factory=lambda: defaultdict(dict))
    terms: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    negated: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each negator's scope

    def axis(self, name: str, target: float, confidence: float, source: str, explicit: bool) -> None:
        if confidence > 0:
            self.axes[name].append((float(np.clip(target, 0.0, 1.0)), float(min(confidence, 1.0)), source, explicit))

    def value(self, name: str, value: object, weight: float, source: str, explicit: bool, position: int) -> None:
        tally = self.fields[name].setdefault(value, [0.0, position, source, False])
        tally[0] += weight + (1000.0 if explicit else 0.0)
        tally[1] = min(tally[1], position)
        tally[3] = tally[3] or explicit


def field_level(name: str, value: object) -> tuple[str, float] | None:
    """(axis, level in [0, 1]) that a config value sets, or None when the field drives no axis."""
    if name in ORDINAL:
        axis, values = ORDINAL[name]
        return axis, values.index(value) / (len(values) - 1)
    if name in LEVELS:
        axis, levels = LEVELS[name]
        return axis, levels[value]
    return None


def nearest_value(name: str, level: float) -> object:
    """The ordinal value of `name` nearest to an axis level."""
    values = ORDINAL[name][1]
    return values[int(np.clip(round(level * (len(values) - 1)), 0, len(values) - 1))]


def _index(entries: Iterable[Entry]) -> dict[tuple[str, ...], list[Entry]]:
    index: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
    for entry in entries:
        for phrase in entry.phrases:
            index[tuple(phrase.split())].append(entry)
    return index


_EXPLICIT_INDEX = _index(EXPLICIT)
_CONCEPT_INDEX = _index(CONCEPTS)
_LONGEST = max(len(k) for k in (*_EXPLICIT_INDEX, *_CONCEPT_INDEX))
_SOFTENER_WORDS = {tuple(s.split()) for s in SOFTENERS}


def normalise(text: str) -> str:
    lowered = str(text).lower().replace("’", "'")
    lowered = re.sub(r"(?<=[a-z])-(?=[a-z0-9])", " ", lowered)  # lo-fi -> lo fi, candle-lit -> candle lit
    return " ".join(lowered.split())


def read(text: str, sources: Iterable[str] = SOURCES) -> Reading:
    """Read a vibe: axes with targets, confidences and sources; explicit and implied config values."""
    return _read(normalise(text), frozenset(sources))


@lru_cache(maxsize=8192)
def _read(text: str, sources: frozenset[str]) -> Reading:
    votes = _Votes()
    blanked = _keys_and_bpm(text, votes)
    unknown: list[tuple[int, str]] = []
    offset = 0
    for clause in CLAUSE_SPLIT.split(blanked):
        start = blanked.find(clause, offset) if clause else offset
        offset = max(offset, start)
        unknown += _read_clause(clause, start, votes, sources)
    if "neighbours" in sources:
        unknown = [(p, w) for p, w in unknown if not _lend_neighbour(w, p, votes)]
    if "norms" in sources:
        _valence_norms(text, votes)
    return _combine(text, _affirmed(text, votes.negated), votes, tuple(w for _, w in unknown), sources)


def _affirmed(text: str, negated: list[tuple[int, int]]) -> str:
    """The text without its negated scopes: what the whole-text readers (anchors, probe) may see. MiniLM reads
    "no grit whatsoever" beside "grit", so a negated phrase would speak for the pole it denies."""
    for begin, end in negated:
        text = text[:begin] + " " * (end - begin) + text[end:]
    return " ".join(text.split()) if WORD.search(text) else ""


def _keys_and_bpm(text: str, votes: _Votes) -> str:
    """Vote for named keys, modes and bpm; return the text with those phrases blanked."""
    for match in KEY.finditer(text):
        groups = match.groups()
        letter, accidental, mode = groups[:3] if groups[0] else groups[3:6] if groups[3] else (*groups[6:], None)
        accidental = (accidental or "").strip()
        root = letter
        if accidental in ("#", "♯", "sharp"):
            root = {"e": "f", "b": "c"}.get(letter, letter + "#")
        elif accidental in ("b", "♭", "flat"):
            root = _FLAT[letter + "b"]
        term = match.group(0)
        votes.terms.append((match.start(), term))
        votes.value("root", root, 1.0, f"explicit:{term}", True, match.start())
        if mode:
            if mode in NEAREST_MODE:
                votes.notes.append(f"'{term}': the instrument has no {mode} mode; the nearest, {NEAREST_MODE[mode]}, is used")
                mode = NEAREST_MODE[mode]
            _set_value("mode", mode, f"explicit:{term}", match.start(), votes, 1.0)
    for match in BPM.finditer(text):
        bpm = int(match.group(1))
        tempo = next((name for bound, name in TEMPO_BPM if bpm < bound), "very_fast")
        votes.terms.append((match.start(), match.group(0)))
        votes.notes.append(f"'{match.group(0)}': the ambient instrument has tempo steps, not bpm; {bpm} bpm -> tempo {tempo}")
        _set_value("tempo", tempo, f"explicit:{match.group(0)}", match.start(), votes, 1.0)
    for match in LAYERS.finditer(text):
        count = NUMBERS.get(match.group(1)) or int(match.group(1))
        density = min(max(count, 2), 6)
        votes.terms.append((match.start(), match.group(0)))
        if density != count:
            votes.notes.append(f"'{match.group(0)}': the instrument plays 2 to 6 layers; density {density}")
        _set_value("density", density, f"explicit:{match.group(0)}", match.start(), votes, 1.0)
    for pattern in (KEY, BPM, LAYERS):
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _set_value(name: str, value: object, source: str, position: int, votes: _Votes, confidence: float,
               pull: float = 1.0) -> None:
    """An explicit config value: the field, and the axis it drives (pulled towards the middle when softened)."""
    votes.value(name, value, 1.0, source, True, position)
    level = field_level(name, value)
    if level is not None:
        votes.axis(level[0], 0.5 + pull * (level[1] - 0.5), confidence, source, True)


def _read_clause(clause: str, start: int, votes: _Votes, sources: frozenset[str]) -> list[tuple[int, str]]:
    """Read one clause; return its content words that no table knows (with their positions). A negator's scope
    (from it to the clause's end) goes into `votes.negated`."""
    words = [(start + m.start(), m.group(0)) for m in WORD.finditer(clause)]
    tokens = [w for _, w in words]
    unknown = []
    negated = False
    minimised = False  # the scope opened with "barely"/"hardly": hidden only once a table term is read in it
    neither: list[tuple[Entry, str, int]] = []
    i = 0
    while i < len(tokens):
        match = _match(tokens, i)
        if match is None and (tokens[i] in NEGATORS or tuple(tokens[i : i + 2]) == ("free", "of")):
            if not negated:
                votes.negated.append((words[i][0], start + len(clause)))
                minimised = tokens[i] in MINIMISERS
            negated = True
            i += 1
            continue
        if match is None:
            if len(tokens[i]) >= MIN_WORD and tokens[i] not in STOPWORDS and not _is_modifier(tokens, i) \
                    and not negated and not tokens[i].isdigit():
                unknown.append(words[i])
            i += 1
            continue
        n, explicit, concepts = match
        minimised = False
        phrase, position = " ".join(tokens[i : i + n]), words[i][0]
        strength = _strength(tokens, i)
        votes.terms.append((position, ("not " if negated else "") + phrase))
        if "neither" in tokens[:i] and explicit:
            neither += [(entry, phrase, position) for entry in explicit]
        if "explicit" in sources:
            for entry in explicit:
                _apply_explicit(entry, phrase, position, negated, strength, votes)
        if "concepts" in sources:
            for entry in concepts:
                _apply_concept(entry, phrase, position, negated, strength, votes)
        i += n
    if minimised:
        votes.negated.pop()
    _neither(neither, votes)
    return unknown


def _match(tokens: list[str], i: int) -> tuple[int, list[Entry], list[Entry]] | None:
    for n in range(min(_LONGEST, len(tokens) - i), 0, -1):
        key = tuple(tokens[i : i + n])
        if key in _EXPLICIT_INDEX or key in _CONCEPT_INDEX:
            return n, _EXPLICIT_INDEX.get(key, []), _CONCEPT_INDEX.get(key, [])
    return None


def _is_modifier(tokens: list[str], i: int) -> bool:
    return tokens[i] in INTENSIFIERS or any(tuple(tokens[i : i + len(s)]) == s or tuple(tokens[i - len(s) + 1 : i + 1]) == s
                                            for s in _SOFTENER_WORDS)


def _strength(tokens: list[str], i: int) -> float:
    """STRONG after an intensifier, WEAK after a softener (up to three words back), else 1."""
    before = tokens[max(0, i - 3) : i]
    if any(tuple(before[j : j + len(s)]) == s for s in _SOFTENER_WORDS for j in range(len(before))):
        return WEAK
    if before and before[-1] in INTENSIFIERS or before[-2:-1] and before[-2] in INTENSIFIERS:
        return STRONG
    return 1.0


def _apply_explicit(entry: Entry, phrase: str, position: int, negated: bool, strength: float, votes: _Votes) -> None:
    source = f"explicit:{'not ' if negated else ''}{phrase}"
    if negated and entry.negated:
        for name, value in entry.negated.items():
            _set_value(name, value, source, position, votes, 1.0)
        return
    for name, value in entry.fields.items():
        level = field_level(name, value)
        if negated:  # "not fast": the axis leans the other way; no exact value is named
            if level is not None and abs(level[1] - 0.5) > 1e-9:
                votes.axis(level[0], 0.5 - 0.6 * (level[1] - 0.5), NEGATED_CONFIDENCE, source, False)
            continue
        if strength == STRONG and name in ORDINAL:
            values = ORDINAL[name][1]
            k = values.index(value)
            value = values[min(k + 1, len(values) - 1) if k > len(values) // 2 else max(k - 1, 0) if k < len(values) // 2 else k]
        _set_value(name, value, source, position, votes, 1.0, SOFT_PULL if strength == WEAK else 1.0)
    for axis, level in entry.axes.items():
        if negated:
            votes.axis(axis, 0.5 - 0.6 * (level - 0.5), NEGATED_CONFIDENCE, source, False)
        else:
            votes.axis(axis, 0.5 + (SOFT_PULL if strength == WEAK else 1.0) * (level - 0.5), 1.0, source, True)


def _apply_concept(entry: Entry, phrase: str, position: int, negated: bool, strength: float, votes: _Votes,
                   confidence: float = CONCEPT_CONFIDENCE, source: str | None = None) -> None:
    source = source or f"concept:{'not ' if negated else ''}{phrase}"
    confidence = confidence * strength
    for axis, level in _concept_axes(entry).items():
        if negated:
            votes.axis(axis, 1.0 - level, NEGATED_CONCEPT_CONFIDENCE * strength, source, False)
        else:
            votes.axis(axis, level, confidence, source, False)
    if not negated:
        for name, value in entry.fields.items():
            votes.value(name, value, confidence, source, False, position)


def _concept_axes(entry: Entry) -> dict[str, float]:
    axes = dict(entry.axes)
    for name, value in entry.fields.items():
        level = field_level(name, value)
        if level is not None and level[0] not in axes:
            axes[level[0]] = level[1]
    return axes


def _neither(readings: list[tuple[Entry, str, int]], votes: _Votes) -> None:
    """'neither bright nor dark': two poles of one ordinal field named under 'neither' -> its middle value."""
    named: dict[str, list[str]] = defaultdict(list)
    for entry, phrase, _ in readings:
        for name in entry.fields:
            if name in ORDINAL:
                named[name].append(phrase)
    for name, phrases in named.items():
        if len(phrases) >= 2:
            axis = ORDINAL[name][0]
            votes.axes[axis] = [v for v in votes.axes[axis] if not v[2].startswith("explicit:not ")]
            _set_value(name, ORDINAL[name][1][2], f"explicit:neither {' nor '.join(phrases)}", readings[0][2], votes, 1.0)


@lru_cache(maxsize=1)
def reader_fingerprint() -> str:
    """8 hex digits of the reader's code and tables: part of the judge's version, so every cache keyed on the
    version misses when the reading of words changes."""
    folder = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("reader.py", "words.py", "anchors.py", "axes.py", "probe.py", PROBE.name):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:8]


def concept_phrases() -> list[str]:
    return [phrase for entry in CONCEPTS for phrase in entry.phrases]


def bank_digest() -> str:
    """sha256 of the concept phrases and the embedding model: the shipped bank must match it."""
    from aesthetics.embed import EMBED_VERSION

    return hashlib.sha256("\n".join([EMBED_VERSION, *concept_phrases()]).encode()).hexdigest()


@lru_cache(maxsize=1)
def _concept_bank() -> tuple[np.ndarray, tuple[tuple[str, Entry], ...]]:
    """The shipped embeddings of every concept phrase (BANK), checked against the tables."""
    items = tuple((phrase, entry) for entry in CONCEPTS for phrase in entry.phrases)
    stale = "rebuild it: .venv/bin/python scripts/build_reader_bank.py (after any change to aesthetics/vibe/words.py)"
    if not BANK.exists():
        raise ScorerError(f"the reader's concept bank {BANK} is missing; {stale}")
    with np.load(BANK) as bank:
        if str(bank["digest"]) != bank_digest():
            raise ScorerError(f"the reader's concept bank {BANK} does not match the concept tables; {stale}")
        return bank["vectors"], items


def _lend_neighbour(word: str, position: int, votes: _Votes) -> bool:
    """An unknown word borrows the implications of its nearest concept phrase (MiniLM cosine)."""
    from aesthetics.embed import embed_texts

    bank, items = _concept_bank()
    sims = bank @ embed_texts([word])[0]
    best = int(np.argmax(sims))
    similarity = float(sims[best])
    if similarity < NEIGHBOUR_FLOOR:
        return False
    phrase, entry = items[best]
    confidence = NEIGHBOUR_MAX * min(1.0, (similarity - NEIGHBOUR_FLOOR) / NEIGHBOUR_SPAN)
    votes.terms.append((position, f"{word}~{phrase}"))
    _apply_concept(entry, phrase, position, False, 1.0, votes, confidence, f"neighbour:{word}~{phrase}({similarity:.2f})")
    return True


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _valence_norms(text: str, votes: _Votes) -> None:
    compound = float(_vader().polarity_scores(text)["compound"])
    votes.axis("valence", 0.5 + 0.5 * compound, NORMS_MAX * abs(compound), "norms:vader", False)


# axis -> axes that imply it when the text says nothing of it directly, and how much of their confidence carries:
# arousal goes with tempo, a beat and density (both ways: "energetic" asks for a beat and some speed); the
# instrument's brightness field moves both timbre and register.
DERIVED = {"energy": (("pace", "percussion", "density"), 0.6), "percussion": (("energy",), 0.6),
           "pace": (("energy",), 0.5), "brightness": (("register",), 0.6), "register": (("brightness",), 0.6)}


def _derive(axes: dict[str, AxisReading]) -> dict[str, AxisReading]:
    derived = dict(axes)
    for name, (parents, share) in DERIVED.items():
        if axes[name].confidence > 0:
            continue
        spoken = [axes[p] for p in parents if axes[p].confidence > 0]
        if spoken:
            weights = np.array([a.confidence for a in spoken])
            target = float(np.dot(weights, [a.target for a in spoken]) / weights.sum())
            sources = tuple(f"derived:{p}" for p in parents if axes[p].confidence > 0)
            derived[name] = AxisReading(target, share * float(weights.max()), sources)
    return derived


def _fill_from_anchors(text: str, axes: dict[str, AxisReading]) -> dict[str, AxisReading]:
    from aesthetics.vibe.anchors import anchor_targets

    filled = dict(axes)
    for name, reading in anchor_targets(text, by_clause=False).items():
        if axes[name].confidence == 0 and reading.confidence > 0:
            filled[name] = AxisReading(reading.target, ANCHOR_SHARE * reading.confidence, ("anchors",))
    return filled


def _mix_probe(text: str, axes: dict[str, AxisReading], explicit: set[str]) -> dict[str, AxisReading]:
    """The probe's vote joins every axis no explicit term set: averaged by confidence, confidences as a noisy-or."""
    mixed = dict(axes)
    for name, (target, confidence) in probe_votes(text).items():
        if name in explicit:
            continue
        a = axes[name]
        total = a.confidence + confidence
        mixed[name] = AxisReading((a.target * a.confidence + target * confidence) / total,
                                  min(IMPLIED_CAP, 1.0 - (1.0 - a.confidence) * (1.0 - confidence)), (*a.sources, "probe"))
    return mixed


def _denial(source: str) -> bool:
    """An explicit reading that denies ("explicit:not kick", "explicit:no drums") rather than names a value."""
    words = source.removeprefix("explicit:").split()
    return source.startswith("explicit:") and bool(words) and words[0] in (*NEGATORS, "not")


def _combine(text: str, affirmed: str, votes: _Votes, unread: tuple[str, ...], sources: frozenset[str]) -> Reading:
    """Per axis, explicit readings win (a named value over a denied one: "hi-hats only, no kick" is hats);
    `affirmed` (the text without negated scopes) is what the anchors and the probe read."""
    axes = {}
    explicit_axes = set()
    for name in AXIS_NAMES:
        readings = votes.axes.get(name, [])
        explicit = [r for r in readings if r[3]]
        explicit = [r for r in explicit if not _denial(r[2])] or explicit
        if explicit:
            explicit_axes.add(name)
        chosen = explicit or readings
        if not chosen:
            axes[name] = AxisReading(0.5, 0.0)
            continue
        weights = np.array([r[1] for r in chosen])
        target = float(np.dot(weights, [r[0] for r in chosen]) / weights.sum())
        confidence = max(r[1] for r in chosen) if explicit else min(IMPLIED_CAP, 1.0 - float(np.prod(1.0 - weights)))
        axes[name] = AxisReading(target, confidence, tuple(dict.fromkeys(r[2] for r in chosen)))
    axes = _derive(axes)
    if "anchors" in sources and affirmed:
        axes = _fill_from_anchors(affirmed, axes)
    if "probe" in sources and affirmed:
        axes = _mix_probe(affirmed, axes, explicit_axes)
    fields = {}
    for name, tally in votes.fields.items():
        value, (weight, _position, source, explicit) = max(
            tally.items(), key=lambda kv: (kv[1][3], not _denial(kv[1][2]), kv[1][0], -kv[1][1]))
        fields[name] = FieldReading(value, explicit, source, weight - (1000.0 if explicit else 0.0))
    return Reading(text, axes, fields, tuple(t for _, t in sorted(votes.terms)), tuple(votes.notes), unread)
