"""What the scoring service decides before it reads a body, and what it admits to decoding.

`Gate` is plain ASGI middleware in front of the scoring routes. Before one
byte of the body is read it checks the bearer token (401), the declared
Content-Length (413) and how many requests are in flight (429 with
Retry-After). While the body streams in it counts bytes, so a chunked upload
without Content-Length is cut at the limit (413) instead of being spooled
whole to /tmp first.

`DecodeBudget` admits decodes against a memory budget: a request reserves
what it will hold at its peak (its upload bytes, plus BYTES_PER_SAMPLE per
decoded sample: the float32 decode and every analysis buffer, from the file
header, before decoding) and gives it back when it is answered; one that does
not fit gets 503 with Retry-After instead of pushing the process past its
memory.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tools.errors import VibesynthError

# Peak bytes per decoded sample while decoding and scoring (dsp and vibe judges): the float32 decode (4)
# and the analysis buffers (~16, traced with tracemalloc), with room; tests/test_reliability_service.py
# measures it on every accepted format. It was 12, and 8 concurrent 10-minute FLACs took 3.1 GB of a 2 GB budget.
BYTES_PER_SAMPLE = 24
RETRY_AFTER_S = 1


class Overloaded(VibesynthError):
    """The decode budget is spent by requests in flight; the client should retry shortly."""


class DecodeBudget:
    """Bytes of decoded audio the service holds at once, shared by all requests (thread-safe)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.used = 0
        self.peak = 0
        self.refused = 0
        self._lock = threading.Lock()

    def _take(self, nbytes: int) -> None:
        with self._lock:
            if self.used + nbytes > self.max_bytes:
                self.refused += 1
                raise Overloaded(
                    f"the service is decoding {self.used / 2**20:.0f} MB of audio already and this request needs "
                    f"{nbytes / 2**20:.0f} MB more (budget {self.max_bytes / 2**20:.0f} MB); retry in {RETRY_AFTER_S} s"
                )
            self.used += nbytes
            self.peak = max(self.peak, self.used)

    def _give(self, nbytes: int) -> None:
        with self._lock:
            self.used -= nbytes

    @contextmanager
    def request(self) -> Iterator[Callable[[int, int], None]]:
        """`admit(samples, upload_bytes)` for one request's files; everything admitted is given back at exit."""
        held = 0

        def admit(samples: int, upload_bytes: int = 0) -> None:
            nonlocal held
            nbytes = samples * BYTES_PER_SAMPLE + upload_bytes
            self._take(nbytes)
            held += nbytes

        try:
            yield admit
        finally:
            self._give(held)


class _BodyTooLarge(Exception):
    pass


Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class Gate:
    """ASGI middleware: auth, size and in-flight checks before the body; a streaming byte cap during it."""

    def __init__(
        self,
        app: Any,
        *,
        token: str | None,
        limits: dict[str, int],
        max_in_flight: int,
        too_large: str,
    ) -> None:
        self.app = app
        self.token = token
        self.limits = limits  # path -> most body bytes
        self.max_in_flight = max_in_flight
        self.too_large = too_large
        self.in_flight = 0

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        limit = self.limits.get(scope.get("path", "")) if scope["type"] == "http" else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        if not self._authorized(headers.get("authorization", "")):
            await _respond(send, 401, "missing or wrong bearer token; send 'Authorization: Bearer <token>'", [(b"www-authenticate", b"Bearer")])
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await _respond(send, 413, self.too_large)
            return
        if self.in_flight >= self.max_in_flight:
            await _respond(
                send,
                429,
                f"{self.in_flight} requests in flight (the most this service takes); retry in {RETRY_AFTER_S} s",
                [(b"retry-after", str(RETRY_AFTER_S).encode())],
            )
            return
        self.in_flight += 1
        try:
            await self._capped(scope, receive, send, limit)
        finally:
            self.in_flight -= 1

    def _authorized(self, header: str) -> bool:
        if self.token is None:
            return True
        scheme, _, given = header.partition(" ")
        return scheme.lower() == "bearer" and secrets.compare_digest(given.encode(), self.token.encode())

    async def _capped(self, scope: dict, receive: Receive, send: Send, limit: int) -> None:
        seen = 0
        over = False
        started = False

        async def counted() -> dict:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    raise _BodyTooLarge
            return message

        async def guarded(message: dict) -> None:
            nonlocal started
            if over:
                return  # whatever the app makes of the cut body, the answer is 413
            started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except _BodyTooLarge:
            pass
        except Exception:
            if not over:
                raise
        if over and not started:
            await _respond(send, 413, self.too_large)


async def _respond(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"connection", b"close"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})
