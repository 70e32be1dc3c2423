"""What an LM sends to an instrument's tools: validated, and errors become data, never exceptions.

Each check returns the cleaned value or raises ArgError; the `tool` decorator
turns ArgError into {"error": ..., "valid": [...]} for the caller. Every
instrument session (mixer, DX7) makes its tools with the one decorator, so
their call logs have one shape: {"tool", "args": {param: value}, "result"}.
"""

from __future__ import annotations

import functools
import inspect
import json
import math
from collections.abc import Callable, Sequence
from typing import Any


class ToolStop(Exception):
    """A hard stop (the mixer's SetComplete): logged with its `result`, then raised out of the tool layer."""

    result: dict = {}


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
    returns a dict. Every call is appended to the session's `call_log`. Any
    other exception (a bug, or an input no check foresaw) also comes back as
    an error payload and goes to the session's `_on_tool_error(message)` where
    it has one, so nothing but a ToolStop ever leaves the tool layer. A session's
    `_before_tool(name, args, kwargs)`, where it has one, runs first and may raise
    a ToolStop (the mixer refuses every call once the set is complete).
    """
    signature = inspect.signature(method)
    params = [p for p in signature.parameters if p != "self"]

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> str:
        before = getattr(self, "_before_tool", None)
        if before is not None:
            before(method.__name__, args, kwargs)
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
            except ToolStop as done:
                self.call_log.append({"tool": method.__name__, "args": logged, "result": done.result})
                raise
            except Exception as err:  # noqa: BLE001 - the backstop: a tool never raises into the caller
                message = f"{method.__name__} failed on these arguments ({type(err).__name__}: {brief(err)})"
                result = {"error": message, "valid": params}
                on_error = getattr(self, "_on_tool_error", None)
                if on_error is not None:
                    on_error(message)
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
