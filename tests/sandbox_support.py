"""Marker for tests that drive the real Deno/Pyodide sandbox.

Locally a cold Pyodide cache skips them with the fix in the reason; in CI
(CI=true) they always run, so a broken warm-up fails loudly instead of
hiding behind a skip.
"""

import os

import pytest

from agent.sandbox import is_warm

needs_sandbox = [
    pytest.mark.sandbox,
    pytest.mark.skipif(
        not is_warm() and not os.environ.get("CI"),
        reason="Pyodide cache is empty: run `make setup` (python -m agent.sandbox.warm)",
    ),
]
