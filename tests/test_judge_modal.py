"""The Modal app's functions run locally (`modal deploy` cannot run here)."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient

from aesthetics import modal_app
from aesthetics.wire import encode_wav

from judge_signals import SR, music


def test_modal_app_is_configured_for_a_gpu_service():
    assert modal_app.app.name == "vibesynth-scorer"
    assert modal_app.GPU and modal_app.SCALEDOWN_WINDOW_S > 0 and modal_app.MAX_CONCURRENT > 1
    assert modal_app.ENV["VIBESYNTH_CLAP_CHECKPOINT"].startswith("/weights/")


def test_serve_local_is_the_scoring_service(monkeypatch):
    monkeypatch.setenv("VIBESYNTH_SCORER_BACKEND", "dsp")
    monkeypatch.setenv("VIBESYNTH_SCORER_TOKEN", "tok")
    client = TestClient(modal_app.serve.local())
    health = client.get("/health").json()
    assert health["backend"] == "dsp" and set(health["backends"]) == {"dsp", "audiobox", "clap"}
    clip = music(3.0)
    assert client.post("/score", files={"file": ("a.wav", encode_wav(clip, SR))}).status_code == 401
    ok = client.post("/score", files={"file": ("a.wav", encode_wav(clip, SR))}, headers={"Authorization": "Bearer tok"})
    assert ok.status_code == 200 and np.isfinite(ok.json()["OBJ"])
