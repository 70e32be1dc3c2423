"""Rule-based refine: edit a config by an instruction in words ("slower, darker, no drums").

The offline default of `vibesynth refine`. An instruction is read clause by clause:

1. relative words move an ordinal field by steps, towards the pole a word names:
   comparatives ("slower", "darker", "wetter"), "more X" / "less X" / "fewer X",
   "not so X" / "too X" (away from X). "much", "a lot", "way", "far" make it two
   steps; "a bit", "slightly" keep it one. The word behind a comparative is read by
   the project's one reader (`aesthetics.vibe.reader`): "sadder" -> "sad" -> the
   valence axis -> mode, one step down the mood order. The studio's own words
   (nouns like "the reverb", verbs like "tame the transients", "slow it down")
   are in `reference.edit_words`;
2. removals set a part to nothing: "drop the bells", "no reverb", "take out the delay";
3. absolute words set a field: a field named with one of its values ("sharp attack",
   "density 3", "stacked fifths on the pad"), then whatever is left is read by the
   reader and only the values it reads as *named* (explicit) are set ("in D minor",
   "mono", "add bells"), never those a scene merely implies;
4. every field the instruction does not touch keeps its value; "keep/leave X" and
   negated comparatives ("don't make it any faster") change nothing.

Ordinal order is the schema's (low -> high); mode and rhythm have no schema order,
so they follow the reader's levels of their axes (mood: minor < dorian < mixolydian
< major; percussion: none < minimal < heartbeat < ... < electronic). A move past the
end of a field stays at the end, with a note. Deterministic: same config and
instruction, same edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from aesthetics.vibe.reader import LEVELS, STOPWORDS, WORD, Reading, field_level, normalise, read
from aesthetics.vibe.words import NEGATORS
from reference import edit_words as W
from tools.errors import ConfigError
from tools.schema import FIELDS, MusicConfig, choices

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
# Clauses: the reader's own splitter also cuts at "and" / "with", which would cut lists ("drop the drums and the bells").
CLAUSES = re.compile(r"\s*(?:[,;.!?:()]|\bbut\b|\bwhile\b|\bthen\b)\s*")
WINDOW = 5  # words a verb or "more" may stand before its noun ("roll off some of the highs")
# Values of the sound fields a text may name without the field ("plucks", "a sub pulse bass", "noise wash"):
# multi-word ones, and single words no other field uses ("minimal" or "none" are not names of one sound).
_COUNTS = {v: sum(str(v) in map(str, choices(n)) for n in FIELDS) for f in FIELDS for v in choices(f)}
SOUND_VALUES = tuple((name, v) for name in sorted(W.NAMED_SOUNDS) for v in choices(name)
                     if "_" in str(v) or (_COUNTS[v] == 1 and len(str(v)) >= 4 and v != "none"))
# Plural field names too, for "field value" phrases.
FIELD_WORDS = {**{name: name for name in FIELDS}, **{name + "s": name for name in FIELDS}}
UNREAD_IGNORED = STOPWORDS | frozenset(NEGATORS) | W.MODIFIERS | W.FILLER | W.SKIP


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
    instruction: str = ""

    def moved(self) -> dict[str, tuple[object, object]]:
        """field -> (before, after) for the fields whose value changed."""
        return {c.field: (c.before, c.after) for c in self.changes if c.before != c.after}


def refine(config: MusicConfig, instruction: str) -> Edit:
    """Edit `config` as `instruction` asks; raise ConfigError when no word of it reads as an edit."""
    if not isinstance(instruction, str) or not instruction.strip():
        raise ConfigError('give an instruction in words, e.g. "slower, darker, no drums"')
    asked = _Asked()
    for clause in CLAUSES.split(_shorthand(normalise(instruction).replace("full on ", ""))):
        _read_clause(WORD.findall(clause), asked)
    if not asked.moves and not asked.values:
        raise ConfigError(f"nothing in {instruction!r} reads as an edit; use words like slower, much darker, "
                          "more reverb, no drums, in D minor, mono (`vibesynth styles` lists every field)")
    return _apply(config, asked, instruction)


ARTICLE_MODE = re.compile(r"\ba (major|minor|dorian|mixolydian) key\b")  # "make it a minor key": the article, not A
TERSE = re.compile(r"\b([a-z]+)\s*([+-])\s*([12])\b")
FIELD_EQUALS = re.compile(r"\b([a-z]+)\s*[:=]\s*")
KEY_SHORT = re.compile(r"\bkey(?:\s+of)?\s+([a-g](?:#|b)?)(m|min|maj)?\b")


def _shorthand(text: str) -> str:
    """DAW-style shorthand in words: "verb +2" -> "verb up 2", "accent: none" -> "accent none", "key=Ebm" -> "key of eb minor"."""
    text = TERSE.sub(lambda m: f"{m.group(1)} {'up' if m.group(2) == '+' else 'down'} {m.group(3)}", text)
    text = FIELD_EQUALS.sub(r"\1 ", ARTICLE_MODE.sub(r"\1 key", text))
    return KEY_SHORT.sub(lambda m: f"key of {m.group(1)}" + {"m": " minor", "min": " minor", "maj": " major"}.get(m.group(2), ""), text)


@dataclass
class _Asked:
    """What an instruction asks, before it is applied: relative moves, set values, notes, words nothing read."""

    moves: dict[str, tuple[int, str]] = field(default_factory=dict)
    values: dict[str, tuple[object, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)

    def move(self, name: str, steps: int, words: str) -> None:
        self.moves[name] = (steps, words)
        self.values.pop(name, None)

    def set(self, name: str, value: object, words: str) -> None:
        if name not in self.moves:
            self.values[name] = (value, words)


def _apply(config: MusicConfig, asked: _Asked, instruction: str) -> Edit:
    values = config.model_dump(mode="json")
    changes, notes = [], list(asked.notes)
    for name, (steps, words) in asked.moves.items():
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
    for name, (value, words) in asked.values.items():
        changes.append(Change(name, values[name], value, words, "set" if value != values[name] else "already set"))
        values[name] = value
    if asked.unread:
        notes.append(f"words not read as an edit (they changed nothing): {', '.join(dict.fromkeys(asked.unread))}")
    return Edit(MusicConfig.parse(values), tuple(changes), tuple(notes), REFINER_NAME, instruction)


def _read_clause(tokens: list[str], asked: _Asked) -> None:
    while tokens and tokens[0] in ("and", "also", "so", "then"):
        tokens = tokens[1:]
    if tokens and tokens[0] in W.KEEP and not any(t in W.MORE | W.LESS or _comparative(t) for t in tokens[1:]):
        return  # "leave the drums as they are"
    moves_before = len(asked.moves)
    rest = _relative(tokens, asked)
    if rest:
        _absolute(rest, asked, moved=len(asked.moves) > moves_before)


def _relative(tokens: list[str], asked: _Asked) -> list[str]:
    """Record the clause's moves and removals in `asked`; return the tokens they did not use."""
    rest: list[str] = []
    i = 0
    while i < len(tokens):
        used = (_removal(tokens, i, asked) or _more_or_less(tokens, i, asked) or _verb(tokens, i, asked)
                or _noun_postfix(tokens, i, asked) or _comparative_at(tokens, i, asked))
        if used:
            i = used
            continue
        rest.append(tokens[i])
        i += 1
    return rest


def _next_word(tokens: list[str], j: int, skip: frozenset[str]) -> int:
    """The index of the first word from j on that is not in `skip` (within WINDOW words)."""
    end = min(len(tokens), j + WINDOW)
    while j < end and tokens[j] in skip:
        j += 1
    return j


def _steps(tokens: list[str], start: int, end: int) -> int:
    """2 after "much", "a lot", "way" (two words before the move or within it), else 1."""
    return 2 if any(t in W.STRONG for t in tokens[max(0, start - 2) : end + 2]) else 1


def _removal(tokens: list[str], i: int, asked: _Asked) -> int | None:
    """"drop the bells", "no reverb", "take out the delay", "turn off depth": set removable parts to nothing."""
    word = tokens[i]
    pair = tuple(tokens[i : i + 2])
    named_only = word in W.NAMED_ONLY
    if pair in (("take", "out"), ("turn", "off"), ("switch", "off"), ("get", "rid"), ("cut", "out"), ("leave", "out")):
        first, named_only = i + 2, False
    elif word in W.OUT_VERBS and "out" in tokens[i + 2 : i + 2 + WINDOW]:  # "take the bells out"
        first, named_only = i + 1, False
    elif word in W.REMOVE or word.removesuffix("ping").removesuffix("ing") in W.REMOVE:
        first = i + 1
    elif word == "want" and i > 0 and tokens[i - 1] in W.NEGATED:  # "I don't want any texture"
        first = i + 1
    elif word in ("turn", "switch") and tokens[i + 1 : i + 2] == ["depth"] and tokens[i + 2 : i + 3] in (["on"], ["off"]):
        asked.set("depth", tokens[i + 2] == "on", " ".join(tokens[i : i + 3]))
        return i + 3
    else:
        return None
    end, found = first, False
    while True:
        j = _next_word(tokens, end, W.SKIP | {"out", "off", "of", "more", "any", "rid"})
        target = _removable(tokens, j)
        if target is None or (named_only and target[0] not in W.NAMED_SOUNDS):
            break
        name, width = target
        words = " ".join(tokens[i : j + width])
        if name == "density":  # "drop a layer": one fewer
            asked.move("density", -1, words)
        else:
            asked.set(name, W.REMOVED[name], words)
        found, end = True, j + width
        if tokens[end : end + 1] not in (["and"], ["or"], ["nor"]) or tokens[end + 1 : end + 2] and (
                tokens[end + 1] in W.MORE | W.LESS | W.MODIFIERS):  # "no delay or reverb", not "no drums and more reverb"
            break
        end += 1
    return end if found else None


def _removable(tokens: list[str], j: int) -> tuple[str, int] | None:
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
        sound = [f for f in _sound_values(tokens[j : j + width]) if f[2] == width and f[0] in W.REMOVED]
        if sound and len(tokens[j : j + width]) == width:
            return sound[0][0], width
    for width in (2, 1):
        reading = read(" ".join(tokens[j : j + width]), sources=("explicit",))
        named = [name for name, found in reading.fields.items() if found.explicit and name in W.REMOVED]
        if named and len(reading.terms) == 1:
            return named[0], width
    return None


def _more_or_less(tokens: list[str], i: int, asked: _Asked) -> int | None:
    """"more reverb", "a lot less grit", "not so fast", "too dark", "add another layer"."""
    sign, width = 0, 1
    for words in W.AWAY:
        if tuple(tokens[i : i + len(words)]) == words:
            sign, width = -1, len(words)
            break
    else:
        if tokens[i] in W.MORE and not (i > 0 and tokens[i - 1] in W.NEGATED):  # "no more echo" is a removal
            sign = 1
        elif tokens[i] in W.LESS:
            sign = -1
        elif tokens[i] in ("up", "down"):  # "turn up the delay", "turn down the drums"
            sign = W.POSTFIX[tokens[i]]
    if not sign:
        return None
    j = _next_word(tokens, i + width, W.SKIP | {"another", "more"})
    target = _target(tokens[j]) if j < len(tokens) else None
    if tokens[i] in ("add", "another") and (tokens[j] not in W.NOUNS or target[0] == "rhythm"):
        return None  # "add bells", "add drums" name what to add: the values are read as absolute words
    if target is None:
        return None
    name, direction = target
    steps = _steps(tokens, i, i) if width > 1 or tokens[i] == "too" else _steps(tokens, i, j)  # "not so much": one step
    asked.move(name, steps * direction * sign, _phrase(tokens, i, j))
    return j + 1


def _verb(tokens: list[str], i: int, asked: _Asked) -> int | None:
    """"tame the transients", "push the pace", "slow it down", "cheer it up", "take it down a notch"."""
    word = tokens[i]
    after = _next_word(tokens, i + 1, W.SKIP | set(W.POSTFIX))
    noun = W.NOUNS.get(tokens[after]) if after < len(tokens) and after - i <= WINDOW else None
    if word in W.VERB_SIGNS and noun is not None:
        end = after + (1 if tokens[after + 1 : after + 2] and tokens[after + 1] in W.POSTFIX else 0)
        asked.move(noun[0], _steps(tokens, i, end) * noun[1] * W.VERB_SIGNS[word], _phrase(tokens, i, end))
        return end + 1
    follower = tokens[i + 1] if i + 1 < len(tokens) else None
    if word in W.SELF_VERBS and (word not in W.VERB_OR_ADJECTIVE or follower in W.VERB_FOLLOWERS):
        name, direction = W.SELF_VERBS[word]
        end = i
        while end + 1 < len(tokens) and tokens[end + 1] in {"it", "up", "down", "out", "things", "everything"}:
            end += 1
        asked.move(name, _steps(tokens, i, end) * direction, _phrase(tokens, i, end))
        return end + 1
    if word in ("take", "bring", "turn", "kick", "ramp", "crank") and tokens[i + 1 : i + 2] == ["it"] \
            and tokens[i + 2 : i + 3] in (["up"], ["down"]):  # "take it down a notch": the energy, so the tempo
        asked.move("tempo", W.POSTFIX[tokens[i + 2]], _phrase(tokens, i, i + 2))
        return i + 3
    return None


def _noun_postfix(tokens: list[str], i: int, asked: _Asked) -> int | None:
    """"reverb up", "tempo down 2", "the drums forward", "swing more", "drums off", "depth on"."""
    noun = W.NOUNS.get(tokens[i])
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    part = W.FIELD_NOUNS.get(tokens[i]) or (noun[0] if noun else None)
    if part in W.REMOVED and following in W.SWITCH:
        on = W.SWITCH[following]
        if part == "depth":
            asked.set("depth", on, _phrase(tokens, i, i + 1))
        elif not on:
            asked.set(part, W.REMOVED[part], _phrase(tokens, i, i + 1))
        else:
            return None
        return i + 2
    if noun is not None and following in ("up", "down") and tokens[i + 2 : i + 3] in (["1"], ["2"]):  # "verb up 2"
        asked.move(noun[0], int(tokens[i + 2]) * noun[1] * W.POSTFIX[following], _phrase(tokens, i, i + 2))
        return i + 3
    sign = W.POSTFIX.get(following) if following not in ("in", "out") else None
    sign = sign or {"more": 1, "less": -1}.get(following)
    if noun is None or sign is None:
        return None
    asked.move(noun[0], _steps(tokens, i, i + 1) * noun[1] * sign, _phrase(tokens, i, i + 1))
    return i + 2


def _comparative_at(tokens: list[str], i: int, asked: _Asked) -> int | None:
    """"darker", "much slower", "softer attack" (the noun names the field), "don't make it any faster" (kept)."""
    found = _comparative(tokens[i])
    if found is None:
        return None
    if any(t in W.NEGATED for t in tokens[max(0, i - 4) : i]):
        asked.notes.append(f"'{' '.join(tokens[max(0, i - 4) : i + 1])}': read as keeping it, nothing moved")
        return i + 1
    name, direction = found
    end = i
    after = _next_word(tokens, i + 1, frozenset({"on", "the", "in", "of", "its", "for"}))
    noun = W.NOUNS.get(tokens[after]) if after < len(tokens) and after - i <= 3 else None
    if noun is not None:  # "softer attack", "a little softer on the attack": the comparative's sign on the named part
        name, direction, end = noun[0], direction * noun[1], after
    asked.move(name, _steps(tokens, i, end) * direction, _phrase(tokens, i, end))
    return end + 1


def _absolute(tokens: list[str], asked: _Asked, moved: bool) -> None:
    """Set the values the rest of a clause names: "field value" phrases, multi-word values, then the reader's
    explicit values (a field's own name sets nothing; after a move, a part's noun sets nothing)."""
    named = {FIELD_WORDS[t] for t in tokens if t in FIELD_WORDS}
    left, done = list(tokens), set()
    # Longest value phrases first, across the named fields ("dark sustained pad" before the bass's "sustained";
    # "very fast" before "fast"). Keys are the reader's (a root letter would match the article "a").
    phrases = sorted(((name, value, tuple(str(value).lower().split("_"))) for name in named - {"root", "depth"}
                      for value in choices(name)), key=lambda c: (-len(c[2]), -len(str(c[1]))))
    for name, value, words in phrases:
        at = _find(left, words)
        if at is not None and name not in done:
            asked.set(name, value, " ".join(words))
            done.add(name)
            del left[at : at + len(words)]
    sounds = _sound_values(left)
    for name, value, _ in sounds:
        asked.set(name, value, str(value).replace("_", " "))
    left = [t for t in left if not any(_names(t, w) for _, v, _ in sounds for w in str(v).split("_"))]
    reading = read(" ".join(left), sources=("explicit",))
    by_term: dict[str, list[tuple[str, object]]] = {}
    for name, found in reading.fields.items():
        if found.explicit:
            by_term.setdefault(found.source.removeprefix("explicit:"), []).append((name, found.value))
    for term, fields in by_term.items():
        word = term.removeprefix("not ")
        if word in FIELD_WORDS or (moved and word in W.NOUNS):
            continue
        fields = [f for f in fields if f[0] not in {name for name, _, _ in sounds}]  # "brush drums": the named sound wins
        # A key sets root and mode together; other terms set their first field ("bone dry" -> space, not echo too),
        # or the fields the clause names ("arpeggiated melody" -> melody, not the accent).
        chosen = [f for f in fields if f[0] in named] or (fields if {n for n, _ in fields} <= {"root", "mode"} else fields[:1])
        for name, value in chosen:
            asked.set(name, value, term)
    asked.unread += [w for w in left if w not in UNREAD_IGNORED and w not in W.NOUNS and w not in FIELD_WORDS
                     and len(w) > 2 and not _was_read(w, reading)]


def _sound_values(tokens: list[str]) -> list[tuple[str, object, int]]:
    """(field, value, words) of the named sounds in `tokens`: a value of bass, pad, melody, rhythm, texture or accent
    whose words all appear (in any order, plurals and "-line" forms too: "plucks", "random blips", "crystalline"),
    the value with most words first; single-word values only when no other field has them."""
    found = []
    for name, value in SOUND_VALUES:
        words = str(value).split("_")
        if all(any(_names(t, w) for t in tokens) for w in words):
            found.append((name, value, len(words)))
    found.sort(key=lambda f: -f[2])
    kept, taken = [], set()
    for name, value, width in found:
        if name not in taken:
            kept.append((name, value, width))
            taken.add(name)
    return kept


def _names(token: str, word: str) -> bool:
    """Whether a token names a value word: itself, or a longer form ("plucks", "chimes", "crystalline")."""
    return token == word or (len(word) >= 4 and token.startswith(word) and len(token) - len(word) <= 4)


def _find(tokens: list[str], words: tuple[str, ...]) -> int | None:
    for at in range(len(tokens) - len(words) + 1):
        if tuple(tokens[at : at + len(words)]) == words:
            return at
    return None


def _phrase(tokens: list[str], start: int, end: int) -> str:
    """The words of a move, with the modifiers just before it ("a lot more reverb")."""
    while start > 0 and tokens[start - 1] in W.MODIFIERS:
        start -= 1
    return " ".join(tokens[start : end + 1])


def _target(word: str) -> tuple[str, int] | None:
    """The field a word after "more"/"less" speaks of, and which way is more of it."""
    return W.NOUNS.get(word) or W.ADJECTIVES.get(word) or _comparative(word) or _field_direction(word)


def _comparative(word: str) -> tuple[str, int] | None:
    """"darker" -> ("brightness", -1): a comparative whose base word the reader places on an axis."""
    if word in W.ADJECTIVES and word.endswith("er"):
        return W.ADJECTIVES[word]
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
    """Which field a word speaks of and towards which end: a studio adjective, a value the reader reads as
    named, else the axis the reader reads most surely (through AXIS_FIELD)."""
    if word in W.ADJECTIVES:
        return W.ADJECTIVES[word]
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
