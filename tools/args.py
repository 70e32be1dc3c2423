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


def number_or_none(value: Any) -> float | None:
    """A finite float from a number or a numeric string (the one rule for every numeric argument), else None."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        return None
    return number if math.isfinite(number) else None


def as_number(value: Any, name: str, valid: Sequence[Any]) -> float:
    number = number_or_none(value)
    if number is None:
        raise ArgError(f"{name} must be a finite number, got {brief(value)}", valid)
    return number


def as_int(value: Any, name: str, low: int, high: int) -> int:
    valid = [f"{low}..{high}"]
    number = as_number(value, name, valid)
    if number != int(number):
        raise ArgError(f"{name} must be a whole number, got {brief(value)}", valid)
    if not low <= number <= high:
        raise ArgError(f"{name} must be in {low}..{high}, got {int(number)}", valid)
    return int(number)


def as_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value.strip().lower() not in choices:
        raise ArgError(f"unknown {name} {brief(value)}", choices)
    return value.strip().lower()


def tool(method: Callable[..., dict]) -> Callable[..., str]:
    """Make a session method a tool: any arguments in, a JSON string out.

    Wrong arity and ArgError come back as error payloads; the method itself
    returns a dict. Every call is appended to the session's call log. Any
    other exception (a bug, or an input no check foresaw) also comes back as
    an error payload and is recorded as a "tool_error" event, so nothing but
    SetComplete ever leaves the tool layer.
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
            except Exception as err:  # noqa: BLE001 - the backstop: a tool never raises into the caller
                message = f"{method.__name__} failed on these arguments ({type(err).__name__}: {brief(err)})"
                result = {"error": message, "valid": params}
                self.events.append({"kind": "tool_error", "bar": self.bars_played, "message": message})
        self.call_log.append({"tool": method.__name__, "args": logged, "result": result})
        return json.dumps(result)

    wrapper.tool_params = params  # type: ignore[attr-defined]
    return wrapper


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError, RecursionError):
        return brief(value)


def brief(value: Any, limit: int = 200) -> str:
    """repr for messages and logs: bounded in length, safe on pathological values."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):  # deeply nested containers; ints too long to print
        text = f"<{type(value).__name__} that cannot be shown>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
