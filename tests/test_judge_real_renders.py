"""The dsp proxy on the real engines: a rendered ambient piece and a DJ reference set beat bad audio."""

from __future__ import annotations

import pytest

from aesthetics import get_scorer
from palettes.library import load_palette
from reference.arrangements import render_reference
from reference.vibe_mapper import map_vibe
from tools.ambient import render_config

from agent_palette import make_palette
from judge_signals import bad_audio


@pytest.fixture(scope="module")
def renders(tmp_path_factory):
    ambient = render_config(map_vibe("rainy afternoon in Tokyo"), 20.0, seed=0)
    palette = load_palette(make_palette(tmp_path_factory.mktemp("palette")))
    dj = render_reference(palette, "32", seed=0)
    return {"ambient": (ambient, 44100), "dj_set": (dj.audio, dj.sample_rate)}


@pytest.mark.parametrize("kind", ["ambient", "dj_set"])
def test_real_renders_outrank_bad_audio(renders, kind):
    scorer = get_scorer("dsp")
    audio, rate = renders[kind]
    good = scorer.score(audio, rate)
    assert good.OBJ > 7.0, good
    for name, bad in bad_audio(audio, sr=rate).items():
        assert scorer.score(bad, rate).OBJ < good.OBJ - 1.0, name
