"""Policies that play a mixer session through its tools (the reference and a random DJ).

A policy is any callable `policy(tools, bars, rng)` that calls the session's
tools (name -> callable returning JSON) until the set ends. The LM policy
of the agent plugs in the same way (`load_policy("package.module:attr")`).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable

import numpy as np

from reference.arrangements import kind_for_bars, reference_calls, run_calls
from tools.mixer import PATTERNS, SetComplete

Policy = Callable[[dict[str, Callable[..., str]], int, np.random.Generator], None]
ONESHOT_PATTERNS = sorted(PATTERNS)


def _kind_for(bars: int) -> str:
    """The arrangement both policies start from: the shortest that fills `bars` (ConfigError beyond the longest)."""
    return kind_for_bars(bars)


def reference_policy(tools: dict[str, Callable[..., str]], bars: int, rng: np.random.Generator) -> None:
    """The shortest reference arrangement that fills this length, cut by the hard stop."""
    run_calls(tools, reference_calls(_kind_for(bars)))


def random_dj_policy(tools: dict[str, Callable[..., str]], bars: int, rng: np.random.Generator) -> None:
    """A "random DJ": the reference's moves with jittered gains, random patterns and random play lengths.

    A stand-in for an LM policy: the same tools, plausible but unpolished decisions.
    """
    try:
        for name, args in reference_calls(_kind_for(bars)):
            args = dict(args)
            if "gain" in args:
                args["gain"] = float(np.clip(args["gain"] + rng.normal(0.0, 0.12), 0.05, 1.0))
            key = {"add": "pattern", "pattern": "name"}.get(name)
            if key in args and rng.random() < 0.5:
                args[key] = ONESHOT_PATTERNS[int(rng.integers(len(ONESHOT_PATTERNS)))]
            if name == "play" and args["bars"] >= 4 and rng.random() < 0.3:
                first = int(rng.integers(1, args["bars"]))
                json.loads(tools["play"](first))
                json.loads(tools["fader"]("kick", float(rng.uniform(0.7, 1.0))))
                args["bars"] -= first
            json.loads(tools[name](**args))
        while True:  # the reference may end before this length: hold the groove to the end
            json.loads(tools["play"](8))
    except SetComplete:
        return


POLICIES: dict[str, Policy] = {"reference": reference_policy, "random": random_dj_policy}


def load_policy(spec: str) -> Policy:
    """A named policy ("reference", "random") or "package.module:attribute"."""
    if spec in POLICIES:
        return POLICIES[spec]
    module, _, attr = spec.partition(":")
    if not attr:
        raise ValueError(f"unknown policy {spec!r}; use {', '.join(POLICIES)} or package.module:attribute")
    return getattr(importlib.import_module(module), attr)
