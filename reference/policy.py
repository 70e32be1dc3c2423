"""The one Policy interface: whoever plays an instrument through its tools.

A policy is an object with

- `label: str` - short name for tables and run folders ("reference", "random",
  "openai/gpt-4o-mini", "replay:run/trajectory.jsonl");
- `reads: frozenset[str]` - which run inputs can change what it plays, out of
  `INPUTS` ("brief", "prompt", "seed", "lm"); a comparison that varies an
  input a policy does not read is identical by construction, and callers say
  so instead of testing it;
- `settings() -> dict` - JSON-able record of what decides its play (written to
  the trajectory header and the run summary; always has "label");
- `check(bars, palette_sha256) -> None` - raise a `VibesynthError` naming the
  fix when it cannot play a set of this length on this palette (called before
  anything is written or played);
- `play(stage) -> Played` - call `stage.tools` until the set ends or it stops.

Implementations: `reference.policies` (reference arrangement, random DJ, a
fixed list of calls, any old-style callable), `agent.policies` (replay of a
trajectory, the LM through `dspy.RLM`, parsing of `--lm` strings). This module
imports only `tools`, so every layer above can use it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from tools.mixer import PATTERNS, MixerSession

ToolFn = Callable[..., str]
INPUTS = frozenset({"brief", "prompt", "seed", "lm"})


def _never() -> str | None:
    return None


def _discard(kind: str, **fields: Any) -> dict:
    return {"kind": kind, **fields}


@dataclass(frozen=True)
class Stage:
    """What a policy plays on: the tools and the facts of the set."""

    tools: Mapping[str, ToolFn]  # name -> function returning JSON; raises SetComplete at the hard stop
    bars: int
    bpm: float
    seed: int = 0
    brief: str = ""
    menu: str = "{}"  # JSON an LM is shown about the palette (see palette_menu)
    record: Callable[..., dict] = _discard  # trajectory sink: record(kind, **fields)
    stop_reason: Callable[[], str | None] = _never  # a message once the set has ended
    bars_left: Callable[[], int] = field(default=lambda: 0)

    @classmethod
    def of_session(
        cls,
        session: MixerSession,
        *,
        tools: Mapping[str, ToolFn] | None = None,
        seed: int = 0,
        brief: str = "",
        record: Callable[..., dict] = _discard,
        stop_reason: Callable[[], str | None] | None = None,
    ) -> Stage:
        """A stage over a mixer session (its own tools unless recorded ones are given)."""
        return cls(
            tools=tools if tools is not None else session.tools(),
            bars=session.max_bars,
            bpm=session.bpm,
            seed=seed,
            brief=brief,
            menu=palette_menu(session),
            record=record,
            stop_reason=stop_reason or (lambda: "the set is complete" if session.complete else None),
            bars_left=lambda: session.max_bars - session.bars_played,
        )

    def rng(self) -> np.random.Generator:
        """A fresh generator for the policy's own choices, seeded by the run seed."""
        return np.random.default_rng(self.seed)


@dataclass
class Played:
    """How a policy's play ended.

    `ended_by` None means the policy ran out of moves; the runner then says
    "set_complete" or "calls_exhausted" from the session. `usage` holds LM
    token counts and cost where known (empty for policies without an LM).
    """

    ended_by: str | None = None
    lm_calls: int = 0
    usage: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class Policy(Protocol):
    label: str
    reads: frozenset[str]

    def settings(self) -> dict[str, Any]: ...

    def check(self, bars: int, palette_sha256: str | None) -> None: ...

    def play(self, stage: Stage) -> Played: ...


def ignored_inputs(policy: Policy, varied: set[str]) -> set[str]:
    """The inputs in `varied` that `policy` does not read (comparing them tells nothing)."""
    return set(varied) - set(policy.reads)


def palette_menu(session: MixerSession) -> str:
    """What an LM is told about the palette: JSON it can also parse in code."""
    menu = {
        "roles": {role: sample.facts() for role, sample in sorted(session.samples.items())},
        "alternatives": {role: [s.id for s in options] for role, options in sorted(session.alternatives.items())},
        "patterns": sorted(PATTERNS),
        "gain_caps": {role: session.config.gain_caps.get(role, 1.0) for role in sorted(session.samples)},
    }
    return json.dumps(menu, indent=1)
