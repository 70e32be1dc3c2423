"""clap and audiobox backends with small randomly initialised models built from the libraries' own classes.

Runs in .venv-scorer (`make test` does it with VIBESYNTH_SCORER_ENV=1, where a
missing library is an error, not a skip). Each test builds a tiny model, saves
it as a checkpoint in the library's own format and loads it through the
production path (`get_scorer(..., checkpoint=...)`).
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from aesthetics import get_scorer, objective
from tools.errors import ScorerError

pytestmark = pytest.mark.scorer_env
if not os.environ.get("VIBESYNTH_SCORER_ENV"):
    pytest.skip("heavy scorer tests run in .venv-scorer (make test does this)", allow_module_level=True)

import torch  # noqa: E402

from aesthetics.clap.model import import_clap_module  # noqa: E402
from aesthetics.clap.reward import penalized_reward  # noqa: E402

SR = 44100
TINY_CLAP = "HTSAT-tiny-vibesynth-test"


def _clip(seconds: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    tone = 0.3 * np.sin(2 * np.pi * (220 + 40 * seed) * t) + 0.05 * rng.standard_normal(t.size)
    return np.stack([tone, tone], axis=1).astype(np.float32)


@pytest.fixture(scope="module")
def clap_checkpoint(tmp_path_factory):
    clap_module = import_clap_module()
    folder = tmp_path_factory.mktemp("clap")
    with open(clap_module.factory._MODEL_CONFIG_PATHS[0] / "HTSAT-tiny.json") as f:
        cfg = json.load(f)
    cfg["text_cfg"].update(width=32, heads=2, layers=1)
    (folder / f"{TINY_CLAP}.json").write_text(json.dumps(cfg))
    clap_module.add_model_config(str(folder))
    torch.manual_seed(0)
    model, _ = clap_module.create_model(TINY_CLAP, "transformer", precision="fp32", device="cpu")
    path = folder / "tiny.pt"
    torch.save({"state_dict": {f"module.{k}": v for k, v in model.state_dict().items()}}, path)
    return path


@pytest.fixture(scope="module")
def clap(clap_checkpoint):
    return get_scorer("clap", checkpoint=clap_checkpoint, amodel=TINY_CLAP, tmodel="transformer", device="cpu", batch_size=2)


def test_clap_scores_with_reward_from_pooled_windows(clap):
    long, short = _clip(25.0, 1), _clip(3.0, 2)
    scores = clap.score_batch([(long, SR, "calm rain"), (short, SR, "birdsong")])
    assert scores[0].backend == "clap" and "tiny.pt" in scores[0].version
    assert scores[0].OBJ is None and scores[0].CE is None
    assert set(scores[0].extra) >= {"clap_sim", "clap_reward", "clap_bad_sim", "clap_penalty"}
    assert 0.0 <= scores[0].extra["clap_reward"] <= 1.0
    assert set(scores[1].extra) == set(scores[0].extra)
    with pytest.raises(ScorerError, match="needs --text"):
        clap.score_batch([(short, SR, None)])

    from aesthetics.clap import windows_48k

    windows = windows_48k(long, SR)
    assert len(windows) == 3
    per_window = clap.encoder.audio_embeddings(windows)
    pooled = per_window.mean(axis=0) / np.linalg.norm(per_window.mean(axis=0))
    assert np.allclose(clap.audio_embeddings([(long, SR)])[0], pooled, atol=1e-5)
    text = clap.encoder.text_embeddings(["calm rain"])[0]
    expected = penalized_reward(pooled, text, clap.bad_embedding())
    assert scores[0].extra["clap_reward"] == pytest.approx(expected.reward, abs=1e-5)
    assert scores[0].extra["clap_sim"] == pytest.approx(expected.audio_text_sim, abs=1e-5)


def test_clap_is_deterministic_and_batch_size_free(clap, clap_checkpoint):
    items = [(_clip(12.0, 3), SR, "techno"), (_clip(4.0, 4), SR, "techno")]
    first = clap.score_batch(items)
    assert clap.score_batch(items) == first
    other = get_scorer("clap", checkpoint=clap_checkpoint, amodel=TINY_CLAP, tmodel="transformer", device="cpu", batch_size=8)
    for a, b in zip(first, other.score_batch(items), strict=True):
        assert a.extra["clap_reward"] == pytest.approx(b.extra["clap_reward"], abs=1e-5)


def test_clap_rejects_a_checkpoint_for_another_model(tmp_path, clap_checkpoint):
    wrong = tmp_path / "wrong.pt"
    torch.save({"state_dict": {"nonsense.weight": torch.zeros(2)}}, wrong)
    with pytest.raises(ScorerError, match="does not fit"):
        get_scorer("clap", checkpoint=wrong, amodel=TINY_CLAP, tmodel="transformer", device="cpu")


@pytest.fixture(scope="module")
def audiobox_checkpoint(tmp_path_factory):
    from audiobox_aesthetics.model import aes
    from audiobox_aesthetics.model.wavlm import WavLMConfig

    tiny = WavLMConfig(
        {
            "extractor_mode": "default",
            "encoder_layers": 2,
            "encoder_embed_dim": 32,
            "encoder_ffn_embed_dim": 64,
            "encoder_attention_heads": 2,
            "activation_fn": "gelu",
            "layer_norm_first": False,
            "conv_feature_layers": "[(32,10,5)] + [(32,3,2)] * 4 + [(32,2,2)] * 2",
            "conv_bias": False,
            "conv_pos": 16,
            "conv_pos_groups": 4,
            "relative_position_embedding": True,
            "num_buckets": 32,
            "max_distance": 64,
            "gru_rel_pos": True,
            "normalize": False,
        }
    )
    original, aes.DEFAULT_AUDIO_CFG = aes.DEFAULT_AUDIO_CFG, tiny  # the library hard-wires its encoder config
    model_cfg = {
        "proj_num_layer": 1,
        "proj_ln": False,
        "proj_act_fn": "gelu",
        "proj_dropout": 0.0,
        "nth_layer": 3,
        "use_weighted_layer_sum": True,
        "precision": "32",
        "normalize_embed": True,
        "output_dim": 1,
    }
    transform = {axis: {"mean": 5.0 + i, "std": 1.5} for i, axis in enumerate(("CE", "CU", "PC", "PQ"))}
    torch.manual_seed(0)
    model = aes.AesMultiOutput(**model_cfg, target_transform=transform)
    path = tmp_path_factory.mktemp("audiobox") / "checkpoint.pt"
    torch.save({"state_dict": {f"model.{k}": v for k, v in model.state_dict().items()}, "model_cfg": model_cfg, "target_transform": transform}, path)
    yield path
    aes.DEFAULT_AUDIO_CFG = original


def test_audiobox_scores_weighted_windows(audiobox_checkpoint):
    scorer = get_scorer("audiobox", checkpoint=audiobox_checkpoint, device="cpu", batch_size=2)
    long, short = _clip(25.0, 5), _clip(4.0, 6)
    scores = scorer.score_batch([(long, SR, None), (short, SR, None)])
    assert all(s.backend == "audiobox" and "checkpoint.pt" in s.version for s in scores)
    for s in scores:
        assert s.OBJ == pytest.approx(objective(s.CE, s.CU, s.PC, s.PQ), abs=1e-3)
        assert all(np.isfinite([s.CE, s.CU, s.PC, s.PQ]))

    from aesthetics.audiobox import windows_16k

    windows, masks, weights = windows_16k(long, SR)
    preds = scorer._predict(windows, masks)
    assert scores[0].CE == pytest.approx(float(np.sum(preds["CE"] * weights) / weights.sum()), abs=1e-3)
    assert scorer.score_batch([(long, SR, None)])[0] == scores[0]  # deterministic, independent of batch company
