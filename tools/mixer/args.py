"""Validation of what an LM sends to a tool: errors become data, never exceptions.

Each check returns the cleaned value or raises ArgError; the session turns
ArgError into {"error": ..., "valid": [...]} for the caller.
"""

from __future__ import annotations

import functools
import inspect
import json
import math
from collections.abc import Callable, Sequence
from typing import Any

from tools.mixer.guardrails import SetComplete


class ArgError(ValueError):
    def __init__(self, message: str, valid: Sequence[Any]) -> None:
        super().__init__(message)
        self.payload = {"error": message, "valid": list(valid)}


def as_number(value: Any, name: str, valid: Sequence[Any]) -> float:
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise ArgError(f"{name} must be a number, got {value!r}", valid) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ArgError(f"{name} must be a finite number, got {value!r}", valid)
    return float(value)


def as_int(value: Any, name: str, low: int, high: int) -> int:
    valid = [f"{low}..{high}"]
    number = as_number(value, name, valid)
    if number != int(number):
        raise ArgError(f"{name} must be a whole number, got {value!r}", valid)
    if not low <= number <= high:
        raise ArgError(f"{name} must be in {low}..{high}, got {int(number)}", valid)
    return int(number)


def as_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value.strip().lower() not in choices:
        raise ArgError(f"unknown {name} {value!r}", choices)
    return value.strip().lower()


def tool(method: Callable[..., dict]) -> Callable[..., str]:
    """Make a session method a tool: any arguments in, a JSON string out.

    Wrong arity and ArgError come back as error payloads; the method itself
    returns a dict. Every call is appended to the session's call log.
    """
    signature = inspect.signature(method)
    params = [p for p in signature.parameters if p != "self"]

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> str:
        self._guard_complete(method.__name__, args, kwargs)
        logged = _jsonable(dict(zip(params, args)) | kwargs)
        try:
            bound = signature.bind(self, *args, **kwargs)
        except TypeError as err:
            result = {"error": f"{method.__name__}({', '.join(params)}): {err}", "valid": params}
        else:
            try:
                result = method(*bound.args, **bound.kwargs)
            except ArgError as err:
                result = err.payload
            except SetComplete as done:
                self.call_log.append({"tool": method.__name__, "args": logged, "result": done.result})
                raise
        self.call_log.append({"tool": method.__name__, "args": logged, "result": result})
        return json.dumps(result)

    wrapper.tool_params = params  # type: ignore[attr-defined]
    return wrapper


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)
