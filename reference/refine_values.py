"""What an edit instruction asks, and the values it names (the absolute half of `reference.refiner`).

`Asked` collects a clause's moves and values before they are applied. The rest of
the module reads values: "field value" phrases ("sharp attack", "density 3",
"keep the melody minimal"), named sounds in any order and form ("a pulsing sub
bass", "plucks", "a tabla groove"), and whatever else the project's one reader
(`aesthetics.vibe.reader`) reads as *named* (explicit), never what a scene merely
implies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aesthetics.vibe.reader import STOPWORDS, Reading, read
from aesthetics.vibe.words import NEGATORS
from reference import edit_words as W
from tools.schema import FIELDS, choices

# Values of the sound fields a text may name without the field ("plucks", "a sub pulse bass", "noise wash"):
# multi-word ones, and single words no other field uses ("minimal" or "none" are not names of one sound).
_COUNTS = {v: sum(str(v) in map(str, choices(n)) for n in FIELDS) for f in FIELDS for v in choices(f)}
SOUND_VALUES = tuple(
    (name, v) for name in sorted(W.NAMED_SOUNDS) for v in choices(name) if "_" in str(v) or (_COUNTS[v] == 1 and len(str(v)) >= 4 and v != "none")
)
# Field names, their plurals and other names ("lead line", "bassline"), for "field value" phrases.
FIELD_WORDS = {**{name: name for name in FIELDS}, **{name + "s": name for name in FIELDS}, **W.FIELD_SYNONYMS}
# Words that name a field in a "field value" phrase: its names, and its parts' nouns ("subtle delay", "vast reverb").
NAMING = {**{noun: name for noun, (name, _) in W.NOUNS.items()}, **FIELD_WORDS}
UNREAD_IGNORED = STOPWORDS | frozenset(NEGATORS) | W.MODIFIERS | W.FILLER | W.SKIP | W.STEP_WORDS


@dataclass
class Asked:
    """What an instruction asks, before it is applied: relative moves, set values, notes, words nothing read."""

    moves: dict[str, tuple[int, str]] = field(default_factory=dict)
    values: dict[str, tuple[object, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    # Moves away from what a description says ("it sounds muffled"): a request on the same field wins.
    weak: dict[str, tuple[int, str]] = field(default_factory=dict)
    subject: tuple[str, int] | None = None  # the part a description or a keep named ("the echo ...; tone it down")

    def move(self, name: str, steps: int, words: str) -> None:
        """Move a field; two words for the same move ("a much harder, snappier attack") keep the larger step."""
        before = self.moves.get(name, (0, ""))[0]
        if before * steps <= 0 or abs(steps) > abs(before):
            self.moves[name] = (steps, words)
        self.values.pop(name, None)

    def set(self, name: str, value: object, words: str) -> None:
        if name not in self.moves:
            self.values[name] = (value, words)

    def remove(self, name: str, words: str) -> None:
        """Set a part to nothing ("no reverb"); a layer is one fewer ("drop a layer")."""
        if name == "density":
            self.move("density", -1, words)
        else:
            self.set(name, W.REMOVED[name], words)

    def anything(self) -> bool:
        return bool(self.moves or self.values or self.weak)

    def settle(self) -> None:
        """The descriptions' moves, when no request asked anything ("it sounds muffled", but not "it's too glaring
        and sunny": the request "too glaring" says what to change)."""
        if not self.moves and not self.values:
            self.moves.update(self.weak)


def field_values(tokens: list[str], asked: Asked) -> tuple[list[str], set[str]]:
    """Set the values of the fields a clause names ("sharp attack", "density 3", "arpeggiated lead line", "a
    medium-sized reverb"); return the tokens left and the fields set. Longest value phrases first, across the named
    fields ("dark sustained pad" before the bass's "sustained"); keys are the reader's (a root letter would match the
    article "a")."""
    named = {NAMING[t] for t in tokens if t in NAMING}
    left, done = list(tokens), set()
    phrases = sorted(
        ((name, value, tuple(str(value).lower().split("_"))) for name in named - {"root", "depth"} for value in choices(name)),
        key=lambda c: (-len(c[2]), -len(str(c[1]))),
    )
    for name, value, words in phrases:
        at = _locate(left, words, stem=True)
        if at is not None and name not in done:
            if not W.NEGATED & set(left[max(0, min(at) - 2) : min(at)]):  # "not a walking bass" sets nothing
                asked.set(name, value, " ".join(words))
                done.add(name)
            left = [t for k, t in enumerate(left) if k not in at]
    return left, done


def absolute(tokens: list[str], asked: Asked, moved: bool) -> None:
    """Set the values the rest of a clause names: "field value" phrases, named sounds, then the reader's explicit
    values (a field's own name sets nothing; after a move, or a value set before, a part's noun sets nothing: "vast,
    cathedral-sized reverb")."""
    named = {NAMING[t] for t in tokens if t in NAMING}
    left, done = field_values(tokens, asked)
    left = [t for t in left if t not in W.STEP_WORDS]
    sounds = [sound for sound in sound_values(left) if sound[0] not in done]
    for name, value, _ in sounds:
        asked.set(name, value, str(value).replace("_", " "))
    left = [t for t in left if t not in W.SOUND_ALIASES and not any(_names(t, w) for _, v, _ in sounds for w in str(v).split("_"))]
    reading = read(" ".join(left), sources=("explicit",))
    by_term: dict[str, list[tuple[str, object]]] = {}
    for name, found in reading.fields.items():
        if found.explicit:
            by_term.setdefault(found.source.removeprefix("explicit:"), []).append((name, found.value))
    sounded = {name for name, _, _ in sounds} | done  # "ultra wide stereo field": not the reader's "stereo field"
    for term, fields in by_term.items():
        word = term.removeprefix("not ")
        if word in FIELD_WORDS or (word in W.NOUNS and (moved or any(f[0] in asked.values for f in fields))):
            continue
        # The named sound wins ("brush drums"), and its own parts are no request ("a walking bassline": no sub layer).
        fields = [f for f in fields if f[0] not in sounded and W.PART_OF.get(f[0]) not in sounded]
        # A key sets root and mode together; other terms set their first field ("bone dry" -> space, not echo too),
        # or the fields the clause names ("arpeggiated melody" -> melody, not the accent).
        chosen = [f for f in fields if f[0] in named] or (fields if {n for n, _ in fields} <= {"root", "mode"} else fields[:1])
        for name, value in chosen:
            asked.set(name, value, term)
    asked.unread += [
        w for w in left if w not in UNREAD_IGNORED and w not in W.NOUNS and w not in FIELD_WORDS and len(w) > 2 and not _was_read(w, reading)
    ]


def names_value(tokens: list[str], j: int) -> bool:
    """Whether the word at j names a value of a field named within the next three words ("contemplative ... melody")."""
    return named_value(tokens, j) is not None


def named_value(tokens: list[str], j: int) -> tuple[str, object, int] | None:
    """(field, value, index of the field's word) of the first field named within three words after j whose value
    the word at j names ("sharp" in "less sharp attacks": attack, sharp)."""
    for k in range(j + 1, min(j + 4, len(tokens))):
        name = NAMING.get(tokens[k])
        found = next((v for v in choices(name) for w in str(v).split("_") if _names(tokens[j], w, stem=True)), None) if name else None
        if found is not None:
            return name, found, k
    return None


def sound_values(tokens: list[str]) -> list[tuple[str, object, int]]:
    """(field, value, words) of the named sounds in `tokens`: a value of bass, pad, melody, rhythm, texture or accent
    whose words all appear (in any order, longer forms: "plucks", "random blips", "crystalline"; several words in
    any form: "a pulsing sub bass"), or a short name of one ("tabla", "hats"); the value with most words first, one
    per field. One word in any form names a sound only with its field ("the melody should rise", not "heartbeat
    pulse")."""
    found = [
        (name, value, len(words))
        for name, value in SOUND_VALUES
        if _locate(tokens, words := tuple(str(value).split("_")), stem=len(words) > 1) is not None
    ]
    found += [(*W.SOUND_ALIASES[t], 1) for t in tokens if t in W.SOUND_ALIASES]
    found.sort(key=lambda f: -f[2])
    kept, taken = [], set()
    for name, value, width in found:
        if name not in taken:
            kept.append((name, value, width))
            taken.add(name)
    return kept


def removable(tokens: list[str], j: int) -> tuple[str, int] | None:
    """(field, words it takes) of a part that can be removed, named at j ("accents", "noise wash", "bells")."""
    if j >= len(tokens):
        return None
    word = tokens[j]
    if word in W.FIELD_NOUNS:
        return W.FIELD_NOUNS[word], 1
    noun = W.NOUNS.get(word)
    if noun is not None and (noun[0] in W.REMOVED or noun[0] == "density"):
        return noun[0], 1
    for width in (2, 1):  # a sound named right here ("the noise wash", "the plucks"), its words and no others
        sound = [f for f in sound_values(tokens[j : j + width]) if f[2] == width and f[0] in W.REMOVED]
        if sound and len(tokens[j : j + width]) == width:
            return sound[0][0], width
    for width in (2, 1):
        reading = read(" ".join(tokens[j : j + width]), sources=("explicit",))
        named = [name for name, found in reading.fields.items() if found.explicit and name in W.REMOVED]
        if named and len(reading.terms) == 1 and reading.terms[0].split()[0] == word:  # not "put piano"
            return named[0], width
    return None


def _locate(tokens: list[str], words: tuple[str, ...], stem: bool) -> list[int] | None:
    """Where a value's words stand in `tokens`, in any order and longer forms ("plucks"), with `stem` in any form
    ("pulsing sub" for sub pulse, "rise" for rising)."""
    at = [next((k for k, t in enumerate(tokens) if _names(t, w, stem)), None) for w in words]
    return None if None in at else at


def _names(token: str, word: str, stem: bool = False) -> bool:
    """Whether a token names a value word: itself, a longer form ("plucks", "crystalline"), with `stem` the same
    stem ("pulsing" for pulse)."""
    if token == word or token + "s" == word or token in W.VALUE_WORDS.get(word, ()):  # "star" for stars, "arpeggio"
        return True
    longer = token.startswith(word) and len(token) - len(word) <= 4
    return len(word) >= 4 and (longer or (stem and _stem(token) == _stem(word)))


def _stem(word: str) -> str:
    for suffix in ("ing", "es", "ed", "s", "e", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            return stem[:-1] if suffix == "y" and stem[-1] == stem[-2] else stem  # "starry" -> star, "crackly" -> crackl
    return word


def _was_read(word: str, reading: Reading) -> bool:
    return any(word in term.split() for term in reading.terms)
