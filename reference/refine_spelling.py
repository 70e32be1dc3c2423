"""A small typo tolerance for `reference.refiner`: "darkr", "slighty", "tighen", "slowwer", "birghter".

A word of five letters or more that neither the refiner's tables nor the reader know is
read as the one known word it is a slip away from, only when that word is unambiguous: a
letter dropped ("darkr" -> "darker", not "dark"), then a letter typed twice or two letters
swapped. A changed letter is not tried: too many real words are one letter from a known
one ("stabs" / "stars", "stuff" / "stiff", "stack" / "stuck"). The known words are the
tables' (`edit_words`), the reader's terms, their comparatives, and the schema's fields and
values.
"""

from __future__ import annotations

import string
from functools import lru_cache

from aesthetics.vibe.reader import STOPWORDS, WORD
from aesthetics.vibe.words import CONCEPTS, EXPLICIT, INTENSIFIERS, NEGATORS, SOFTENERS
from reference import edit_words as W
from tools.schema import FIELDS, choices

MIN_LETTERS = 5


def respell(text: str) -> str:
    """`text` with each unknown word of MIN_LETTERS or more replaced by its one known neighbour, if it has one."""
    return WORD.sub(lambda m: _nearest(m.group(0)) if m.group(0).isalpha() and len(m.group(0)) >= MIN_LETTERS else m.group(0), text)


@lru_cache(maxsize=4096)
def _nearest(word: str) -> str:
    known = _known()
    if word in known:
        return word
    dropped = {word[:k] + c + word[k:] for k in range(len(word) + 1) for c in string.ascii_lowercase} & known
    dropped.discard(word + "s")  # "throw" is not a slip of "throws", "plain" not of "plains"
    if dropped:
        return dropped.pop() if len(dropped) == 1 else word
    other = {word[:k] + word[k + 1 :] for k in range(1, len(word)) if word[k] == word[k - 1]}
    other |= {word[:k] + word[k + 1] + word[k] + word[k + 2 :] for k in range(len(word) - 1)}
    other &= known
    return other.pop() if len(other) == 1 else word


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    words: set[str] = set(STOPWORDS) | set(FIELDS)
    for table in vars(W).values():
        if isinstance(table, dict | frozenset | set):
            for key in table:
                words.update(key if isinstance(key, tuple) else str(key).split())
    words.update(w for forms in W.VALUE_WORDS.values() for w in forms)
    for value in (v for name in FIELDS for v in choices(name)):
        words.update(str(value).split("_"))
    terms = {w for entry in (*EXPLICIT, *CONCEPTS) for phrase in entry.phrases for w in phrase.split()}
    terms |= {w for phrase in (*INTENSIFIERS, *SOFTENERS, *NEGATORS) for w in phrase.split()}
    adjectives = terms | set(W.ADJECTIVES)
    words |= terms | {_comparative(w) for w in adjectives if w.isalpha() and len(w) >= 3 and not w.endswith("er")}
    return frozenset(words)


def _comparative(word: str) -> str:
    """dark -> darker, wide -> wider, busy -> busier, sad -> sadder (a form to be near, not a dictionary's)."""
    if word.endswith("e"):
        return word + "r"
    if word.endswith("y"):
        return word[:-1] + "ier"
    vowels = "aeiou"
    short = len(word) <= 4 and word[-1] not in vowels + "wxy" and word[-2] in vowels and word[-3] not in vowels
    return word + word[-1] + "er" if short else word + "er"
