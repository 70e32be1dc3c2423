"""The pages' browser tests: Debian's chromium (Playwright cannot download its own browser here) and a live server."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

CHROMIUM = os.environ.get("VIBESYNTH_CHROMIUM", "/usr/bin/chromium")


def require_chromium() -> None:
    if not Path(CHROMIUM).is_file() and not shutil.which(CHROMIUM):
        pytest.fail(f"no chromium at {CHROMIUM}: run `make setup` (it installs Debian's chromium)")


@contextmanager
def served(app) -> Iterator[str]:
    """The app on a free local port in a thread; yields its base URL and stops it after."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
