"""`remote:URL`: score through a running scoring service (aesthetics.service) over HTTP.

Audio goes up as float32 WAV in batches of up to 16 (`POST /score/batch`).
Connection failures, timeouts, 429 and 5xx are retried with exponential
backoff (`backoff * 2**attempt` seconds); other 4xx answers are not retried
and raise ScorerError with the server's message. The Scores that come back
name the backend that actually scored (e.g. "dsp"), not "remote".
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

import httpx

from aesthetics.base import Item, Scorer, prepare_audio
from aesthetics.scores import Scores
from aesthetics.wire import MAX_BATCH, encode_wav
from tools.errors import ScorerError

TOKEN_ENV = "VIBESYNTH_SCORER_TOKEN"
RETRY_STATUS = {429, 500, 502, 503, 504}


class RemoteScorer(Scorer):
    """HTTP client for the scoring service with timeouts and retries."""

    backend = "remote"

    def __init__(
        self,
        url: str,
        token: str | None = None,
        server_backend: str | None = None,
        timeout: float = 120.0,
        retries: int = 3,
        backoff: float = 0.5,
    ):
        if not url.startswith(("http://", "https://")):
            raise ScorerError(f"remote scorer URL {url!r} must start with http:// or https:// (e.g. remote:http://127.0.0.1:8000)")
        self.url = url.rstrip("/")
        self.version = self.url
        self.server_backend = server_backend
        self.retries = retries
        self.backoff = backoff
        token = token or os.environ.get(TOKEN_ENV)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)), headers=headers)

    def score_batch(self, items: Sequence[Item]) -> list[Scores]:
        results: list[Scores] = []
        for start in range(0, len(items), MAX_BATCH):
            results.extend(self._post_batch(items[start : start + MAX_BATCH]))
        return results

    def _post_batch(self, items: Sequence[Item]) -> list[Scores]:
        files = [("files", (f"clip{i}.wav", encode_wav(prepare_audio(a, r), r), "audio/wav")) for i, (a, r, _t) in enumerate(items)]
        data: dict[str, object] = {}
        if any(t is not None for _a, _r, t in items):
            data["texts"] = [t or "" for _a, _r, t in items]
        if self.server_backend:
            data["backend"] = self.server_backend
        response = self._post("/score/batch", files, data)
        return [Scores(**{k: v for k, v in r.items() if k != "file"}) for r in response.json()["results"]]

    def _post(self, path: str, files: list, data: dict) -> httpx.Response:
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self._client.post(self.url + path, files=files, data=data)
            except httpx.TransportError as err:
                problem = f"cannot reach {self.url} ({type(err).__name__}: {err})"
                continue
            if response.status_code in RETRY_STATUS:
                problem = f"{self.url} answered {response.status_code}: {_detail(response)}"
                continue
            if response.status_code >= 400:
                raise ScorerError(f"scoring service {self.url} refused the request ({response.status_code}): {_detail(response)}")
            return response
        raise ScorerError(
            f"{problem}; gave up after {self.retries + 1} attempts. Check that `vibesynth serve-scorer` (or the Modal app) is running at that URL."
        )

    def close(self) -> None:
        self._client.close()


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail", response.text))
    except ValueError:
        return response.text[:200]
