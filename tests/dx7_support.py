"""Shared pieces of the DX7 tests: the factory voices (installed by `make dx7-voices`)."""

from __future__ import annotations

import pytest

from tools.dx7.factory import factory_path


def require_factory() -> None:
    if not factory_path().is_file():
        pytest.fail(f"DX7 factory voices missing at {factory_path()}; run `make dx7-voices` (part of `make setup`)")
