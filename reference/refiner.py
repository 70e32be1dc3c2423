"""Rule-based refine: edit a config by an instruction in words ("slower, darker, no drums").

The offline default of `vibesynth refine`. An instruction is read clause by clause:

1. relative words move an ordinal field by steps, towards the pole a word names:
   comparatives ("slower", "darker", "wetter"), "more X" / "less X" / "fewer X",
   "not so X" / "too X" / "don't keep it so X" (away from X). "much", "a lot", "way",
   "far", "two clicks" make it two steps; "a bit", "slightly" keep it one. The word
   behind a comparative is read by the project's one reader (`aesthetics.vibe.reader`):
   "sadder" -> "sad" -> the valence axis -> mode, to the sad end of the mood order (minor:
   a key has two poles, and "sadder" of a major tune asks for minor, not dorian). A
   quality said of a part moves the part ("less busy drums", "make the drums busier").
   The studio's own words (nouns like "the reverb", verbs like "tame the transients",
   "slow it down", idioms like "on the grid") are in `reference.edit_words`;
2. removals set a part to nothing: "drop the bells", "no reverb", "the breath noise has to go";
   a dislike removes the sound it names or has less of the part ("the bells are annoying",
   "the repeating echoes are distracting");
3. absolute words set a field (`reference.refine_values`): a field named with one of its
   values, by its name or a part's noun ("sharp attack", "density 3", "subtle delay", never
   a negated one: "not a walking bass"), a named sound ("a pulsing sub bass"), the ends
   ("as wide as it can go"), a key ("transpose it to E"), then whatever the reader reads
   as *named* (explicit) ("in D minor", "mono", "add bells"), never what a scene implies;
4. a clause that says how it sounds now ("it sounds muffled", "it's so stiff, like a
   metronome") asks to move away from it, unless another clause asks for that field;
   "tone it down" after it moves the part it named;
5. every field the instruction does not touch keeps its value; "keep/leave X" and
   negated comparatives ("don't make it any faster") change nothing.
6. an instruction no rule reads a word of ("more sample-and-hold modulation") is read as the nearest
   labelled instruction of the edit tuning sets, when it is near enough (`reference.refine_memory`;
   the notes name it); else it is refused with the words that would work.

Before reading, a word of five letters or more that no table knows and that is one slip from
exactly one known word is read as that word ("darkr", "tighen"; `reference.refine_spelling`).

Ordinal order is the schema's (low -> high); mode and rhythm have no schema order,
so they follow the reader's levels of their axes (mood: minor < dorian < mixolydian
< major; percussion: none < minimal < heartbeat < ... < electronic). A move past the
end of a field stays at the end, with a note. Deterministic: same config and
instruction, same edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aesthetics.vibe.reader import WORD, normalise
from reference import edit_words as W
from reference import refine_memory
from reference.refine_memory import Memory
from reference.refine_moves import ORDER, comparative, qualities, relative
from reference.refine_spelling import respell
from reference.refine_values import Asked, absolute, field_values, removable
from tools.errors import ConfigError
from tools.schema import MusicConfig

__all__ = ["ORDER", "REFINER_NAME", "Change", "Edit", "refine"]

REFINER_NAME = "rule-based (reference.refiner)"
# Clauses: the reader's own splitter also cuts at "and" / "with", which would cut lists ("drop the drums and the bells").
POLAR = frozenset({"mode"})  # a move on these goes to the end it points to ("sadder": minor)
CLAUSES = re.compile(r"\s*(?:[,;.!?:()]|\s[-–—]+\s|\bbut\b|\bwhile\b|\bthen\b)\s*")


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


def refine(config: MusicConfig, instruction: str, memory: Memory | None = None) -> Edit:
    """Edit `config` as `instruction` asks; when no rule reads a word of it, as the nearest labelled instruction of
    `memory` (default: the shipped one) asks; raise ConfigError when that is not close enough either."""
    if not isinstance(instruction, str) or not instruction.strip():
        raise ConfigError('give an instruction in words, e.g. "slower, darker, no drums"')
    asked = Asked()
    for clause in CLAUSES.split(_shorthand(respell(normalise(instruction)).replace("full on ", ""))):
        _read_clause(WORD.findall(clause), asked)
    asked.settle()
    if not asked.moves and not asked.values:
        _recall(instruction, memory or refine_memory.shipped(), asked)
    return _apply(config, asked, instruction)


def _recall(instruction: str, memory: Memory, asked: Asked) -> None:
    """Ask what the nearest labelled instruction asks ("the wobble makes me seasick" read as one that says so)."""
    recall = memory.recall(instruction)
    # MiniLM reads "not such a big room" as near "much bigger room": when one of the two says the opposite, its moves
    # turn around, and the values it names are not asked (the opposite of a value is no value).
    flip = -1 if recall is not None and _negated(instruction) != _negated(recall.instruction) else 1
    wanted = [want for want in recall.expect if flip > 0 or "value" not in want] if recall is not None else []
    if not wanted:
        raise ConfigError(
            f"nothing in {instruction!r} reads as an edit; use words like slower, much darker, "
            "more reverb, no drums, in D minor, mono (`vibesynth styles` lists every field)"
        )
    words = f"read as {recall.instruction!r}" + (" turned around (one of the two is negated)" if flip < 0 else "")
    for want in wanted:
        if "value" in want:
            asked.set(want["field"], want["value"], words)
        else:
            asked.move(want["field"], flip * (want["steps"] if want["move"] == "up" else -want["steps"]), words)
    asked.notes.append(
        f"no rule read {instruction!r}; it was read as the labelled instruction {recall.instruction!r} "
        f"(MiniLM cosine {recall.cosine}, reference.refine_memory)"
    )


def _negated(text: str) -> bool:
    """Whether the text says the opposite of its words an odd number of times ("not so big", "less of it")."""
    return sum(word in W.NEGATED or word in ("less", "fewer") for word in WORD.findall(normalise(text))) % 2 == 1


ARTICLE_MODE = re.compile(r"\ba (major|minor|dorian|mixolydian) key\b")  # "make it a minor key": the article, not A
ARTICLE = re.compile(r"\b(in|into|to|for|with) a (?!(?:major|minor|dorian|mixolydian|flat|sharp|key|m)\b)(?=[a-z])")
TERSE = re.compile(r"\b([a-z]+)\s*([+-])\s*([12])\b")
FIELD_EQUALS = re.compile(r"\b([a-z]+)\s*[:=]\s*")
KEY_CHANGE = re.compile(
    r"\b(?:transpose|shift|modulate|key|root)\b"
    r"(?:\s+(?:it|everything|the|key|up|down|of|project|song|track|piece|whole|thing))*\s+"
    r"(?:to\s+|into\s+)?([a-g])(?:\s*(#|sharp\b|b\b|flat\b))?"
    r"(?=\s*(?:$|[,;.!?]|major\b|minor\b|dorian\b|mixolydian\b|m\b|min\b|maj\b|please\b|and\b))"
)
KEY_SHORT = re.compile(r"\bkey(?:\s+of)?\s+([a-g](?:#|b)?)(m|min|maj)?\b")
# "take it to C sharp": a spelled-out root with no mode after it (not "a": "to a sharp attack" is no key)
KEY_SPELLED = re.compile(r"\b(to|into|in)\s+([b-g])\s+(sharp|flat)\b(?!\s+(?:major|minor|dorian|mixolydian|attack|sound|edge|tone))")
TEMPO_NUMBER = re.compile(r"\btempo\s+(?:(?:to|at|of)\s+)?(\d{2,3})\b")  # "tempo 110" -> "110 bpm"
BPM_TO = re.compile(r"\bbpm\s+(?:(?:to|at|of|up to|down to)\s+)?(\d{2,3})\b")  # "push the BPM to 128" -> "128 bpm"
PASS_FILTER = re.compile(r"\b(low|high)\s+pass(?:ed)?\b")  # "low-pass it" -> "lowpass it"
CUT_FILTER = re.compile(r"\b(low|high)\s+cut\b")  # "high-cut it" cuts the highs: "lowpass it"
# "a thin, high pad", "a much harder, snappier attack": adjectives of one noun, one clause.
COORDINATE = re.compile(r"\b(an?(?: [a-z]+){1,3}), (?=(?!more\b|less\b|no\b|not\b)[a-z]+ [a-z]+)")
POSSESSIVE_STATE = re.compile(r"\b([a-z]+)'s\b")  # "the timing's all over the place": a part's "'s" is "is"
GRAIN_TONE = re.compile(r"\b(dirty|clean|roughen|rough)\s+(?:up\s+)?the\s+tone(?:\s+up)?\b")  # the tone is what gets dirty
THERE_IS_NO = re.compile(r"\bthere(?:'s| is|s) no\b")  # "there's no width": a lack said, so ask for more
ADD_LAYERS = re.compile(r"\badd (one|two|three|a|an|another) (layers?|parts?|elements?|instruments?)\b")
TO_LAYERS = re.compile(
    r"\b(?:strip|cut|thin|pare|bring|take)(?: it| things| everything)?(?: down| back)? to "
    r"(one|two|three|four|five|\d) (layers?|parts?|elements?|instruments?)\b"
)
GENRES = "|".join(sorted(W.GENRE_BPM, key=len, reverse=True))
GENRE_TEMPO = re.compile(rf"\b(?:({GENRES})(?: music)? (?:tempo|pace|speed|bpm)|(?:tempo|pace|bpm) (?:of|like) (?:a |an )?({GENRES}))\b")
ABOUT_BPM = re.compile(r"\b(?:around|about|roughly|approximately|at|near) (\d{2,3})\b(?! bpm)")
INSTEAD = re.compile(r"\b(?:instead of|rather than)\b[^,;.!?]*")  # "like dusk instead of noon": the rest is the old


def _shorthand(text: str) -> str:
    """DAW-style shorthand in words: "verb +2" -> "verb up 2", "accent: none" -> "accent none", "key=Ebm" -> "key of eb
    minor", "transpose it to C sharp" / "root F#" / "take it to C sharp" -> "key of c#"; "in a bigger hall": the article, not A; "push the BPM to
    128" -> "128 bpm"; "low-pass it" -> "lowpass it"; "a thin, high pad" -> "a thin high pad"; "dirty the tone up" ->
    "dirty it up"; "there's no width" -> "more width"; "add two layers" -> "two more layers", "strip it to two layers" ->
    "two layers"; "a house tempo" -> "124 bpm"; "tempo about 60" -> "tempo 60 bpm"."""
    text = GRAIN_TONE.sub(r"\1 it up", THERE_IS_NO.sub("more", text))
    text = ADD_LAYERS.sub(lambda m: f"{'one' if m.group(1) in ('a', 'an', 'another') else m.group(1)} more {m.group(2)}", text)
    text = TO_LAYERS.sub(r"\1 \2", text)
    text = GENRE_TEMPO.sub(lambda m: f"{W.GENRE_BPM[m.group(1) or m.group(2)]} bpm", text)
    if any(word in text for word in ("tempo", "bpm", "pace", "speed")):  # "a resting heartbeat, about 60": beats a minute
        text = ABOUT_BPM.sub(r"\1 bpm", text)
    text = TERSE.sub(lambda m: f"{m.group(1)} {'up' if m.group(2) == '+' else 'down'} {m.group(3)}", text)
    text = FIELD_EQUALS.sub(r"\1 ", ARTICLE.sub(r"\1 the ", ARTICLE_MODE.sub(r"\1 key", text)))
    text = KEY_CHANGE.sub(lambda m: f"key of {m.group(1)}" + {"#": "#", "sharp": "#", "b": "b", "flat": "b"}.get(m.group(2), ""), text)
    text = KEY_SPELLED.sub(lambda m: f"{m.group(1)} key of {m.group(2)}{'#' if m.group(3) == 'sharp' else 'b'}", text)
    text = KEY_SHORT.sub(lambda m: f"key of {m.group(1)}" + {"m": " minor", "min": " minor", "maj": " major"}.get(m.group(2), ""), text)
    text = COORDINATE.sub(r"\1 ", PASS_FILTER.sub(r"\1pass", _cut_filter(BPM_TO.sub(r"\1 bpm", TEMPO_NUMBER.sub(r"\1 bpm", INSTEAD.sub("", text))))))
    return POSSESSIVE_STATE.sub(lambda m: f"{m.group(1)} is" if m.group(1) in W.NOUNS else m.group(0), text)


def _cut_filter(text: str) -> str:
    return CUT_FILTER.sub(lambda m: "lowpass" if m.group(1) == "high" else "highpass", text)


def _apply(config: MusicConfig, asked: Asked, instruction: str) -> Edit:
    values = config.model_dump(mode="json")
    changes, notes = [], list(asked.notes)
    for name, (steps, words) in asked.moves.items():
        order = ORDER[name]
        now = order.index(values[name])
        if name in POLAR:  # "sadder", "happier": the key's pole, not the next church mode
            steps = (len(order) - 1) * (1 if steps > 0 else -1)
        moved = min(max(now + steps, 0), len(order) - 1) - now
        if moved != steps:
            end = "highest" if steps > 0 else "lowest"
            notes.append(
                f"'{words}': {name} is at {order[now + moved]}, the {end} value"
                if moved
                else f"'{words}': {name} is already {values[name]}, the {end} value"
            )
        how = f"{abs(moved)} step{'s' if abs(moved) > 1 else ''} {'up' if moved > 0 else 'down'}" if moved else "already at the end"
        changes.append(Change(name, values[name], order[now + moved], words, how))
        values[name] = order[now + moved]
    for name, (value, words) in asked.values.items():
        changes.append(Change(name, values[name], value, words, "set" if value != values[name] else "already set"))
        values[name] = value
    if asked.unread:
        notes.append(f"words not read as an edit (they changed nothing): {', '.join(dict.fromkeys(asked.unread))}")
    return Edit(MusicConfig.parse(values), tuple(changes), tuple(notes), REFINER_NAME, instruction)


def _read_clause(tokens: list[str], asked: Asked) -> None:
    while tokens and tokens[0] in W.LEADING:
        tokens = tokens[1:]
    if not tokens or tuple(tokens[:2]) == W.NOTHING_ELSE or (tokens[0] == "like" and asked.anything()):
        return  # "just hi-hats, nothing else"; "more spacious, like a bigger room": the image adds nothing
    if asked.weak and tokens[1:2] and tokens[1] in W.THAT:
        asked.moves.update({k: v for k, v in asked.weak.items() if k not in asked.moves})
        return  # "it sounds fuzzy and distorted, smooth that out": away from what the description said
    if tokens[0] in W.KEEP and not any(t in W.MORE | W.LESS or comparative(t) for t in tokens[1:]):
        left, _ = field_values(tokens, asked)  # "keep the melody minimal" sets it; "leave the drums as they are": nothing
        if not any(t in W.NOUNS or t in W.NAMED_SOUNDS for t in tokens):
            absolute(left, asked, moved=False)  # "keep it mono": the value it names
    elif _complaint(tokens, asked):
        pass  # "the bells are annoying": removed
    elif _describes(tokens):
        _description(tokens, asked)
    else:
        _request(tokens, asked)
        return
    # The part a keep or a description named, for "tone it down" or "make them calmer" after it.
    asked.subject = next((W.NOUNS[t] for t in tokens if t in W.NOUNS), asked.subject)


def _describes(tokens: list[str]) -> bool:
    """Whether a clause says how it sounds now: a state word ("sounds", "is", "it's", "the drums feel") and no request
    word before it."""
    for k, token in enumerate(tokens):
        if token in W.REQUESTS:
            return False
        if token in W.STATES or (token in W.STATE_VERBS and k and (tokens[k - 1].endswith("s") or tokens[k - 1] in W.THEM)):
            return True
        if token in W.DESCRIBING_VERBS and k and (tokens[k - 1] in W.PRONOUNS or tokens[k - 1] in W.NOUNS):
            return True
    return False


def _description(tokens: list[str], asked: Asked) -> None:
    """ "it sounds muffled", "it's so stiff, like a metronome": away from the qualities it names, read by the tables and
    the reader (weakly: a request on the field wins); "too mushy" in it is an ask; an image and values set nothing."""
    if any(t in W.PRAISE and tokens[k - 1 : k] != ["too"] for k, t in enumerate(tokens)):
        return  # "the reverb is perfect": keep it (but "this is too perfect" is not praise)
    found, _ = qualities(relative(tokens, asked), describing=True)
    for name, steps, words in found:
        asked.weak.setdefault(name, (-steps, words))


def _complaint(tokens: list[str], asked: Asked) -> bool:
    """ "the bells are annoying", "the background noise bugs me": remove the sound it names; "the repeating echoes are
    distracting", "the reverb is too much": one step less of the part."""
    negated_fit = any(t in W.UNFITTING and W.NEGATED & set(tokens[max(0, k - 2) : k]) for k, t in enumerate(tokens))
    if not any(t in W.COMPLAINTS for t in tokens) and tuple(tokens[-2:]) != W.TOO_MUCH and not negated_fit:
        return False
    for j, word in enumerate(tokens):
        part = removable(tokens, j)
        if part is not None and (part[0] in W.NAMED_SOUNDS or part[0] == "depth"):
            asked.remove(part[0], " ".join(tokens))
            return True
        if word in W.NOUNS and word not in W.NOT_A_PART:
            name, sign = W.NOUNS[word]
            asked.move(name, -sign, " ".join(tokens))
            return True
    return False


def _request(tokens: list[str], asked: Asked) -> None:
    """Relative words, then the bare qualities and idioms ("make the playing feel human", "put it on the grid"; never
    over a move of the same clause: "fewer things going on"), then the values the rest names."""
    before = dict(asked.moves)
    rest = relative(tokens, asked)
    found, rest = qualities(rest, describing=False)
    for name, steps, words in found:
        if asked.moves.get(name) == before.get(name):
            asked.move(name, steps, words)
    if rest:
        absolute(rest, asked, moved=asked.moves != before)
