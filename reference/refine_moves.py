"""The relative half of `reference.refiner`: words that move an ordinal field by steps, and removals.

Comparatives ("darker", "much slower"), "more X" / "less X" / "too X" / "not so X" ("too harsh
and tinny": both), verbs ("tame the transients", "slow it down", "tone it down", "slow the LFOs",
"freeze the modulation" sets a value), "noun postfix"
("reverb up", "bright +1"), the ends of a field ("as wide as it can go"), quality
words and idioms ("feel human", "on the grid"), and removals ("drop the bells",
"the breath noise has to go"). The base word of a comparative is read by the
project's one reader (`aesthetics.vibe.reader`); the studio's own words are in
`reference.edit_words`.
"""

from __future__ import annotations

import re
from itertools import takewhile

from aesthetics.vibe.reader import LEVELS, STOPWORDS, field_level, read
from reference import edit_words as W
from reference.refine_values import UNREAD_IGNORED, Asked, named_value, removable
from tools.schema import choices

# Fields a relative word can move, each in its order low -> high.
ORDER: dict[str, tuple] = {
    **{name: choices(name) for name in ("tempo", "brightness", "space", "density", "stereo", "echo", "motion", "attack", "human", "grain")},
    **{name: tuple(sorted(LEVELS[name][1], key=LEVELS[name][1].get)) for name in ("mode", "rhythm")},
}
# The field that carries each reader axis when a word speaks only of the axis ("calmer" -> energy -> tempo).
AXIS_FIELD = {
    "pace": "tempo",
    "energy": "tempo",
    "brightness": "brightness",
    "register": "brightness",
    "space": "space",
    "density": "density",
    "width": "stereo",
    "valence": "mode",
    "grit": "grain",
    "percussion": "rhythm",
}
AMOUNT = "amount"  # what an amount word ("more noticeable") moves until a part is named: nothing
WINDOW = 5  # words a verb or "more" may stand before its noun ("roll off some of the highs")
IDIOMS = sorted(W.IDIOMS.items(), key=lambda idiom: -len(idiom[0]))  # longest first


def qualities(tokens: list[str], describing: bool) -> tuple[list[tuple[str, int, str]], list[str]]:
    """(field, steps, words) of the quality words and idioms in `tokens` ("not a machine": away), and the tokens left.
    A description whose words no table reads is read by the reader, for its first field ("muffled", "sleepy"; not "a
    robot is playing it": the idiom said it, or "like a huge cave": the cave's darkness is an image)."""
    found, rest = _qualities(tokens, reader=False)
    if describing and not found:
        found, rest = _qualities(tokens, reader=True)
        found = found[:1]
    return found, rest


def _qualities(tokens: list[str], reader: bool) -> tuple[list[tuple[str, int, str]], list[str]]:
    found, rest, i = [], [], 0
    while i < len(tokens):
        width, quality = _idiom_at(tokens, i) or (1, _quality(tokens[i], reader))
        if quality is None:
            rest.append(tokens[i])
            i += 1
            continue
        name, direction = quality
        sign = -1 if any(t in W.NEGATED for t in tokens[max(0, i - 3) : i]) else 1  # "don't let it drag"
        end = i + width - 1
        # around it, not in it ("far away", "huge": one); a negated one is one step ("don't let it drag so much")
        steps = _steps(tokens[:i] + [""] + tokens[end + 1 :], i, i) if sign > 0 else 1
        found.append((name, sign * direction * steps, _phrase(tokens, i, end)))
        i = end + 1
    return found, rest


def _quality(word: str, reader: bool) -> tuple[str, int] | None:
    if word in W.QUALITIES:
        return W.QUALITIES[word]
    if reader and (word not in UNREAD_IGNORED or word in W.STRONG) and word not in W.STATES and word not in W.NOUNS:
        found = _field_direction(word, ("explicit", "concepts"))  # "annoying", "boring": a dislike, not a mood
        return found if found and found[0] in ORDER else None
    return None


def _idiom_at(tokens: list[str], i: int) -> tuple[int, tuple[str, int]] | None:
    for words, quality in IDIOMS:
        if tuple(tokens[i : i + len(words)]) == words:
            return len(words), quality
    return None


def relative(tokens: list[str], asked: Asked) -> list[str]:
    """Record the clause's moves and removals in `asked`; return the tokens they did not use."""
    rest: list[str] = []
    i = 0
    while i < len(tokens):
        idiom = _idiom_at(tokens, i)
        if idiom is not None:  # read whole, by "more" before it or as a bare quality ("a real player", not "player")
            rest += tokens[i : i + idiom[0]]
            i += idiom[0]
            continue
        used = (
            _must_go(tokens, i, asked)
            or _removal(tokens, i, asked)
            or _more_or_less(tokens, i, asked, rest)
            or _extreme(tokens, i, asked)
            or _verb(tokens, i, asked)
            or _noun_postfix(tokens, i, asked)
            or _comparative_at(tokens, i, asked, rest)
        )
        if used:
            while rest and rest[-1] in W.MODIFIERS:  # "huge drop in tempo": "huge" was the move's, not a size of room
                rest.pop()
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
    """2 after "much", "a lot", "way" (two words before the move, within it or after it: "kick the energy up a lot")
    or "two clicks", "a couple of notches" (around it), else 1."""
    after = list(takewhile(lambda t: t not in W.JOINERS, tokens[end + 1 : end + 3]))  # not "darker and much slower"
    if any(t in W.STRONG for t in tokens[max(0, start - 2) : end + 1] + after):
        return 2
    around = tokens[max(0, start - 3) : end + 5]
    return 2 if any(t in W.TWO for t in around) and any(t in W.STEP_WORDS or t in W.LAYER_UNITS for t in around) else 1


def _removal(tokens: list[str], i: int, asked: Asked) -> int | None:
    """ "drop the bells", "no reverb", "take out the delay", "turn off depth": set removable parts to nothing."""
    word = tokens[i]
    named_only = word in W.NAMED_ONLY
    if tuple(tokens[i : i + 2]) in W.REMOVE_PAIRS:
        first, named_only = i + 2, False
    elif word in W.OUT_VERBS and "out" in tokens[i + 2 : i + 2 + WINDOW]:  # "take the bells out"
        first, named_only = i + 1, False
    elif word in W.OFF_VERBS and "off" in tokens[i + 2 : i + 2 + WINDOW]:  # "turn the delay sends off"
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
        j = _next_word(tokens, end, W.SKIP | {"out", "off", "of", "more", "any", "rid", "one"})
        target = removable(tokens, j) or _described_part(tokens, j)
        if target is None or (named_only and target[0] not in W.NAMED_SOUNDS):
            break
        name, width = target
        asked.remove(name, " ".join(tokens[i : j + width]))
        found, end = True, j + width
        if (
            tokens[end : end + 1] not in (["and"], ["or"], ["nor"])
            or tokens[end + 1 : end + 2]
            and (tokens[end + 1] in W.MORE | W.LESS | W.MODIFIERS)
        ):  # "no delay or reverb", not "no drums and more reverb"
            break
        end += 1
    return end if found else None


def _described_part(tokens: list[str], j: int) -> tuple[str, int] | None:
    """A removable field's own noun after up to two other words: "no little plinky accents", "no background texture"."""
    for k in range(j + 1, min(j + 3, len(tokens))):
        if tokens[k] in W.FIELD_NOUNS:
            return W.FIELD_NOUNS[tokens[k]], k - j + 1
    return None


def _must_go(tokens: list[str], i: int, asked: Asked) -> int | None:
    """ "the breath noise has to go", "the bells can go": a removable part, a modal and "go" ending the clause."""
    if not ({"go", "goes"} & set(tokens[i + 1 : i + 2 + WINDOW])):
        return None
    target = removable(tokens, i)
    if target is None:
        return None
    for k in range(i + target[1], min(len(tokens), i + target[1] + WINDOW)):
        if tokens[k] in ("go", "goes") and tokens[k - 1] in W.GO_MODALS and (k + 1 == len(tokens) or tokens[k + 1] in W.GONE):
            asked.remove(target[0], " ".join(tokens[i : k + 1]))
            return k + 1
    return None


def _more_or_less(tokens: list[str], i: int, asked: Asked, rest: list[str]) -> int | None:
    """ "more reverb", "a lot less grit", "not so fast", "too dark", "give it some bite", "less busy drums"."""
    sign = _sign(tokens, i)
    if not sign:
        return None
    j = _next_word(tokens, i + 1, W.SKIP | {"another", "more", "to"})
    found = _target_at(tokens, j)
    if found is None or (tokens[i] in W.ADDING and not _adds(tokens[j], found)):
        return None  # "add bells", "add drums" name what to add: the values are read as absolute words
    width, (name, direction) = found
    end = j + width - 1
    value = named_value(tokens, j) if width == 1 and tokens[j] not in W.NOUNS and tokens[i] != "such" else None
    if value is not None and sign < 0 and value[0] in ORDER:  # "less sharp attacks", "not that fast a wobble": away from it
        order = ORDER[value[0]]
        toward = 1 if order.index(value[1]) * 2 >= len(order) - 1 else -1
        asked.move(value[0], _steps(tokens, i, value[2]) * toward * sign, _phrase(tokens, i, value[2]))
        return value[2] + 1
    if value is not None:
        return None  # "a more contemplative melody": the melody's value, read as absolute
    if tokens[j] not in W.NOUNS:
        name, direction, end = _on_part(tokens, end, rest, asked, name, direction)
    if name == AMOUNT:
        return None
    if tokens[i] in W.AWAY or tokens[i] in W.DEGREE:  # "way too dark": two steps; "too much going on": one
        steps = 2 if any(t in W.STRONG for t in tokens[max(0, i - 2) : i]) else 1
    else:
        steps = _steps(tokens, i, end)
    asked.move(name, steps * direction * sign, _phrase(tokens, i, end))
    then = tokens[end + 2] if tokens[end + 1 : end + 2] == ["and"] and end + 2 < len(tokens) else ""
    also = None if not then or comparative(then) else W.NOUNS.get(then) or _field_direction(then, ("explicit",))
    if also is not None and also[0] in ORDER:  # "too harsh and tinny", "less reverb and delay": one word for both
        asked.move(also[0], steps * also[1] * sign, _phrase(tokens, end + 2, end + 2))
        return end + 3
    return end + 1


def _sign(tokens: list[str], i: int) -> int:
    """+1 for "more", "extra", "up"; -1 for "less", "too", "not so" / "don't keep it so"; 0 for other words."""
    word = tokens[i]
    if word in W.AWAY or (word in W.DEGREE and any(t in W.NEGATED for t in tokens[max(0, i - 4) : i])):
        return -1
    if word in W.MORE and not (i > 0 and tokens[i - 1] in W.NEGATED):  # "no more echo" is a removal
        return 1
    if word in W.LESS:
        return -1
    return W.POSTFIX[word] if word in ("up", "down") else 0  # "turn up the delay", "turn down the drums"


def _adds(word: str, found: tuple[int, tuple[str, int]]) -> bool:
    """Whether "add" / "give it" names a part or quality ("add reverb", "give it some bite", "give it more
    get-up-and-go"), not a value ("add bells", "add drums", "give it a walking bass")."""
    width, (name, _) = found
    return name != "rhythm" and (width > 1 or word in W.NOUNS or word in W.ADJECTIVES)


def _target_at(tokens: list[str], j: int) -> tuple[int, tuple[str, int]] | None:
    """(words, (field, direction)) of what "more" / "less" / "too" speaks of at j: an idiom or a word."""
    if j >= len(tokens):
        return None
    idiom = _idiom_at(tokens, j)
    if idiom is not None:
        return idiom
    target = _target(tokens[j])
    return (1, target) if target is not None else None


def _on_part(tokens: list[str], end: int, rest: list[str], asked: Asked, name: str, direction: int) -> tuple[str, int, int]:
    """A quality said of a part moves the part, with the quality's sign: the part right after it ("softer attack",
    "less busy drums"), else one not yet read before it ("make the drums busier", "the attacks shouldn't be so
    soft"), or "them" for the part the clause before named ("keep the drums but make them calmer")."""
    if name in W.OWN_QUALITIES:
        return name, direction, end
    after = _next_word(tokens, end + 1, W.OF_PART)
    if after < len(tokens) and after - end <= 4 and tokens[after] in W.NOUNS and tokens[after] not in W.NOT_A_PART:
        part, sign = W.NOUNS[tokens[after]]
        return part, W.ON_PART.get((tokens[end], part), direction) * sign, after
    for word in reversed([w for w in rest[-WINDOW:] if w not in W.NOT_A_PART]):
        part = W.NOUNS.get(word) or (asked.subject if word in W.THEM else None)
        if part is not None:
            return part[0], W.ON_PART.get((tokens[end], part[0]), direction) * part[1], end
    return name, direction, end


def _extreme(tokens: list[str], i: int, asked: Asked) -> int | None:
    """ "as wide as it can go", "as dark as possible", "max reverb", "minimum brightness": the end of the field."""
    if tokens[i] == "as" and tokens[i + 2 : i + 3] == ["as"]:
        found, end, way = _target(tokens[i + 1]), i + 2, 1
        while end + 1 < len(tokens) and tokens[end + 1] in W.AS_FAR:
            end += 1
    elif tokens[i] in W.EXTREMES and (end := _next_word(tokens, i + 1, W.SKIP | {"out"})) < len(tokens):
        found, way = _target(tokens[end]), W.EXTREMES[tokens[i]]  # "max reverb", "max out the width"
    elif tokens[i] in W.NOUNS and (tail := _extreme_tail(tokens, i + 1)) is not None:
        found, (end, way) = W.NOUNS[tokens[i]], tail  # "reverb to max", "brightness all the way down"
    else:
        return None
    if found is None or found[0] not in ORDER:
        return None
    order = ORDER[found[0]]
    asked.set(found[0], order[-1] if found[1] * way > 0 else order[0], " ".join(tokens[i : end + 1]))
    return end + 1


def _extreme_tail(tokens: list[str], j: int) -> tuple[int, int] | None:
    """(index of its last word, +1 top / -1 bottom) of the longest end-of-field tail at j ("to the max", "maxed out")."""
    for words, way in sorted(W.EXTREME_TAILS.items(), key=lambda item: -len(item[0])):
        if tuple(tokens[j : j + len(words)]) == words:
            return j + len(words) - 1, way
    return None


def _verb(tokens: list[str], i: int, asked: Asked) -> int | None:
    """ "tame the transients", "push the pace", "slow it down", "loosen the timing a lot", "slow the LFOs", "cheer it
    up", "tone it down", "freeze the modulation"."""
    word = tokens[i]
    value = next(((len(k), v) for k, v in W.VERB_VALUES.items() if tuple(tokens[i : i + len(k)]) == k), None)
    if value is not None:
        return _verb_value(tokens, i, i + value[0] - 1, *value[1], asked)
    after = _next_word(tokens, i + 1, W.SKIP | set(W.POSTFIX))
    noun = W.NOUNS.get(tokens[after]) if after < len(tokens) and after - i <= WINDOW else None
    if word in W.VERB_SIGNS and noun is not None:
        end = after + (1 if tokens[after + 1 : after + 2] and tokens[after + 1] in W.POSTFIX else 0)
        sign = W.ON_PART.get((word, noun[0]), W.VERB_SIGNS[word])  # "lengthen the attack": a softer one
        asked.move(noun[0], _steps(tokens, i, end) * noun[1] * sign, _phrase(tokens, i, end))
        return end + 1
    follower = tokens[i + 1] if i + 1 < len(tokens) else None
    if word in W.SELF_VERBS and (word not in W.VERB_OR_ADJECTIVE or follower in W.VERB_FOLLOWERS):
        name, direction = W.SELF_VERBS[word]
        end = i
        while end + 1 < len(tokens) and tokens[end + 1] in {"it", "up", "down", "out", "back", "things", "everything"}:
            end += 1
        if noun is not None and (noun[0] == name or (word in W.RATE and noun[0] in W.RATE_FIELDS)):
            name, direction, end = noun[0], direction * noun[1], after  # its own part, or the rate of one
        adverb = _next_word(tokens, end + 1, W.MODIFIERS)
        if adverb < len(tokens) and tokens[adverb] in W.VERB_ADVERBS:  # "quantize it a lot harder": how, not attack
            end = adverb
        asked.move(name, _steps(tokens, i, end) * direction, _phrase(tokens, i, end))
        return end + 1
    if word in W.PRONOUN_VERBS and follower in W.PRONOUNS and tokens[i + 2 : i + 3] in (["up"], ["down"], ["back"]):
        name, sign = asked.subject or ("tempo", 1)  # "take it down a notch": the energy, so the tempo
        asked.move(name, _steps(tokens, i, i + 2) * sign * W.POSTFIX[tokens[i + 2]], _phrase(tokens, i, i + 2))
        return i + 3
    return None


def _verb_value(tokens: list[str], i: int, end: int, name: str, value: object, asked: Asked) -> int:
    """ "freeze the modulation", "collapse it to the center": the value, and the words after that name its field."""
    k = end + 1
    while k < min(len(tokens), end + WINDOW):
        idiom = _idiom_at(tokens, k)
        if idiom is not None and idiom[1][0] == name:
            k, end = k + idiom[0], k + idiom[0] - 1
        elif W.NOUNS.get(tokens[k], ("",))[0] == name:
            k, end = k + 1, k
        elif tokens[k] in W.SKIP | W.PRONOUNS | {"to", "into", "everything", "down", "up"}:
            k += 1
        else:
            break
    asked.set(name, value, " ".join(tokens[i : end + 1]))
    return end + 1


def _noun_postfix(tokens: list[str], i: int, asked: Asked) -> int | None:
    """ "reverb up", "tempo down 2", "bright +1", "the drums forward", "swing more", "drums off", "depth on"."""
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
    if following in ("up", "down") and tokens[i + 2 : i + 3] in (["1"], ["2"]):  # "verb up 2", "bright up 1"
        target = noun or _target(tokens[i])
        if target is not None and target[0] in ORDER:
            asked.move(target[0], int(tokens[i + 2]) * target[1] * W.POSTFIX[following], _phrase(tokens, i, i + 2))
            return i + 3
    sign = W.POSTFIX.get(following) if following not in ("in", "out") else None
    sign = sign or {"more": 1, "less": -1}.get(following)
    if noun is None or sign is None or (following in ("more", "less") and _target_at(tokens, i + 2)):
        return None  # "swing more", but "it should feel more spacious": "more" is the quality's
    asked.move(noun[0], _steps(tokens, i, i + 1) * noun[1] * sign, _phrase(tokens, i, i + 1))
    return i + 2


def _comparative_at(tokens: list[str], i: int, asked: Asked, rest: list[str]) -> int | None:
    """ "darker", "much slower", "softer attack", "make the drums busier", "don't make it any faster" (kept)."""
    found = comparative(tokens[i])
    if found is None:
        return None
    if any(t in W.NEGATED for t in tokens[max(0, i - 4) : i]):
        asked.notes.append(f"'{' '.join(tokens[max(0, i - 4) : i + 1])}': read as keeping it, nothing moved")
        return i + 1
    name, direction, end = _on_part(tokens, i, rest, asked, *found)
    if name == AMOUNT:
        return None
    asked.move(name, _steps(tokens, i, end) * direction, _phrase(tokens, i, end))
    return end + 1


def _phrase(tokens: list[str], start: int, end: int) -> str:
    """The words of a move, with the modifiers just before it ("a lot more reverb")."""
    while start > 0 and tokens[start - 1] in W.MODIFIERS:
        start -= 1
    return " ".join(tokens[start : end + 1])


def _target(word: str) -> tuple[str, int] | None:
    """The field a word after "more"/"less" speaks of, and which way is more of it (an amount word: of the part)."""
    return _amount(word) or W.NOUNS.get(word) or W.ADJECTIVES.get(word) or comparative(word) or _field_direction(word)


def _amount(word: str) -> tuple[str, int] | None:
    return (AMOUNT, W.AMOUNT[word]) if word in W.AMOUNT else None


def comparative(word: str) -> tuple[str, int] | None:
    """ "darker" -> ("brightness", -1): a comparative whose base word the reader places on an axis."""
    if word in W.AMOUNT:
        return _amount(word)
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


def _field_direction(word: str, sources: tuple[str, ...] = ("explicit", "concepts", "norms")) -> tuple[str, int] | None:
    """Which field a word speaks of and towards which end: a studio adjective, a value the reader reads as
    named, else the axis the reader reads most surely (through AXIS_FIELD, from `sources`); nothing for a stopword
    ("like")."""
    if word in W.ADJECTIVES:
        return W.ADJECTIVES[word]
    if word in STOPWORDS:
        return None
    reading = read(word, sources=sources)
    for name, found in reading.fields.items():
        if found.explicit and name in ORDER:
            level = _level(name, found.value)
            if level != 0.5:
                return name, 1 if level > 0.5 else -1
    spoken = [
        (round(a.confidence, 6), abs(a.target - 0.5), axis, a.target)
        for axis, a in reading.axes.items()
        if a.confidence > 0 and axis in AXIS_FIELD and abs(a.target - 0.5) > 0.1 and a.sources != ("anchors",)
    ]
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
