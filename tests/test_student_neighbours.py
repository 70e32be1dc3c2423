"""Retrieval-augmented student input (issue #23 item 2): the index, its prompt, and the SFT data built with it.

Core environment (numpy only): the vectors are small hand-made ones, so no MiniLM is loaded.
"""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

from agent.student.neighbours import FILE, Neighbours, vibe_key
from agent.student.prompts import NEIGHBOURS, compact, prompt, prompt_prefix
from optimize.distill.data import read_records, student_prompt
from optimize.distill.neighbours import build_index
from optimize.vibes.generate import normalise
from tools.errors import ConfigError
from tools.schema import EXAMPLE, FIELDS, choices

VIBES = ["rain on a tin roof", "Rain on a tin roof!", "neon city at 3am", "sunrise over a frozen lake", "dusty desert road", "deep sea drift"]


def _config(i: int) -> dict:
    return {**EXAMPLE, "tempo": choices("tempo")[i % 5], "root": choices("root")[i % 12]}


def _vectors(n: int, dim: int = 8) -> np.ndarray:
    return np.random.default_rng(0).normal(size=(n, dim)).astype(np.float32)


def _fake_embed(table: dict[str, np.ndarray]):
    def embed(texts):
        return np.stack([table[t] for t in texts])

    return embed


def test_vibe_key_matches_the_eval_normalisation():
    for text in [*VIBES, "Lo-fi, café  at 2 AM", "C# minor; dorian?"]:
        assert vibe_key(text) == normalise(text)


def test_nearest_never_includes_the_query_itself_in_any_spelling():
    vectors = _vectors(len(VIBES))
    vectors[1] = vectors[0]  # the same vibe spelled differently, same vector
    index = Neighbours([(v, _config(i)) for i, v in enumerate(VIBES)], vectors, k=3, embed=_fake_embed({}))
    for vibe in VIBES:
        found = index.nearest(vibe)
        assert len(found) == 3
        assert vibe_key(vibe) not in {vibe_key(v) for v, _ in found}
    # the query's other spelling is the query too: both are skipped, the next three come instead
    assert [v for v, _ in index.nearest("RAIN on a tin roof")] == [v for v, _ in index.nearest("rain on a tin roof")]


def test_nearest_is_ordered_by_cosine_and_embeds_only_new_vibes():
    vectors = np.eye(4, dtype=np.float32)
    examples = [(f"vibe {i}", _config(i)) for i in range(4)]
    query = np.asarray([0.1, 0.9, 0.5, 0.0], dtype=np.float32)
    calls = []

    def embed(texts):
        calls.append(list(texts))
        return query[None, :]

    index = Neighbours(examples, vectors, k=3, embed=embed)
    assert [v for v, _ in index.nearest("something new")] == ["vibe 1", "vibe 2", "vibe 0"]
    assert [v for v, _ in index.nearest("something new", k=2)] == ["vibe 1", "vibe 2"]
    assert calls == [["something new"], ["something new"]]
    index.nearest("vibe 3")  # an indexed vibe uses its stored vector
    assert len(calls) == 2


def test_ties_break_in_index_order_so_answers_are_deterministic():
    vectors = np.ones((5, 3), dtype=np.float32)
    index = Neighbours([(f"v{i}", _config(i)) for i in range(5)], vectors, k=3, embed=_fake_embed({}))
    assert [v for v, _ in index.nearest("v1")] == ["v0", "v2", "v3"]


@pytest.mark.parametrize("k", [1, 5, 0, 2.5])
def test_k_out_of_range_is_one_line_naming_the_range(k):
    with pytest.raises(ConfigError, match="from 2 to 4"):
        Neighbours([("a", EXAMPLE), ("b", EXAMPLE)], _vectors(2), k=k)


def test_save_and_load_round_trip(tmp_path):
    index = Neighbours([(v, _config(i)) for i, v in enumerate(VIBES)], _vectors(len(VIBES)), k=2)
    loaded = Neighbours.load(index.save(tmp_path / FILE), embed=_fake_embed({}))
    assert loaded.k == 2 and loaded.examples == index.examples
    assert np.array_equal(loaded.vectors, index.vectors)
    for vibe in VIBES:
        assert loaded.nearest(vibe) == index.nearest(vibe)
    (tmp_path / "broken.npz").write_bytes(b"not an npz")
    with pytest.raises(ConfigError, match="not a neighbours index"):
        Neighbours.load(tmp_path / "broken.npz")


def test_retrieval_prompt_lists_the_neighbours_compactly_before_the_vibe():
    shots = [("neon city at 3am", _config(1)), ("dusty desert road", _config(2))]
    text = prompt("rain on a tin roof", neighbours=shots)
    assert text.startswith(prompt_prefix(retrieval=True)) and NEIGHBOURS in text
    assert text.endswith("\nVibe: rain on a tin roof\nConfig:")
    assert f"- neon city at 3am => {compact(_config(1))}\n" in text
    line = compact(EXAMPLE)
    assert line.split() == [f"{f}={str(EXAMPLE[f]).lower() if isinstance(EXAMPLE[f], bool) else EXAMPLE[f]}" for f in FIELDS]
    assert prompt("rain on a tin roof") == prompt("rain on a tin roof", neighbours=None)  # no index: the plain prompt


def _dataset(tmp_path, vibes, vectors=None):
    folder = tmp_path / "dataset"
    folder.mkdir()
    with gzip.open(folder / "train.jsonl.gz", "wt") as handle:
        for i, vibe in enumerate(vibes):
            handle.write(json.dumps({"id": f"train-{i}", "vibe": vibe, "config": _config(i)}) + "\n")
    if vectors is not None:
        from aesthetics.embed import EMBED_VERSION

        np.savez(folder / "embeddings.npz", texts=np.asarray(vibes), vectors=vectors, version=np.asarray(EMBED_VERSION))
    return folder


def test_sft_prompts_from_a_dataset_never_show_the_record_its_own_answer(tmp_path):
    vibes = [v for v in VIBES if v != "Rain on a tin roof!"]
    folder = _dataset(tmp_path, vibes, _vectors(len(vibes)))
    index = build_index(folder, k=3)  # every vector shipped: nothing is embedded
    assert len(index) == len(vibes) and index.k == 3
    for record in read_records(folder / "train.jsonl.gz"):
        text = student_prompt(record["vibe"], index)
        listed = [line[2:].split(" => ")[0] for line in text.splitlines() if line.startswith("- ")]
        assert len(listed) == 3 and record["vibe"] not in listed
        assert f"=> {compact(record['config'])}" not in text or any(compact(c) == compact(record["config"]) for v, c in index.nearest(record["vibe"]))
    assert student_prompt("rain on a tin roof") == prompt("rain on a tin roof")
