"""Rule-based refine: edit a config by an instruction in words ("slower, darker, no drums").

The offline default of `vibesynth refine`. An instruction is read clause by clause:

1. relative words move an ordinal field by steps, towards the pole a word names:
   comparatives ("slower", "darker", "wetter"), "more X" / "less X" / "fewer X",
   "not so X" / "too X" (away from X). "much", "a lot", "way", "far" make it two
   steps; "a bit", "slightly" keep it one. The word behind a comparative is read by
   the project's one reader (`aesthetics.vibe.reader`): "sadder" -> "sad" -> the
   valence axis -> mode, one step down the mood order. PRODUCER_WORDS covers the
   studio words the reader has no reason to know ("wetter", "tighter");
2. absolute words set a field: whatever is left of the clause is read by the reader
   and only the values it reads as *named* (explicit) are set ("in D minor",
   "no drums", "mono", "add bells"), never those a scene merely implies;
3. every field the instruction does not touch keeps its value.

Ordinal order is the schema's (low -> high); mode and rhythm have no schema order,
so they follow the reader's levels of their axes (mood: minor < dorian < mixolydian
< major; percussion: none < minimal < heartbeat < ... < electronic). A move past the
end of a field stays at the end, with a note. Deterministic: same config and
instruction, same edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aesthetics.vibe.reader import CLAUSE_SPLIT, LEVELS, STOPWORDS, WORD, Reading, field_level, normalise, read
from aesthetics.vibe.words import NEGATORS
from tools.errors import ConfigError
from tools.schema import MusicConfig, choices

REFINER_NAME = "rule-based (reference.refiner)"
# Fields a relative word can move, each in its order low -> high.
ORDER: dict[str, tuple] = {
    **{name: choices(name) for name in ("tempo", "brightness", "space", "density", "stereo", "echo",
                                        "motion", "attack", "human", "grain")},
    **{name: tuple(sorted(LEVELS[name][1], key=LEVELS[name][1].get)) for name in ("mode", "rhythm")},
}
# The field that carries each reader axis when a word speaks only of the axis ("calmer" -> energy -> tempo).
AXIS_FIELD = {"pace": "tempo", "energy": "tempo", "brightness": "brightness", "register": "brightness",
              "space": "space", "density": "density", "width": "stereo", "valence": "mode", "grit": "grain",
              "percussion": "rhythm"}
# Studio words for which the reader's reading of the base word would mislead: word -> (field, direction).
PRODUCER_WORDS: dict[str, tuple[str, int]] = {
    "wet": ("space", 1), "wetter": ("space", 1), "drier": ("space", -1), "dryer": ("space", -1),
    "reverb": ("space", 1), "roomier": ("space", 1), "bigger": ("space", 1), "smaller": ("space", -1),
    "closer": ("space", -1), "farther": ("space", 1), "further": ("space", 1),
    "tighter": ("human", -1), "looser": ("human", 1), "sloppier": ("human", 1), "stiffer": ("human", -1),
    "punchier": ("attack", 1), "snappier": ("attack", 1), "crisper": ("attack", 1), "sharper": ("attack", 1),
    "smoother": ("attack", -1), "rounder": ("attack", -1),
    "busier": ("density", 1), "fuller": ("density", 1), "thicker": ("density", 1), "thinner": ("density", -1),
    "emptier": ("density", -1), "simpler": ("density", -1), "layers": ("density", 1), "instruments": ("density", 1),
    "wider": ("stereo", 1), "narrower": ("stereo", -1), "stereo": ("stereo", 1), "width": ("stereo", 1),
    "echo": ("echo", 1), "delay": ("echo", 1), "echoes": ("echo", 1), "delays": ("echo", 1),
    "movement": ("motion", 1), "motion": ("motion", 1), "stiller": ("motion", -1),
    "lively": ("tempo", 1), "livelier": ("tempo", 1), "muddy": ("brightness", -1), "muddier": ("brightness", -1),
    "drums": ("rhythm", 1), "percussion": ("rhythm", 1), "beat": ("rhythm", 1), "groove": ("rhythm", 1),
    "dirtier": ("grain", 1), "grittier": ("grain", 1), "cleaner": ("grain", -1), "distortion": ("grain", 1),
    "grit": ("grain", 1), "saturation": ("grain", 1), "noise": ("grain", 1),
    "higher": ("brightness", 1), "lower": ("brightness", -1), "deeper": ("brightness", -1),
    "tempo": ("tempo", 1), "speed": ("tempo", 1), "energy": ("tempo", 1), "pace": ("tempo", 1),
    "brightness": ("brightness", 1), "space": ("space", 1), "density": ("density", 1), "attack": ("attack", 1),
    "warmer": ("brightness", -1),
}
MORE, LESS = frozenset({"more", "extra", "additional", "increase", "raise", "boost", "up"}), \
    frozenset({"less", "fewer", "reduce", "lower", "decrease", "cut", "down"})
AWAY = (("not", "so"), ("not", "as"), ("not", "that"), ("too",), ("overly",))  # "too bright": less bright
STRONG = frozenset({"much", "lot", "way", "far", "lots", "considerably", "significantly", "massively", "loads",
                    "heaps", "drastically", "dramatically", "hugely", "tons"})
MODIFIERS = STRONG | {"a", "bit", "little", "touch", "tad", "slightly", "somewhat", "even", "marginally", "just"}
BEFORE_TARGET = frozenset({"the", "a", "an", "some", "of", "its", "it", "up", "down", "on", "bit", "little"})
NEGATED_MORE = frozenset({"no", "not", "never", "without"})  # "no more echo" is "no echo", not more of it
FILLER = STOPWORDS | frozenset(NEGATORS) | MODIFIERS | {
    "make", "please", "can", "could", "would", "keep", "everything", "else", "same", "now", "get", "let", "take", "turn",
    "bring", "notch", "step", "level", "add", "put", "give", "change", "set", "key", "tone", "dial", "want"}


@dataclass(frozen=True)
class Change:
    field: str
    before: object
    after: object
    words: str  # what in the instruction asked for it
    how: str  # "2 steps down", "set", "already at the end"

    def to_json(self) -> dict:
        return {"field": self.field, "from": self.before, "to": self.after, "words": self.words, "how": self.how}


@dataclass(frozen=True)
class Edit:
    config: MusicConfig
    changes: tuple[Change, ...]
    notes: tuple[str, ...]
    refiner: str

    def moved(self) -> dict[str, tuple[object, object]]:
        """field -> (before, after) for the fields whose value changed."""
        return {c.field: (c.before, c.after) for c in self.changes if c.before != c.after}


def refine(config: MusicConfig, instruction: str) -> Edit:
    """Edit `config` as `instruction` asks; raise ConfigError when no word of it reads as an edit."""
    if not isinstance(instruction, str) or not instruction.strip():
        raise ConfigError('give an instruction in words, e.g. "slower, darker, no drums"')
    values = config.model_dump(mode="json")
    moves: dict[str, tuple[int, str]] = {}
    absolute: dict[str, tuple[object, str]] = {}
    unread: list[str] = []
    for clause in CLAUSE_SPLIT.split(normalise(instruction)):
        tokens = WORD.findall(clause)
        rest = _relative(tokens, moves)
        if rest:
            reading = read(" ".join(rest), sources=("explicit",))
            for name, found in reading.fields.items():
                if found.explicit and name not in moves:
                    absolute[name] = (found.value, found.source.removeprefix("explicit:"))
            unread += [w for w in rest if w not in FILLER and w not in PRODUCER_WORDS and len(w) > 2
                       and not _was_read(w, reading)]
    if not moves and not absolute:
        raise ConfigError(f"nothing in {instruction!r} reads as an edit; use words like slower, much darker, "
                          "more reverb, no drums, in D minor, mono (`vibesynth styles` lists every field)")
    changes, notes = [], []
    for name, (steps, words) in moves.items():
        order = ORDER[name]
        now = order.index(values[name])
        moved = min(max(now + steps, 0), len(order) - 1) - now
        if moved != steps:
            end = "highest" if steps > 0 else "lowest"
            notes.append(f"'{words}': {name} is at {order[now + moved]}, the {end} value" if moved else
                         f"'{words}': {name} is already {values[name]}, the {end} value")
        how = f"{abs(moved)} step{'s' if abs(moved) > 1 else ''} {'up' if moved > 0 else 'down'}" if moved else "already at the end"
        changes.append(Change(name, values[name], order[now + moved], words, how))
        values[name] = order[now + moved]
    for name, (value, words) in absolute.items():
        changes.append(Change(name, values[name], value, words, "set" if value != values[name] else "already set"))
        values[name] = value
    if unread:
        notes.append(f"words not read as an edit (they changed nothing): {', '.join(dict.fromkeys(unread))}")
    return Edit(MusicConfig.parse(values), tuple(changes), tuple(notes), REFINER_NAME)


def _relative(tokens: list[str], moves: dict[str, tuple[int, str]]) -> list[str]:
    """Record the clause's relative moves in `moves`; return the tokens they did not use."""
    rest: list[str] = []
    i = 0
    while i < len(tokens):
        sign, skip = _direction_word(tokens, i)
        if sign > 0 and i > 0 and tokens[i - 1] in NEGATED_MORE:
            sign = 0
        j = i + skip
        while sign and j < len(tokens) - 1 and j < i + skip + 3 and tokens[j] in BEFORE_TARGET:
            j += 1
        target = _field_direction(tokens[j]) if sign and j < len(tokens) else None
        if target is not None:
            name, direction = target
            moves[name] = ((2 if _strong(tokens, i) else 1) * direction * sign, _phrase(tokens, i, j))
            i = j + 1
            continue
        if tokens[i] in PRODUCER_WORDS and tokens[i + 1 : i + 2] in (["up"], ["down"]):  # "reverb up", "energy down"
            name, direction = PRODUCER_WORDS[tokens[i]]
            moves[name] = (direction * (1 if tokens[i + 1] == "up" else -1), _phrase(tokens, i, i + 1))
            i += 2
            continue
        comparative = _comparative(tokens[i])
        if comparative is not None:
            name, direction = comparative
            moves[name] = ((2 if _strong(tokens, i) else 1) * direction, _phrase(tokens, i, i))
            i += 1
            continue
        rest.append(tokens[i])
        i += 1
    return rest


def _phrase(tokens: list[str], start: int, end: int) -> str:
    """The words of a move, with the modifiers just before it ("a lot more reverb")."""
    while start > 0 and tokens[start - 1] in MODIFIERS:
        start -= 1
    return " ".join(tokens[start : end + 1])


def _direction_word(tokens: list[str], i: int) -> tuple[int, int]:
    """(+1 "more", -1 "less"/"too"/"not so", 0 none) and how many tokens it takes."""
    for words in AWAY:
        if tuple(tokens[i : i + len(words)]) == words:
            return -1, len(words)
    if tokens[i] in MORE:
        return 1, 1
    if tokens[i] in LESS:
        return -1, 1
    return 0, 0


def _strong(tokens: list[str], i: int) -> bool:
    return any(t in STRONG for t in tokens[max(0, i - 2) : i])


def _comparative(word: str) -> tuple[str, int] | None:
    """"darker" -> ("brightness", -1): a comparative whose base word the reader places on an axis."""
    if word in PRODUCER_WORDS and word.endswith(("er", "ier")):
        return PRODUCER_WORDS[word]
    if not re.fullmatch(r"[a-z]{3,}(?:er|ier)", word):
        return None
    for base in _bases(word):
        found = _field_direction(base)
        if found is not None:
            return found
    return None


def _bases(word: str) -> list[str]:
    """Candidate base words of a comparative: happier -> happy, sadder -> sad, denser -> dense, darker -> dark."""
    stem = word[:-2]
    bases = [stem, stem + "e"]
    if word.endswith("ier"):
        bases.insert(0, word[:-3] + "y")
    if len(stem) > 2 and stem[-1] == stem[-2]:
        bases.insert(0, stem[:-1])
    return bases


def _field_direction(word: str) -> tuple[str, int] | None:
    """Which field a word speaks of and towards which end: a studio word, a value the reader reads as named,
    else the axis the reader reads most surely (through AXIS_FIELD)."""
    if word in PRODUCER_WORDS:
        return PRODUCER_WORDS[word]
    reading = read(word, sources=("explicit", "concepts", "norms"))
    for name, found in reading.fields.items():
        if found.explicit and name in ORDER:
            level = _level(name, found.value)
            if level != 0.5:
                return name, 1 if level > 0.5 else -1
    spoken = [(round(a.confidence, 6), abs(a.target - 0.5), axis, a.target) for axis, a in reading.axes.items()
              if a.confidence > 0 and axis in AXIS_FIELD and abs(a.target - 0.5) > 0.1 and a.sources != ("anchors",)]
    if not spoken:
        return None
    *_, axis, target = max(spoken)  # the axis the word speaks of most surely, then most strongly
    return AXIS_FIELD[axis], 1 if target > 0.5 else -1


def _level(name: str, value: object) -> float:
    found = field_level(name, value)
    if found is not None:
        return found[1]
    order = ORDER[name]
    return order.index(value) / (len(order) - 1)


def _was_read(word: str, reading: Reading) -> bool:
    return any(word in term.split() for term in reading.terms)
