"""Build the vibe sets: templates over the taxonomy, deduplicated, split with held-out concepts.

Steps (all driven by one seeded numpy Generator, so a seed gives the same files):
1. choose held-out concepts: per mood group and place group, ~20 % of the
   concepts go to test only and ~10 % to val only;
2. fill the templates with concepts (and the targeted phrases for rare enum values);
3. assign a split: a vibe with a test concept is test, with a val concept val,
   with both it is dropped, else train; a train/val vibe whose words contain
   a held-out concept's words is dropped too (so nothing leaks by surface form);
4. drop exact duplicates of the normalised text, then embedding near-duplicates
   (cosine >= threshold on all-MiniLM-L6-v2 embeddings, first one kept, across
   all splits so no test vibe is a paraphrase of a train vibe);
5. cut each split to its size, targeted vibes first so every rare value is covered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from optimize.vibes import taxonomy as tx

Embedder = Callable[[list[str]], np.ndarray]
SIZES = {"train": 2400, "val": 300, "test": 400}
NEAR_DUPLICATE = 0.92  # cosine similarity of MiniLM embeddings at or above which two vibes are one
TEST_SHARE, VAL_SHARE = 0.2, 0.1
TEMPLATE_DRAWS = 900  # candidates drawn per concept template before dedup


def normalise(text: str) -> str:
    """Lowercase, punctuation dropped (except # in keys), whitespace collapsed."""
    return " ".join(re.sub(r"[^\w#\s]", " ", text.lower()).split())


@dataclass(frozen=True)
class HoldOut:
    test_moods: frozenset[str]
    val_moods: frozenset[str]
    test_places: frozenset[str]
    val_places: frozenset[str]

    def split_of(self, mood_names: Sequence[str], place: str | None) -> str | None:
        test = any(m in self.test_moods for m in mood_names) or place in self.test_places
        val = any(m in self.val_moods for m in mood_names) or place in self.val_places
        if test and val:
            return None
        return "test" if test else "val" if val else "train"

    def surfaces(self, split: str) -> list[str]:
        """The words of the concepts held out for `split` (names and place phrases without articles)."""
        moods = self.test_moods if split == "test" else self.val_moods
        places = self.test_places if split == "test" else self.val_places
        words = set(moods) | set(places)
        for place in tx.PLACES:
            if place.name in places:
                words.add(re.sub(r"^(the|a|an) ", "", place.phrase))
        return sorted(words)

    def as_dict(self) -> dict[str, list[str]]:
        return {k: sorted(v) for k, v in self.__dict__.items()}


def choose_holdout(rng: np.random.Generator) -> HoldOut:
    """Per group, the first ~20 % of a shuffled list are test-only, the next ~10 % val-only."""
    picks: dict[str, set[str]] = {"test_moods": set(), "val_moods": set(), "test_places": set(), "val_places": set()}
    place_groups: dict[str, list[str]] = {}
    for place in tx.PLACES:
        place_groups.setdefault(place.group, []).append(place.name)
    for kind, groups in (("moods", tx.MOODS), ("places", place_groups)):
        for names in groups.values():
            order = [names[i] for i in rng.permutation(len(names))]
            n_test = max(1, round(TEST_SHARE * len(order)))
            n_val = max(1, round(VAL_SHARE * len(order)))
            picks[f"test_{kind}"].update(order[:n_test])
            picks[f"val_{kind}"].update(order[n_test : n_test + n_val])
    return HoldOut(**{k: frozenset(v) for k, v in picks.items()})


def _record(vibe: str, template: str, **concepts: object) -> dict:
    target = concepts.pop("target", None)
    record = {"vibe": vibe, "template": template}
    for key in ("mood", "mood2", "place", "time", "era", "activity"):
        record[key] = concepts.get(key)
    record["target_field"] = target[0] if target else None
    record["target_value"] = _label(target[1]) if target else None
    return record


def _label(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def candidates(rng: np.random.Generator, draws: int = TEMPLATE_DRAWS) -> list[dict]:
    """Template fills over the taxonomy, then every targeted phrase in four frames."""
    moods, acts = tx.moods(), tx.activities()
    still = tx.ACTIVITIES["state"] + tx.ACTIVITIES["movement"]

    def pick(seq):
        return seq[int(rng.integers(len(seq)))]

    templates: list[tuple[str, Callable[[], dict]]] = [
        ("mood_place", lambda: (lambda m, p: _record(f"{m} {p.name}", "mood_place", mood=m, place=p.name))(pick(moods), pick(tx.PLACES))),
        (
            "mood_place_time",
            lambda: (lambda m, p, t: _record(f"{m} {p.name} {t.adverbial}", "mood_place_time", mood=m, place=p.name, time=t.name))(
                pick(moods), pick(tx.PLACES), pick(tx.TIMES)
            ),
        ),
        (
            "time_in_place",
            lambda: (lambda t, p: _record(f"{t.name} in {p.phrase}", "time_in_place", place=p.name, time=t.name))(pick(tx.TIMES), pick(tx.PLACES)),
        ),
        (
            "activity_in_place",
            lambda: (lambda a, p: _record(f"{a} in {p.phrase}", "activity_in_place", activity=a, place=p.name))(pick(still), pick(tx.PLACES)),
        ),
        ("activity_feeling", lambda: (lambda a, m: _record(f"{a}, feeling {m}", "activity_feeling", activity=a, mood=m))(pick(acts), pick(moods))),
        (
            "feeling_of",
            lambda: (lambda a, t: _record(f"the feeling of {a} {t.adverbial}", "feeling_of", activity=a, time=t.name))(pick(still), pick(tx.TIMES)),
        ),
        (
            "era_place_mood",
            lambda: (lambda e, p, m: _record(f"{e} {p.name}, {m}", "era_place_mood", era=e, place=p.name, mood=m))(
                pick(tx.ERAS), pick(tx.PLACES), pick(moods)
            ),
        ),
        (
            "two_moods_time",
            lambda: (lambda m, m2, t: _record(f"{m} and {m2}, {t.adverbial}", "two_moods_time", mood=m, mood2=m2, time=t.name))(
                pick(moods), pick(moods), pick(tx.TIMES)
            ),
        ),
        (
            "music_for",
            lambda: (lambda a, p: _record(f"music for {a} in {p.phrase}", "music_for", activity=a, place=p.name))(pick(still), pick(tx.PLACES)),
        ),
        (
            "mood_activity_time",
            lambda: (lambda m, a, t: _record(f"{m} {a} {t.adverbial}", "mood_activity_time", mood=m, activity=a, time=t.name))(
                pick(moods), pick(still), pick(tx.TIMES)
            ),
        ),
    ]
    out = []
    for _name, make in templates:
        out.extend(make() for _ in range(draws))
    for target, phrases in tx.TARGETS.items():
        for phrase in phrases:
            out.append(_record(phrase, "target", target=target))
            for _ in range(3):
                t, m, p = pick(tx.TIMES), pick(moods), pick(tx.PLACES)
                out.append(_record(f"{phrase} {t.adverbial}", "target_time", time=t.name, target=target))
                out.append(_record(f"{phrase}, {m}", "target_mood", mood=m, target=target))
                out.append(_record(f"{phrase} in {p.phrase}", "target_place", place=p.name, target=target))
    return out


def mentions(text: str, words: Sequence[str]) -> bool:
    """Whether the normalised text names any of the words as whole words."""
    return any(re.search(rf"\b{re.escape(w)}\b", text) for w in words)


@dataclass
class BuildStats:
    candidates: int = 0
    exact_duplicates: int = 0
    dropped_two_holdouts: int = 0
    dropped_surface_leak: int = 0
    near_duplicates: int = 0
    sizes: dict[str, int] = field(default_factory=dict)


class NearDuplicates:
    """Greedy filter: a text is a near-duplicate when its cosine to a kept text is >= threshold."""

    def __init__(self, embed: Embedder, threshold: float = NEAR_DUPLICATE) -> None:
        self.embed, self.threshold = embed, threshold
        self.kept: list[np.ndarray] = []
        self._matrix = np.zeros((0, 0), dtype=np.float32)

    def filter(self, texts: list[str]) -> list[bool]:
        """For each text in order: keep it (True) or drop it as a near-duplicate of one kept before."""
        if not texts:
            return []
        vectors = np.asarray(self.embed(texts), dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        if self._matrix.shape[0] < len(self.kept) + len(texts):
            grown = np.zeros((2 * (len(self.kept) + len(texts)), vectors.shape[1]), dtype=np.float32)
            if self.kept:
                grown[: len(self.kept)] = self._matrix[: len(self.kept)]
            self._matrix = grown
        keep = []
        for vector in vectors:
            n = len(self.kept)
            close = n and float(np.max(self._matrix[:n] @ vector)) >= self.threshold
            keep.append(not close)
            if not close:
                self._matrix[n] = vector
                self.kept.append(vector)
        return keep


def split_and_cut(
    pool: list[dict],
    text: str,
    split_of: Callable[[dict], str | None],
    leaks: dict[str, list[str]],
    sizes: dict[str, int],
    dedup: NearDuplicates,
    rng: np.random.Generator,
    stats: BuildStats,
    first: Callable[[dict], bool] | None = None,
) -> dict[str, list[dict]]:
    """The pool in a seeded order, each record's `text` normalised: exact duplicates dropped, then records mixing two
    splits' held-out concepts (`split_of` -> None) and records naming another split's held-out words (`leaks`); the
    rest (`first` ones first) through the near-duplicate filter across splits, each split cut to its size."""
    seen: set[str] = set()
    assigned: list[dict] = []
    for i in rng.permutation(len(pool)):
        record = pool[int(i)]
        key = normalise(record[text])
        if key in seen:
            stats.exact_duplicates += 1
            continue
        seen.add(key)
        split = split_of(record)
        if split is None:
            stats.dropped_two_holdouts += 1
        elif mentions(key, leaks[split]):
            stats.dropped_surface_leak += 1
        else:
            assigned.append({**record, "split": split})
    if first is not None:
        assigned.sort(key=lambda r: not first(r))
    splits: dict[str, list[dict]] = {name: [] for name in sizes}
    chunk = 256
    for start in range(0, len(assigned), chunk):
        batch = [r for r in assigned[start : start + chunk] if len(splits[r["split"]]) < sizes[r["split"]]]
        for record, keep in zip(batch, dedup.filter([r[text] for r in batch])):
            if not keep:
                stats.near_duplicates += 1
            elif len(splits[record["split"]]) < sizes[record["split"]]:
                splits[record["split"]].append(record)
        if all(len(splits[name]) >= sizes[name] for name in sizes):
            break
    return splits


def build(
    embed: Embedder,
    seed: int = 0,
    sizes: dict[str, int] | None = None,
    threshold: float = NEAR_DUPLICATE,
    draws: int = TEMPLATE_DRAWS,
) -> tuple[dict[str, list[dict]], HoldOut, BuildStats]:
    """The three splits (records with id and split), the held-out concepts and what was dropped."""
    sizes = dict(SIZES if sizes is None else sizes)
    rng = np.random.default_rng(seed)
    holdout = choose_holdout(rng)
    pool = candidates(rng, draws)
    stats = BuildStats(candidates=len(pool))
    leak_words = {"train": holdout.surfaces("test") + holdout.surfaces("val"), "val": holdout.surfaces("test"), "test": holdout.surfaces("val")}
    splits = split_and_cut(
        pool,
        "vibe",
        lambda r: holdout.split_of([m for m in (r["mood"], r["mood2"]) if m], r["place"]),
        leak_words,
        sizes,
        NearDuplicates(embed, threshold),
        rng,
        stats,
        first=lambda r: r["target_field"] is not None,  # targeted vibes first so near-dedup and the cut keep rare values
    )
    for name, records in splits.items():
        records.sort(key=lambda r: normalise(r["vibe"]))
        for n, record in enumerate(records):
            record["id"] = f"{name}-{n:05d}"
        splits[name] = [{"id": r["id"], "split": name, **{k: v for k, v in r.items() if k not in ("id", "split")}} for r in records]
        stats.sizes[name] = len(records)
    return splits, holdout, stats
