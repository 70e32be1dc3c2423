"""The scoring service: a FastAPI app around `get_scorer`.

    POST /score        multipart: file (WAV/FLAC), text (optional), backend (optional)
    POST /score/batch  multipart: files (repeated), texts (none, one for all, or one per file), backend
    GET  /health       backend, version and limits (no auth)

A bearer token is required when one is configured; it, the declared size
and the number of requests in flight (429) are checked before the body is
read, and a body without Content-Length is cut at the limit while it
streams (see aesthetics.admission). Decodes are admitted against a memory
budget (503 with Retry-After when it is spent). Files over
`max_upload_mb` (a batch: 16 times that in all) or longer than
`max_seconds` get 413, bytes that are not
WAV/FLAC get 415, audio that is readable but unusable (too short, NaN,
too many channels, a sample rate outside 8000..192000) or a clap request
without `text` gets 422. Only a bug gives 500.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse

from aesthetics import wire
from aesthetics.admission import RETRY_AFTER_S, DecodeBudget, Gate, Overloaded
from aesthetics.base import Scorer, TextRequired
from aesthetics.registry import get_scorer
from aesthetics.wire import MAX_BATCH, AudioTooLong, UnsupportedAudio, decode_audio
from tools.errors import ScorerError, VibesynthError

DEFAULT_MAX_UPLOAD_MB = 64.0
DEFAULT_MAX_SECONDS = 600.0
DEFAULT_DECODE_BUDGET_MB = 2048.0  # fits any one request at the default limits (a 10-minute 48 kHz stereo file)
DEFAULT_MAX_IN_FLIGHT = 32
MAX_UPLOAD_MB_CEILING = 4096.0
READ_CHUNK = 1 << 20


class _Scorers:
    """Scorers by backend name, built once on first use (thread-safe)."""

    def __init__(self, allowed: tuple[str, ...], factory: Callable[[str], Scorer]):
        self.allowed = allowed
        self._factory = factory
        self._built: dict[str, Scorer] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Scorer:
        if name not in self.allowed:
            raise HTTPException(422, f"backend {name!r} is not served here; use one of: {', '.join(self.allowed)}")
        with self._lock:
            if name not in self._built:
                self._built[name] = self._factory(name)
            return self._built[name]


def create_app(
    backend: str = "dsp",
    token: str | None = None,
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB,
    max_seconds: float = DEFAULT_MAX_SECONDS,
    extra_backends: tuple[str, ...] = (),
    scorer_factory: Callable[[str], Scorer] = get_scorer,
    decode_budget_mb: float = DEFAULT_DECODE_BUDGET_MB,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
) -> FastAPI:
    """Build the app. `backend` is the default; `extra_backends` may also be requested per call.

    `token=None` means no auth; an empty token is refused (it would read as "no auth" in one place
    and still demand a bare `Bearer` header in another)."""
    if backend.startswith("remote:"):
        raise VibesynthError("the scoring service cannot serve a remote: backend; pick dsp, audiobox or clap")
    check_limits(token, max_upload_mb, max_seconds, decode_budget_mb)
    max_bytes = int(max_upload_mb * 1024 * 1024)
    scorers = _Scorers(tuple(dict.fromkeys((backend, *extra_backends))), scorer_factory)
    budget = DecodeBudget(int(decode_budget_mb * 1024 * 1024))
    app = FastAPI(title="vibesynth scorer", version="1")
    app.state.decode_budget = budget
    app.add_middleware(
        Gate,
        token=token,
        limits={"/score": max_bytes, "/score/batch": max_bytes * MAX_BATCH},
        max_in_flight=max_in_flight,
        too_large=_too_large(max_upload_mb),
    )

    @app.exception_handler(VibesynthError)
    async def vibesynth_error(_request: Request, err: VibesynthError) -> JSONResponse:
        headers = {"Retry-After": str(RETRY_AFTER_S)} if isinstance(err, Overloaded) else None
        return JSONResponse({"detail": str(err)}, status_code=_status_for(err), headers=headers)

    def read_upload(upload: UploadFile, admit: Callable[[int, int], None], max_samples: int | None = None) -> tuple[Any, int]:
        chunks, size = [], 0
        while chunk := upload.file.read(READ_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise HTTPException(413, _too_large(max_upload_mb))
            chunks.append(chunk)
        data = b"".join(chunks)
        chunks.clear()  # one copy of the upload while it decodes, not two
        return decode_audio(data, max_seconds, max_samples, admit=admit)

    def run(name: str | None, items: list) -> list[dict]:
        scorer = scorers.get(name or backend)
        return [s.model_dump() for s in scorer.score_batch(items)]

    @app.get("/health")
    def health() -> dict:
        default = scorers.get(backend)
        return {
            "status": "ok",
            "backend": default.backend,
            "version": default.version,
            "backends": list(scorers.allowed),
            "max_upload_mb": max_upload_mb,
            "max_seconds": max_seconds,
        }

    @app.post("/score")
    def score(
        file: Annotated[UploadFile, File(description="WAV or FLAC")],
        text: Annotated[str | None, Form()] = None,
        backend: Annotated[str | None, Form()] = None,
    ) -> dict:
        with budget.request() as admit:
            audio, rate = read_upload(file, admit)
            return {"file": file.filename, **run(backend, [(audio, rate, text)])[0]}

    @app.post("/score/batch")
    def score_batch(
        files: Annotated[list[UploadFile], File(description="WAV or FLAC files")],
        texts: Annotated[list[str] | None, Form()] = None,
        backend: Annotated[str | None, Form()] = None,
    ) -> dict:
        if len(files) > MAX_BATCH:
            raise HTTPException(413, f"{len(files)} files in one batch; send at most {MAX_BATCH} per request")
        texts = texts or []
        if len(texts) not in (0, 1, len(files)):
            raise HTTPException(422, f"{len(texts)} texts for {len(files)} files; send none, one for all, or one per file")
        per_file = texts * len(files) if len(texts) == 1 else texts or [None] * len(files)
        # One decoded-size budget for the whole batch, so 16 files cannot decode 16x the single-file limit.
        items, samples_left = [], wire.MAX_SAMPLES
        with budget.request() as admit:
            for upload, text in zip(files, per_file, strict=True):
                audio, rate = read_upload(upload, admit, samples_left)
                samples_left -= audio.size
                items.append((audio, rate, text))
            results = run(backend, items)
        return {"results": [{"file": f.filename, **r} for f, r in zip(files, results, strict=True)]}

    return app


def check_limits(token: str | None, max_upload_mb: float, max_seconds: float, decode_budget_mb: float) -> None:
    """Refuse service limits that are empty, not finite or absurd (one line naming the option)."""
    if token is not None and not token.strip():
        raise VibesynthError("--token is empty; give a secret token, or leave --token out for no auth")
    for name, value, ceiling in (
        ("--max-upload-mb", max_upload_mb, MAX_UPLOAD_MB_CEILING),
        ("--max-seconds", max_seconds, 24 * 3600.0),
        ("--decode-budget-mb", decode_budget_mb, 1024 * 1024.0),
    ):
        if not (math.isfinite(value) and 0 < value <= ceiling):
            raise VibesynthError(f"{name} {value} is not usable; give a number above 0 and at most {ceiling:g}")


def _too_large(max_upload_mb: float) -> str:
    return f"upload is larger than {max_upload_mb:g} MB per file; send a shorter clip or FLAC"


def _status_for(err: VibesynthError) -> int:
    if isinstance(err, AudioTooLong):
        return 413
    if isinstance(err, UnsupportedAudio):
        return 415
    if isinstance(err, TextRequired):
        return 422  # the request lacks the text the backend needs
    if isinstance(err, (ScorerError, Overloaded)):
        return 503  # a backend that cannot run (missing checkpoint/package): the service is misconfigured
    return 422
