"""The scoring service decides before it reads: auth, size, in-flight and decode budget (issue 15, class 4)."""

from __future__ import annotations

import io
import socket
import threading
import time
import tracemalloc

import httpx
import numpy as np
import pytest
import soundfile as sf

from aesthetics import admission, get_scorer
from aesthetics.admission import DecodeBudget, Overloaded
from aesthetics.base import Scorer
from aesthetics.service import create_app
from aesthetics.wire import decode_audio, encode_wav
from tools.errors import VibesynthError

from judge_server import serving
from judge_signals import SR, music

TOKEN = "s3cret"


class SlowScorer(Scorer):
    """The dsp scorer, holding each request for `delay` seconds (so requests overlap)."""

    backend, version = "dsp", "dsp-proxy-2"

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.inner = get_scorer("dsp")

    def score_batch(self, items):
        time.sleep(self.delay)
        return self.inner.score_batch(items)


def _raw(url: str, head: bytes, body_chunks=(), timeout: float = 10.0) -> tuple[bytes, int]:
    """Send a raw HTTP request; returns (response bytes, body bytes the server let us send)."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    sock.sendall(head)
    sent = 0
    try:
        for chunk in body_chunks:
            sock.sendall(chunk)
            sent += len(chunk)
    except OSError:  # the server answered and closed while we were still sending
        pass
    sock.settimeout(timeout)
    response = b""
    try:
        while part := sock.recv(65536):
            response += part
            if b"\r\n\r\n" in response and b'"detail"' in response:
                break
    except (TimeoutError, ConnectionResetError):
        pass
    sock.close()
    return response, sent


def _head(path: str, extra: str, auth: bool) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: multipart/form-data; boundary=xyz", extra]
    if auth:
        lines.append(f"Authorization: Bearer {TOKEN}")
    return ("\r\n".join(line for line in lines if line) + "\r\n\r\n").encode()


@pytest.fixture(scope="module")
def server():
    with serving(create_app(token=TOKEN, max_upload_mb=1.0)) as url:
        yield url


def test_an_unauthenticated_upload_is_refused_before_its_body_is_read(server):
    # 200 MB announced, not one byte sent: the 401 must come anyway (before: the server waited for the body).
    response, _ = _raw(server, _head("/score", "Content-Length: 209715200", auth=False), timeout=5)
    assert response.startswith(b"HTTP/1.1 401"), response[:80]
    assert b"bearer token" in response


def test_a_chunked_upload_without_length_is_cut_at_the_limit(server):
    part = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n'
    chunk = b"x" * 65536

    def framed(data: bytes) -> bytes:
        return b"%x\r\n" % len(data) + data + b"\r\n"

    body = (framed(part) if i == 0 else framed(chunk) for i in range(1025))  # 64 MB offered against a 1 MB limit
    response, sent = _raw(server, _head("/score", "Transfer-Encoding: chunked", auth=True), body)
    assert response.startswith(b"HTTP/1.1 413"), response[:80]
    assert sent < 24 * 2**20, f"the server read {sent / 2**20:.0f} MB before refusing"


def test_empty_token_and_non_finite_limits_are_refused():
    with pytest.raises(VibesynthError, match="--token is empty"):
        create_app(token="")
    with pytest.raises(VibesynthError, match="--max-upload-mb inf"):
        create_app(max_upload_mb=float("inf"))
    with pytest.raises(VibesynthError, match="--max-seconds nan"):
        create_app(max_seconds=float("nan"))


def test_decode_budget_admits_until_spent_and_gives_back():
    per_sample = admission.BYTES_PER_SAMPLE
    budget = DecodeBudget(max_bytes=100 * per_sample + 200)
    with budget.request() as admit:
        admit(50, 100)  # 50 samples and a 100-byte upload
        with budget.request() as other:
            other(50, 100)
            with pytest.raises(Overloaded, match="retry"):
                other(1)
        assert budget.used == 50 * per_sample + 100
    assert budget.used == 0 and budget.peak == 100 * per_sample + 200 and budget.refused == 1


@pytest.mark.parametrize("backend", ["dsp", "vibe"])
@pytest.mark.parametrize("fmt, subtype", [("WAV", "FLOAT"), ("WAV", "PCM_16"), ("FLAC", "PCM_16")])
def test_what_a_request_reserves_bounds_its_decode_and_analysis(backend, fmt, subtype):
    """The reservation (upload bytes + BYTES_PER_SAMPLE per sample) covers the traced peak of decoding and scoring."""
    rate = 44100
    audio = np.random.default_rng(0).normal(0.0, 0.1, (rate * 20, 2)).astype(np.float32)
    buffer = io.BytesIO()
    sf.write(buffer, audio, rate, subtype=subtype, format=fmt)
    scorer = get_scorer(backend)
    scorer.score(audio[: rate * 2], rate, text="rain")  # models, tables and caches load outside the measurement
    reserved: list[int] = []
    tracemalloc.start()
    try:
        data = buffer.getvalue()
        decoded, decoded_rate = decode_audio(data, None, admit=lambda samples, upload: reserved.append(samples * admission.BYTES_PER_SAMPLE + upload))
        del data
        scorer.score(decoded, decoded_rate, text="rain")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= reserved[0], f"peak {peak / 2**20:.1f} MB over the {reserved[0] / 2**20:.1f} MB reserved"


def _post(url: str, wav: bytes, results: list) -> None:
    response = httpx.post(url + "/score", files={"file": ("a.wav", wav, "audio/wav")}, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    results.append((response.status_code, response.headers.get("retry-after")))


def _concurrently(url: str, wav: bytes, n: int) -> list:
    results: list = []
    threads = [threading.Thread(target=_post, args=(url, wav, results)) for _ in range(n)]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    return results


def test_concurrent_decodes_past_the_budget_get_503_with_retry_after():
    wav = encode_wav(music(2.0), SR)  # 176,400 samples x 24 B + its upload = ~4.7 MB of budget: one fits, not two
    app = create_app(token=TOKEN, decode_budget_mb=6.0, scorer_factory=lambda _name: SlowScorer(1.0))
    with serving(app) as url:
        results = _concurrently(url, wav, 3)
    codes = sorted(code for code, _ in results)
    assert codes[0] == 200 and 503 in codes, results
    assert all(retry == "1" for code, retry in results if code == 503)
    assert app.state.decode_budget.used == 0


def test_requests_past_the_in_flight_limit_get_429_with_retry_after():
    wav = encode_wav(music(0.5), SR)
    app = create_app(token=TOKEN, max_in_flight=1, scorer_factory=lambda _name: SlowScorer(1.0))
    with serving(app) as url:
        results = _concurrently(url, wav, 3)
    codes = sorted(code for code, _ in results)
    assert codes[0] == 200 and 429 in codes, results
    assert all(retry == "1" for code, retry in results if code == 429)
