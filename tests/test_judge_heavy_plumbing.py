"""Heavy-backend plumbing that needs no torch: windowing, checkpoint messages (main env)."""

from __future__ import annotations

import numpy as np
import pytest

from aesthetics import get_scorer
from aesthetics.audiobox import windows_16k
from aesthetics.base import TextRequired
from aesthetics.clap import ClapScorer, windows_48k
from tools.errors import ScorerError


def test_clap_windows_are_10s_at_48k_repeat_padded():
    sr = 44100
    audio = np.random.default_rng(0).uniform(-0.5, 0.5, (int(25 * sr), 2)).astype(np.float32)
    windows = windows_48k(audio, sr)
    assert windows.shape == (3, 480_000)
    short = windows_48k(audio[: 3 * sr], sr)
    assert short.shape == (1, 480_000)
    assert np.allclose(short[0, :144_000], short[0, 144_000:288_000])  # 3 s repeated to fill 10 s
    assert np.all(short[0, 432_000:] == 0)
    assert windows_48k(audio[: int(10.2 * sr)], sr).shape == (1, 480_000)  # a 0.2 s tail is dropped


def test_audiobox_windows_weights_and_masks():
    sr = 48000
    audio = np.ones((25 * sr, 2), np.float32) * 0.1
    windows, masks, weights = windows_16k(audio, sr)
    assert windows.shape == masks.shape == (3, 160_000)
    assert weights.tolist() == [1.0, 1.0, 0.5]
    assert masks[2, :80_000].all() and not masks[2, 80_000:].any()
    assert np.all(windows[2, 80_000:] == 0)


@pytest.mark.parametrize(("backend", "repo"), [("clap", "lukewys/laion_clap"), ("audiobox", "facebook/audiobox-aesthetics")])
def test_missing_checkpoint_names_path_and_source(tmp_path, backend, repo):
    missing = tmp_path / "nope.pt"
    with pytest.raises(ScorerError) as err:
        get_scorer(backend, checkpoint=missing)
    assert str(missing) in str(err.value) and repo in str(err.value) and "--checkpoint" in str(err.value)


def test_default_checkpoint_path_is_under_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path))
    monkeypatch.delenv("VIBESYNTH_CLAP_CHECKPOINT", raising=False)
    with pytest.raises(ScorerError, match=str(tmp_path / "checkpoints" / "clap" / "630k-audioset-best.pt")):
        get_scorer("clap")


class _UnusableEncoder:
    """Stands in for a CLAP model; any use of it fails the test."""

    model = object()

    def __getattr__(self, name):
        raise AssertionError(f"the encoder was used ({name}) although a text is missing")


@pytest.mark.parametrize("text", [None, "", "   "])
def test_clap_without_text_is_an_error_before_any_work(text):
    scorer = ClapScorer(encoder=_UnusableEncoder())
    audio = np.zeros((44100, 2), np.float32)
    with pytest.raises(TextRequired, match="clap backend needs --text"):
        scorer.score_batch([(audio, 44100, "rain"), (audio, 44100, text)])
    assert issubclass(TextRequired, ScorerError)


class _TinyEncoder:
    """A deterministic stand-in for the CLAP encoder: 4-d embeddings from window statistics and text length."""

    model = object()

    def audio_embeddings(self, windows: np.ndarray) -> np.ndarray:
        return np.stack([[w.mean(), w.std(), np.abs(w).max(), 1.0] for w in windows]).astype(np.float32)

    def text_embeddings(self, texts: list[str]) -> np.ndarray:
        return np.stack([[len(t), t.count("a"), 1.0, 0.5] for t in texts]).astype(np.float32)


def test_clap_features_judged_later_equal_one_score():
    scorer = ClapScorer(encoder=_TinyEncoder())
    audio = np.random.default_rng(0).normal(0, 0.1, (44100 * 2, 2)).astype(np.float32)
    features = scorer.audio_features(audio, 44100)
    for text in ("rain at night", "a bright carnival"):
        assert scorer.judge_features(features, text) == scorer.score(audio, 44100, text=text)
    assert scorer.text_aware
