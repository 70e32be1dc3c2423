"""The one render-and-score path (optimize.render_score): clip, render, judge, cache; and its callers' reward keys."""

from __future__ import annotations

import numpy as np
import pytest

import aesthetics
from aesthetics.audiobox import COMPONENTS, AudioboxScorer
from aesthetics.base import Scorer
from aesthetics.scores import Scores
from optimize.distill.rewards import audio_reward, reward_functions
from optimize.eval.audio import AudioJudge
from optimize.render_score import Clip, RenderJudge, reward_key
from reference.vibe_mapper import map_vibe
from tools.schema import MusicConfig

CLIP = Clip(duration=1.0, sample_rate=22050, seed=0)
FOG = map_vibe("fog over a harbour at dawn")


class TinyAudiobox(AudioboxScorer):
    """The real audiobox backend's scoring (windows, weights, Scores) over a stand-in for its network."""

    def __init__(self) -> None:  # no checkpoint, no torch: _predict below replaces the model
        self.version = "audiobox-aesthetics-0.0.4/stand-in"
        self.batch_size = 8

    def _predict(self, windows: np.ndarray, masks: np.ndarray) -> dict[str, np.ndarray]:
        level = np.abs(windows).mean(axis=1)
        return {axis: 4.0 + (k + 1) * level for k, axis in enumerate(COMPONENTS)}


class TextServer(Scorer):
    """A remote judge whose server reads the text (its score here: the text's length)."""

    backend = "remote"
    version = "http://scorer.test"

    def score_batch(self, items):
        return [Scores(backend=self.backend, version=self.version, OBJ=float(len(t or ""))) for _a, _r, t in items]


@pytest.fixture
def stand_ins(monkeypatch):
    real = aesthetics.get_scorer
    made = {"audiobox": TinyAudiobox, "remote:http://scorer.test": TextServer}
    monkeypatch.setattr(aesthetics, "get_scorer", lambda name="dsp", **opts: made[name]() if name in made else real(name, **opts))


def test_clip_render_is_deterministic_and_each_call_gets_its_own_array():
    first, second = CLIP.render(FOG), CLIP.render(FOG)
    assert first.shape == (22050, 2) and first.dtype == np.float32 and np.array_equal(first, second)
    first[:] = 0.0
    assert np.array_equal(second, CLIP.render(FOG)) and np.any(second != 0.0)
    assert not np.array_equal(CLIP.render(FOG), Clip(1.0, 22050, seed=1).render(FOG))


def test_the_cache_is_keyed_on_config_clip_engine_and_judge_and_shared_across_judges(tmp_path, monkeypatch):
    path = tmp_path / "features.sqlite"
    judge = RenderJudge("dsp", CLIP, path)
    key = judge.key(FOG)
    judge.reward(FOG, "fog")
    judge.reward(FOG, "a different text: dsp does not read it")
    assert (judge.cache.misses, judge.cache.hits) == (1, 1)
    again = RenderJudge("dsp", CLIP, path)  # another process, the same cache file
    assert again.reward(FOG, "fog") == judge.reward(FOG, "fog") and (again.cache.misses, again.cache.hits) == (0, 1)
    assert RenderJudge("dsp", Clip(1.0, 22050, seed=1)).key(FOG) != key
    assert RenderJudge("dsp", CLIP).key(MusicConfig.parse({**FOG.model_dump(), "tempo": "fast"})) != key
    assert RenderJudge("vibe", CLIP).key(FOG) != key
    monkeypatch.setattr("optimize.render_score.engine_fingerprint", lambda: "a changed engine")
    assert judge.key(FOG) != key


def test_a_new_reader_keeps_the_cached_vibe_measurements_but_a_change_to_the_measuring_code_does_not(tmp_path, monkeypatch):
    from aesthetics.vibe import audio

    judge = RenderJudge("vibe", CLIP)
    features, reward = judge.key(FOG), judge.key(FOG, "fog")
    monkeypatch.setattr(judge.scorer, "version", judge.scorer.version.replace("+reader-", "+reader-changed-"))
    assert judge.key(FOG) == features and judge.key(FOG, "fog") != reward
    assert "reader" not in judge.scorer.features_version()
    copy = tmp_path / "aesthetics"  # the measuring code, copied, then one dsp line changed
    for path in [*audio._PACKAGE.glob("dsp/*.py"), *(audio._PACKAGE / n for n in audio._MEASURED_BY)]:
        target = copy / path.relative_to(audio._PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "loudness.py").write_bytes((audio._PACKAGE.parent / "tools" / "loudness.py").read_bytes())
    original = audio.measure_fingerprint()
    monkeypatch.setattr(audio, "_PACKAGE", copy)
    audio.measure_fingerprint.cache_clear()
    assert audio.measure_fingerprint() == original
    (copy / "dsp" / "analysis.py").write_text((copy / "dsp" / "analysis.py").read_text() + "\n# changed\n")
    audio.measure_fingerprint.cache_clear()
    changed = audio.measure_fingerprint()
    audio.measure_fingerprint.cache_clear()
    assert changed != original


def test_split_scores_equal_scoring_the_rendered_clip_for_the_vibe_judge():
    judge = RenderJudge("vibe", CLIP)
    audio = CLIP.render(FOG)
    for text in ("fog over a harbour at dawn", "dark Berlin techno, 130 BPM"):
        assert judge.scores(FOG, text) == judge.scorer.score(audio, CLIP.sample_rate, text)


def test_a_remote_judge_is_scored_per_text_not_split(stand_ins, tmp_path):
    judge = RenderJudge("remote:http://scorer.test", CLIP, tmp_path / "c.sqlite")
    assert not judge.splits
    assert judge.scores(FOG, "abc").OBJ == 3.0 and judge.scores(FOG, "abcdef").OBJ == 6.0
    assert judge.scores(FOG, "abc").OBJ == 3.0 and (judge.cache.misses, judge.cache.hits) == (2, 1)


def test_audiobox_emits_no_text_reward_so_its_reward_is_obj_over_ten(stand_ins):
    judge = RenderJudge("audiobox", CLIP)
    scores = judge.scores(FOG, "fog")
    assert scores.backend == "audiobox" and scores.OBJ is not None and "audiobox_reward" not in scores.extra
    assert reward_key("audiobox") == "OBJ" and judge.reward(FOG, "fog") == pytest.approx(scores.OBJ / 10)


def test_distillation_rewards_take_the_key_the_backend_emits(stand_ins):
    functions, _weights = reward_functions("audiobox", CLIP)  # asked for "audiobox_reward" before: refused at check
    audio = next(f for f in functions if f.__name__ == "audio")
    completion = FOG.model_dump_json()
    rewards = audio(["Vibe: fog over a harbour at dawn\nConfig:", "Vibe: fog\nConfig:"], [completion, "{not json"])
    assert rewards[0] == pytest.approx(RenderJudge("audiobox", CLIP).reward(FOG, "fog")) and rewards[1] == 0.0
    dsp = audio_reward("dsp", CLIP)(["Vibe: fog\nConfig:"], [completion])[0]
    assert dsp == pytest.approx(RenderJudge("dsp", CLIP).scores(FOG).OBJ / 10)


def test_eval_rewards_are_the_shared_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path))
    judge = AudioJudge("vibe", CLIP.duration, CLIP.sample_rate, CLIP.seed)
    row = judge(FOG, "fog over a harbour at dawn")
    audio = CLIP.render(FOG)
    fresh = judge.score_audio(audio, CLIP.sample_rate, "fog over a harbour at dawn")
    assert row == fresh  # cached-features path == scoring the rendered clip
    assert (tmp_path / "render-score" / "features.sqlite").is_file()
    assert judge(FOG, "fog over a harbour at dawn") == row and judge.judge.cache.hits >= 1
