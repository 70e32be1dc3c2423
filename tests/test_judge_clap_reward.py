"""CLAP penalized reward maths (seeds/000 section 5) against hand-computed values, main env."""

from __future__ import annotations

import numpy as np
import pytest

from aesthetics.clap.reward import BAD_CONCEPTS, bad_embedding, cosine_sim, penalized_reward, softplus


def test_softplus_and_cosine():
    assert softplus(0.0, 5.0) == pytest.approx(np.log(2) / 5)
    assert softplus(1.0, 2.0) == pytest.approx(1.0634640055214863)
    assert softplus(1000.0, 5.0) == pytest.approx(1000.0)  # no overflow
    assert softplus(-1000.0, 5.0) == pytest.approx(0.0)
    assert cosine_sim(np.array([[3.0, 4.0]]), np.array([4.0, 3.0])) == pytest.approx(24 / 25)
    assert cosine_sim(np.zeros(3), np.ones(3)) == 0.0


@pytest.mark.parametrize(
    ("audio", "text", "bad", "expected"),
    [
        # audio matches the brief exactly, nothing bad: penalty softplus(0, 5) = ln2/5
        (
            [1, 0],
            [1, 0],
            [0, 1],
            dict(audio_text_sim=1.0, excess_badness=0.0, penalty=0.13862943611198905, raw_score=0.9941492874654918, reward=0.9941663695537071),
        ),
        # audio half-way to "bad" while the brief is not bad at all
        (
            [1, 1],
            [1, 0],
            [0, 1],
            dict(
                audio_text_sim=0.7071067811865475,
                excess_badness=0.7071067811865475,
                penalty=0.7128521021291294,
                raw_score=0.45949159091285463,
                reward=0.5824520531685285,
            ),
        ),
        # audio opposite to the brief and identical to "bad"
        (
            [-1, 0],
            [1, 0],
            [-1, 0],
            dict(audio_text_sim=-1.0, excess_badness=2.0, penalty=2.0000090797798435, raw_score=-0.9365405343684354, reward=0.14420194956298218),
        ),
        # less bad than the brief implies: raw score over 1, reward clipped to 1
        ([1, 0.1], [1, 0], [0, -1], dict(audio_text_sim=0.9950371902099892, excess_badness=-0.09950371902099892, reward=1.0)),
    ],
)
def test_penalized_reward_matches_hand_computed(audio, text, bad, expected):
    result = penalized_reward(np.array(audio, float), np.array(text, float), np.array(bad, float)).model_dump()
    for key, value in expected.items():
        assert result[key] == pytest.approx(value, abs=1e-6), key


def test_bad_embedding_is_the_concept_mean():
    embeds = np.arange(len(BAD_CONCEPTS) * 4, dtype=float).reshape(-1, 4)
    assert np.allclose(bad_embedding(embeds), embeds.mean(axis=0))
    assert len(BAD_CONCEPTS) == 17 and "low quality audio" in BAD_CONCEPTS
