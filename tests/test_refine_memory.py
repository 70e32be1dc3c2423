"""The refiner's instruction memory (#26): recalled only when no rule reads a word, named in the notes, never the
held-out set, and a missing or foreign file says how to rebuild it."""

from __future__ import annotations

import numpy as np
import pytest

from aesthetics.embed import embed_texts
from optimize.eval.edits import EDIT_SETS, HELD_OUT
from reference import refine_memory
from reference.refine_memory import Memory
from reference.refiner import refine
from tools.errors import ConfigError, ScorerError
from tools.files import file_sha256
from tools.schema import EXAMPLE, MusicConfig

BASE = MusicConfig.parse({**EXAMPLE, "tempo": "medium", "motion": "medium", "accent": "bells"})
LABELLED = ["the zorbles make me queasy", "please blorp the quindle"]


def memory(threshold: float = 0.75) -> Memory:
    return Memory(
        LABELLED, [[{"field": "motion", "move": "down", "steps": 1}], [{"field": "accent", "value": "none"}]], embed_texts(LABELLED), threshold
    )


def test_an_instruction_no_rule_reads_is_read_as_the_nearest_labelled_one_and_the_notes_say_so():
    edit = refine(BASE, "the zorbles make me queasy", memory())
    assert edit.moved() == {"motion": ("medium", "slow")}
    assert any("the zorbles make me queasy" in note and "cosine" in note for note in edit.notes)


def test_a_label_that_sets_a_value_sets_it():
    assert refine(BASE, "please blorp the quindle", memory()).moved() == {"accent": ("bells", "none")}


def test_a_negated_instruction_turns_the_recalled_moves_around_and_asks_no_recalled_value():
    turned = refine(BASE, "the zorbles do not make me queasy", memory(threshold=0.5))
    assert turned.moved() == {"motion": ("medium", "fast")} and "turned around" in turned.changes[0].words
    with pytest.raises(ConfigError, match="reads as an edit"):
        refine(BASE, "please never blorp the quindle", memory(threshold=0.5))  # the opposite of "accent none" is no value


def test_nothing_near_enough_is_still_refused_with_the_fix():
    with pytest.raises(ConfigError, match="reads as an edit.*vibesynth styles"):
        refine(BASE, "the zorbles make me queasy", memory(threshold=1.01))


def test_an_instruction_the_rules_read_never_consults_the_memory():
    assert refine(BASE, "slower", memory(threshold=-1.0)).moved() == {"tempo": ("medium", "slow")}


def test_the_shipped_memory_holds_the_tuning_sets_as_frozen_and_never_the_held_out_one():
    sources = refine_memory.sources()
    assert HELD_OUT not in sources and sources
    for name, digest in sources.items():
        assert file_sha256(EDIT_SETS / f"{name}.jsonl") == digest
    shipped = refine_memory.shipped()
    assert len(shipped.instructions) == len(shipped.expects) == len(shipped.vectors)
    assert 0.0 < shipped.threshold < 1.0


def test_a_missing_or_foreign_memory_names_the_rebuild_command(tmp_path):
    with pytest.raises(ScorerError, match="build_refine_memory.py"):
        refine_memory.load(tmp_path / "absent.npz")
    memory().save(tmp_path / "m.npz", {})
    with np.load(tmp_path / "m.npz") as data:
        arrays = {key: data[key] for key in data.files}
    np.savez(tmp_path / "foreign.npz", **{**arrays, "embed_version": np.array("another-model")})
    with pytest.raises(ScorerError, match="another-model.*build_refine_memory.py"):
        refine_memory.load(tmp_path / "foreign.npz")
