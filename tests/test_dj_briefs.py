"""The DJ brief sets: deterministic, held-out concepts never reach another split, contrast pairs differ only in the pole."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from optimize.vibes import dj_briefs
from optimize.vibes.generate import mentions, normalise

SIZES = {"train": 120, "val": 20, "test": 30}


def _bag_of_words(texts: list[str]) -> np.ndarray:
    """A stand-in embedder: hashed word counts (near-duplicates share most words)."""
    vectors = np.zeros((len(texts), 128))
    for row, text in enumerate(texts):
        for word in normalise(text).split():
            vectors[row, int(hashlib.sha256(word.encode()).hexdigest(), 16) % 128] += 1
    return vectors


@pytest.fixture(scope="module")
def built():
    return dj_briefs.build(_bag_of_words, seed=0, sizes=SIZES, draws=120)


def test_the_same_seed_gives_the_same_sets(built):
    again, _, _ = dj_briefs.build(_bag_of_words, seed=0, sizes=SIZES, draws=120)
    assert again == built[0]
    other, _, _ = dj_briefs.build(_bag_of_words, seed=1, sizes=SIZES, draws=120)
    assert other != built[0]


def test_splits_are_full_with_unique_ids_and_the_concepts_that_made_each_brief(built):
    splits, _, stats = built
    assert stats.sizes == SIZES and {name: len(records) for name, records in splits.items()} == SIZES
    ids = [r["id"] for records in splits.values() for r in records]
    assert len(set(ids)) == len(ids)
    for record in splits["train"]:
        assert record["genre"] and normalise(record["genre"]) in normalise(record["brief"])


def test_a_held_out_concept_appears_only_in_its_own_split(built):
    splits, held, _ = built
    assert held.test and held.val and not held.test & held.val
    for name, records in splits.items():
        foreign = (held.words("test") if name != "test" else []) + (held.words("val") if name != "val" else [])
        leaked = [r["brief"] for r in records if mentions(normalise(r["brief"]), [normalise(w) for w in foreign])]
        assert not leaked, f"{name} names another split's held-out concept: {leaked[:3]}"
    assert all(held.split_of([c for c in (r["genre"], r["mood"], r["mood2"], r["venue"]) if c]) == "test" for r in splits["test"])


def test_no_concept_that_others_contain_is_held_out(built):
    _, held, _ = built
    assert not {"techno", "house", "dark", "minimal"} & (held.test | held.val)


def test_contrast_pairs_share_their_frame_and_use_test_only_concepts(built):
    _, held, _ = built
    pairs = dj_briefs.contrast_pairs(held, seed=0, per_axis=5)
    assert len(pairs) == 5 * len(dj_briefs.AXES) and len({p["id"] for p in pairs}) == len(pairs)
    for pair in pairs:
        lows, highs = dj_briefs.AXES[pair["axis"]]
        low = next(phrase for phrase in lows if pair["a"].lower().startswith(phrase.lower()))
        high = highs[lows.index(low)]
        assert pair["a"][len(low) :] == pair["b"][len(high) :]  # the same frame after the pole
        assert any(normalise(c) in normalise(pair["a"]) for c in held.test if c in dj_briefs._flat(dj_briefs.GENRES))


def test_the_frozen_dj_pair_sets_match_their_recorded_hashes():
    from optimize.eval.reader_check import load_frozen
    from optimize.teacher.dj_job import SET_FOLDER

    axes = {"brightness", "hypnotic", "pace", "density", "energy", "percussion"}
    for name, size in (("heldout-v1", 48), ("dev-v1", 60), ("heldout-v2", 72), ("heldout-v3", 72)):
        pairs = load_frozen(name, SET_FOLDER)
        assert len(pairs) == size and len({p["id"] for p in pairs}) == size
        assert all(p["axis"] in axes and p["a"].strip() and p["b"].strip() and p["a"] != p["b"] for p in pairs)
