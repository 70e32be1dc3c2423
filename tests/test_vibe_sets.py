"""The shipped vibe sets: concept hold-out, deduplication, coverage, determinism of the generator."""

from __future__ import annotations

import json
import re
import zlib

import numpy as np
import pytest

from optimize.vibes import taxonomy as tx
from optimize.vibes.data import DATA_DIR, load_split
from optimize.vibes.generate import NearDuplicates, build, normalise
from tools.errors import ConfigError
from tools.schema import choices

SPLITS = ("train", "val", "test")


def bag_of_words(texts: list[str]) -> np.ndarray:
    out = np.zeros((len(texts), 128), dtype=np.float32)
    for i, text in enumerate(texts):
        for word in normalise(text).split():
            out[i, zlib.crc32(word.encode()) % 128] += 1
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


@pytest.fixture(scope="module")
def shipped():
    return {name: load_split(name) for name in SPLITS}


@pytest.fixture(scope="module")
def holdout():
    return json.loads((DATA_DIR / "build.json").read_text())["holdout"]


def test_sizes_and_records(shipped):
    assert len(shipped["train"]) >= 2000 and 200 <= len(shipped["test"]) <= 1000 and len(shipped["val"]) >= 100
    keys = set(shipped["train"][0])
    for name, records in shipped.items():
        for record in records:
            assert set(record) == keys and record["split"] == name and record["vibe"].strip()
        assert len({r["id"] for r in records}) == len(records)


def test_test_concepts_never_seen_in_train(shipped, holdout):
    """Whole moods and places of test (and of val) occur in no train vibe: not as a field, not as words."""
    for held_split, others in (("test", ("train", "val")), ("val", ("train", "test"))):
        moods, places = set(holdout[f"{held_split}_moods"]), set(holdout[f"{held_split}_places"])
        assert moods and places
        used = {r["mood"] for r in shipped[held_split]} | {r["mood2"] for r in shipped[held_split]}
        assert moods & used, "held-out moods must actually appear in their split"
        words = sorted(moods | places | {re.sub(r"^(the|a|an) ", "", p.phrase) for p in tx.PLACES if p.name in places})
        for other in others:
            for record in shipped[other]:
                assert record["mood"] not in moods and record["mood2"] not in moods and record["place"] not in places
                text = normalise(record["vibe"])
                assert not any(re.search(rf"\b{re.escape(w)}\b", text) for w in words), (other, record["vibe"])


def test_no_duplicates_across_splits(shipped):
    texts = [normalise(r["vibe"]) for records in shipped.values() for r in records]
    assert len(set(texts)) == len(texts)


def test_every_targeted_rare_value_is_in_train(shipped):
    covered = {(r["target_field"], r["target_value"]) for r in shipped["train"] if r["target_field"]}
    for field, value in tx.TARGETS:
        assert value in choices(field)
        assert (field, str(value).lower() if isinstance(value, bool) else value) in covered


def test_near_duplicates_are_dropped_and_distinct_texts_kept():
    dedup = NearDuplicates(bag_of_words, threshold=0.92)
    keep = dedup.filter(["peaceful and serene, at dawn", "serene and peaceful, at dawn", "3am in an empty office"])
    assert keep == [True, False, True]
    # Across calls too: a later batch is compared with what was kept before.
    assert dedup.filter(["3am... in an EMPTY office", "a techno pulse"]) == [False, True]


def test_generator_is_deterministic_and_holds_out(tmp_path):
    sizes = {"train": 150, "val": 30, "test": 40}
    a = build(bag_of_words, seed=3, sizes=sizes, draws=60)
    b = build(bag_of_words, seed=3, sizes=sizes, draws=60)
    assert a[0] == b[0] and a[1] == b[1]
    splits, holdout, stats = a
    assert stats.sizes == sizes and stats.exact_duplicates > 0
    test_places = holdout.test_places
    assert not any(r["place"] in test_places for r in splits["train"])
    assert build(bag_of_words, seed=4, sizes=sizes, draws=60)[0] != splits


def test_split_errors_are_one_line(tmp_path):
    with pytest.raises(ConfigError, match="unknown split 'nope'"):
        load_split("nope")
    empty = tmp_path / "e.jsonl"
    empty.write_text("")
    with pytest.raises(ConfigError, match="has no vibes"):
        load_split(str(empty))
