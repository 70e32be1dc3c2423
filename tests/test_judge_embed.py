"""all-MiniLM-L6-v2 in numpy matches transformers' BertModel + mean pooling (reference values
computed once with transformers 5.23.0 / torch 2.13.0 CPU on the same weights)."""

from __future__ import annotations

import numpy as np
import pytest

from aesthetics import embed
from aesthetics.embed import embed_texts
from tools.errors import ScorerError

TEXTS = ["rainy afternoon in Tokyo", "dark Berlin techno, 130 BPM", "Vast, cold cathedral — shimmering bells at 3am!"]
REF_HEAD_0 = [0.024281, 0.00993, 0.079253, 0.071015, 0.025144, -0.040707]
REF_TAIL_2 = [0.034827, -0.044395, -0.084722, 0.005291]
REF_COS_01 = 0.237922


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path))
    embed._cached.cache_clear()
    yield tmp_path
    embed._cached.cache_clear()


def test_matches_transformers_reference(fresh_cache):
    vectors = embed_texts(TEXTS)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(vectors[0, :6], REF_HEAD_0, atol=2e-6)
    np.testing.assert_allclose(vectors[2, -4:], REF_TAIL_2, atol=2e-6)
    assert float(vectors[0] @ vectors[1]) == pytest.approx(REF_COS_01, abs=2e-6)


def test_cached_on_disk_and_bit_identical(fresh_cache):
    first = embed_texts(TEXTS[:1])
    files = list((fresh_cache / "embeddings" / embed.EMBED_VERSION).rglob("*.npy"))
    assert len(files) == 1
    embed._cached.cache_clear()
    again = embed_texts(TEXTS[:1])
    assert first.tobytes() == again.tobytes()


def test_empty_list_and_bad_item(fresh_cache):
    assert embed_texts([]).shape == (0, 384)
    with pytest.raises(ScorerError, match="takes strings"):
        embed_texts([3])
