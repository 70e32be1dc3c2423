"""The scoring service on a real uvicorn server (loopback) and the remote client against it."""

from __future__ import annotations

import io

import httpx
import numpy as np
import pytest
import soundfile as sf
from fastapi import Request
from fastapi.responses import JSONResponse

from aesthetics import get_scorer
from aesthetics.remote import RemoteScorer
from aesthetics.service import create_app
from aesthetics.wire import encode_wav
from tools.errors import ScorerError

from judge_server import free_port, serving
from judge_signals import SR, bad_audio, music

TOKEN = "s3cret"


@pytest.fixture(scope="module")
def clip() -> np.ndarray:
    return music(4.0)


@pytest.fixture(scope="module")
def server():
    with serving(create_app(token=TOKEN, max_upload_mb=2.0, max_seconds=8.0)) as url:
        yield url


def _flac(audio: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, audio, SR, format="FLAC", subtype="PCM_16")
    return buffer.getvalue()


def _post(url: str, path: str, files, data=None, token: str | None = TOKEN) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(url + path, files=files, data=data or {}, headers=headers, timeout=60)


def test_health_and_score(server, clip):
    health = httpx.get(server + "/health", timeout=10).json()
    assert health["status"] == "ok" and health["backend"] == "dsp" and health["version"] == "dsp-proxy-3"
    response = _post(server, "/score", {"file": ("a.wav", encode_wav(clip, SR), "audio/wav")}, {"text": "rain"})
    assert response.status_code == 200
    body = response.json()
    assert body["file"] == "a.wav" and body["backend"] == "dsp"
    assert body["OBJ"] == pytest.approx(get_scorer("dsp").score(clip, SR).OBJ)


def test_batch_keeps_order_and_texts(server, clip):
    noise = bad_audio(clip)["white_noise"]
    files = [("files", ("good.flac", _flac(clip), "audio/flac")), ("files", ("noise.wav", encode_wav(noise, SR), "audio/wav"))]
    body = _post(server, "/score/batch", files, {"texts": ["x"]}).json()
    assert [r["file"] for r in body["results"]] == ["good.flac", "noise.wav"]
    assert body["results"][0]["OBJ"] > body["results"][1]["OBJ"]
    wrong = _post(server, "/score/batch", files, {"texts": ["a", "b", "c"]})
    assert wrong.status_code == 422 and "texts" in wrong.json()["detail"]


@pytest.mark.parametrize("token", [None, "wrong"])
def test_auth_is_required(server, clip, token):
    response = _post(server, "/score", {"file": ("a.wav", encode_wav(clip, SR))}, token=token)
    assert response.status_code == 401 and "Bearer" in response.json()["detail"]


def test_bad_uploads_never_500(server, clip):
    long = np.zeros((SR * 9, 2), np.float32)
    cases = {
        "not audio": (("a.wav", b"RIFF....garbage"), 415),
        "mp3 bytes": (("a.mp3", b"ID3\x03\x00\x00\x00" + b"\x00" * 100), 415),
        "empty": (("a.wav", b""), 415),
        "too long": (("a.wav", encode_wav(long, SR)), 413),
        "too short": (("a.wav", encode_wav(clip[:100], SR)), 422),
        "too big": (("a.wav", b"\x00" * (3 * 1024 * 1024)), 413),
        "nan": (("a.wav", encode_wav(np.full((SR, 2), np.nan, np.float32), SR)), 422),
    }
    for name, (upload, status) in cases.items():
        response = _post(server, "/score", {"file": upload})
        assert response.status_code == status, (name, response.status_code, response.text)
        assert response.json()["detail"], name
    missing = _post(server, "/score", {"other": ("a.wav", b"x")})
    assert missing.status_code == 422
    unknown = _post(server, "/score", {"file": ("a.wav", encode_wav(clip, SR))}, {"backend": "clap"})
    assert unknown.status_code == 422 and "not served" in unknown.json()["detail"]


def test_remote_scorer_matches_local(server, clip):
    remote = get_scorer(f"remote:{server}", token=TOKEN)
    local = get_scorer("dsp")
    items = [(clip, SR, None), (bad_audio(clip)["static_sine"], SR, "sine")]
    for got, want in zip(remote.score_batch(items), local.score_batch(items), strict=True):
        assert got == want  # float32 WAV on the wire is lossless
    with pytest.raises(ScorerError, match="401"):
        RemoteScorer(server, token="wrong", retries=0).score(clip, SR)


def test_remote_retries_a_flaky_server(clip):
    app = create_app()
    calls = {"n": 0}

    @app.middleware("http")
    async def flaky(request: Request, call_next):
        calls["n"] += 1
        if request.url.path.startswith("/score") and calls["n"] <= 2:
            return JSONResponse({"detail": "warming up"}, status_code=503)
        return await call_next(request)

    with serving(app) as url:
        scores = RemoteScorer(url, retries=3, backoff=0.05).score(clip, SR)
    assert calls["n"] == 3 and scores.backend == "dsp"
    with serving(app) as url:
        calls["n"] = 0
        with pytest.raises(ScorerError, match="gave up after 2 attempts"):
            RemoteScorer(url, retries=1, backoff=0.01).score(clip, SR)


def test_remote_unreachable_is_a_clear_error(clip):
    port = free_port()  # nothing listens there
    with pytest.raises(ScorerError, match="cannot reach.*serve-scorer"):
        RemoteScorer(f"http://127.0.0.1:{port}", retries=1, backoff=0.01, timeout=2).score(clip, SR)
    with pytest.raises(ScorerError, match="http://"):
        get_scorer("remote:localhost:8000")


def _encoded(frames: int, channels: int, rate: int, fmt: str) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, np.zeros((frames, channels), np.float32), rate, format=fmt, subtype="PCM_16")
    return buffer.getvalue()


def test_header_limits_reject_before_decoding(server, monkeypatch):
    def no_decode(*_args, **_kwargs):
        raise AssertionError("sf.read was called for a file the header already rules out")

    monkeypatch.setattr("aesthetics.wire.sf.read", no_decode)
    cases = {
        "8 channels 192 kHz FLAC": (("a.flac", _encoded(192_000 * 2, 8, 192_000, "FLAC")), 422, "8 channels"),
        "3 channels WAV": (("a.wav", _encoded(SR, 3, SR, "WAV")), 422, "3 channels"),
        "4 kHz": (("a.wav", _encoded(4000 * 2, 2, 4000, "WAV")), 422, "4000 Hz"),
        "384 kHz": (("a.flac", _encoded(384_000, 1, 384_000, "FLAC")), 422, "384000 Hz"),
    }
    for name, (upload, status, needle) in cases.items():
        response = _post(server, "/score", {"file": upload})
        assert response.status_code == status, (name, response.status_code, response.text)
        assert needle in response.json()["detail"], name


def test_decoded_size_is_capped_before_decoding(monkeypatch):
    monkeypatch.setattr("aesthetics.wire.MAX_SAMPLES", SR * 2)
    with serving(create_app(max_seconds=10_000.0)) as url:
        small = _post(url, "/score", {"file": ("a.flac", _encoded(SR, 2, SR, "FLAC"))}, token=None)
        assert small.status_code == 200, small.text
        monkeypatch.setattr("aesthetics.wire.sf.read", lambda *_a, **_k: pytest.fail("decoded an oversized file"))
        big = _post(url, "/score", {"file": ("a.flac", _encoded(SR * 3, 2, SR, "FLAC"))}, token=None)
    assert big.status_code == 413 and "samples" in big.json()["detail"]


def test_a_batch_shares_one_decoded_size_budget(monkeypatch):
    monkeypatch.setattr("aesthetics.wire.MAX_SAMPLES", SR * 3)
    one_second = ("files", ("a.flac", _encoded(SR, 2, SR, "FLAC")))  # 2*SR samples: under the limit alone
    with serving(create_app(max_seconds=10_000.0)) as url:
        assert _post(url, "/score/batch", [one_second], token=None).status_code == 200
        two = _post(url, "/score/batch", [one_second, one_second], token=None)
    assert two.status_code == 413 and "fewer files per batch" in two.json()["detail"]


def test_clap_request_without_text_is_422(clip):
    from aesthetics.clap import ClapScorer

    class Unusable:
        model = object()

    with serving(create_app(backend="clap", scorer_factory=lambda _name: ClapScorer(encoder=Unusable()))) as url:
        response = _post(url, "/score", {"file": ("a.wav", encode_wav(clip, SR))}, token=None)
    assert response.status_code == 422 and "clap backend needs --text" in response.json()["detail"]
