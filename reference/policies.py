"""Policies that need no LM (see reference.policy for the interface).

- `ReferencePolicy`: reads the brief (reference.set_rules) and plays the set plan it
  makes, laid out in the arrangement space (reference.set_plan);
- `FixedPolicy`: the shortest reference arrangement that fills the set, whatever the brief
  (the bergain oracle: palette screening and bit-for-bit checks of the tool layer);
- `RandomPolicy`: a "random DJ", the reference's moves with jittered decisions;
- `CallsPolicy`: a fixed list of tool calls (a replayed trajectory is one);
- `CallablePolicy`: any function `fn(tools, bars, rng)` made a policy.

`load_policy(name)` gives "reference", "fixed", "random" or "package.module:attribute"
(an object with the Policy interface, or an old-style function): the forms of
`tools.specs.RULE_POLICIES`; `build_policy` makes one from a parsed spec.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reference.arrangement_space import MAX_BARS, Arrangement, to_calls
from reference.arrangements import Call, kind_for_bars, reference_calls, run_calls
from reference.policy import Played, Policy, Stage, ToolFn
from reference.set_plan import lay_out
from reference.set_rules import explain, plan_from_brief
from tools.errors import ConfigError
from tools.mixer import PATTERNS, SetComplete
from tools.specs import RULE_POLICIES, Spec

ONESHOT_PATTERNS = sorted(PATTERNS)


class FixedPolicy:
    """The shortest reference arrangement that fills the set, cut by the hard stop.

    It reads nothing but the length: brief, prompt, LM and seed leave its calls unchanged.
    """

    label = "fixed"
    reads: frozenset[str] = frozenset()

    def settings(self) -> dict[str, Any]:
        return {"label": self.label}

    def check(self, bars: int, palette_sha256: str | None) -> None:
        kind_for_bars(bars)  # ConfigError beyond the longest arrangement

    def play(self, stage: Stage) -> Played:
        run_calls(stage.tools, reference_calls(kind_for_bars(stage.bars)))
        return Played()


class ReferencePolicy:
    """Reads the brief: rule-based choices in the arrangement space (reference.set_rules), no LM.

    Two briefs give two arrangements (holds, layers, patterns, gains, breakdown
    and drop), not only two palettes. Deterministic: the same brief, length and
    palette roles give the same calls; the seed is not read.
    """

    label = "reference"
    reads: frozenset[str] = frozenset({"brief"})

    def settings(self) -> dict[str, Any]:
        return {"label": self.label, "rules": "reference.set_rules"}

    def check(self, bars: int, palette_sha256: str | None) -> None:
        if not 1 <= bars <= MAX_BARS:
            raise ConfigError(f"the reference policy plays 1 to {MAX_BARS} bars, not {bars}; pass --bars in that range")

    def plan(self, stage: Stage) -> Arrangement:
        """The point the brief's plan lays out on this stage's palette."""
        menu = json.loads(stage.menu)
        roles = set(menu["roles"])
        loops = {role for role, facts in menu["roles"].items() if facts.get("type") == "loop"}
        return lay_out(plan_from_brief(stage.brief, stage.bars), roles, loops)

    def play(self, stage: Stage) -> Played:
        stage.record("event", source="policy", event={"kind": "brief_reading", "axes": explain(stage.brief)})
        run_calls(stage.tools, to_calls(self.plan(stage)))
        return Played()


class RandomPolicy:
    """A "random DJ": the reference's moves with jittered gains, random patterns and random play lengths.

    A stand-in for an LM policy: the same tools, plausible but unpolished
    decisions, drawn from the run seed.
    """

    label = "random"
    reads = frozenset({"seed"})

    def settings(self) -> dict[str, Any]:
        return {"label": self.label}

    def check(self, bars: int, palette_sha256: str | None) -> None:
        kind_for_bars(bars)

    def play(self, stage: Stage) -> Played:
        tools, rng = stage.tools, stage.rng()
        try:
            for name, args in reference_calls(kind_for_bars(stage.bars)):
                args = dict(args)
                if "gain" in args:
                    args["gain"] = float(np.clip(args["gain"] + rng.normal(0.0, 0.12), 0.05, 1.0))
                key = {"add": "pattern", "pattern": "name"}.get(name)
                if key in args and rng.random() < 0.5:
                    args[key] = ONESHOT_PATTERNS[int(rng.integers(len(ONESHOT_PATTERNS)))]
                if name == "play" and args["bars"] >= 4 and rng.random() < 0.3:
                    first = int(rng.integers(1, args["bars"]))
                    json.loads(tools["play"](bars=first))
                    json.loads(tools["fader"](role="kick", gain=float(rng.uniform(0.7, 1.0))))
                    args["bars"] -= first
                json.loads(tools[name](**args))
            while True:  # the reference may end before this length: hold the groove to the end
                json.loads(tools["play"](bars=8))
        except SetComplete:
            pass
        return Played()


@dataclass
class CallsPolicy:
    """Plays a fixed list of tool calls in order (a replay, a scripted test)."""

    calls: list[Call]
    label: str = "calls"
    reads: frozenset[str] = frozenset()
    extra: dict[str, Any] = field(default_factory=dict)  # more settings to record (e.g. the replayed file)

    def settings(self) -> dict[str, Any]:
        return {"label": self.label, **self.extra}

    def check(self, bars: int, palette_sha256: str | None) -> None:
        return None

    def play(self, stage: Stage) -> Played:
        run_calls(stage.tools, self.calls)
        return Played()


@dataclass
class CallablePolicy:
    """An old-style policy function `fn(tools, bars, rng)` (rng drawn from the run seed)."""

    fn: Callable[[Mapping[str, ToolFn], int, np.random.Generator], None]
    label: str
    reads: frozenset[str] = frozenset({"seed"})

    def settings(self) -> dict[str, Any]:
        return {"label": self.label}

    def check(self, bars: int, palette_sha256: str | None) -> None:
        return None

    def play(self, stage: Stage) -> Played:
        try:
            self.fn(stage.tools, stage.bars, stage.rng())
        except SetComplete:
            pass
        return Played()


NAMED: dict[str, Callable[[], Policy]] = {"reference": ReferencePolicy, "fixed": FixedPolicy, "random": RandomPolicy}


def load_policy(spec: str) -> Policy:
    """A named policy ("reference", "fixed", "random") or "package.module:attribute"."""
    return build_policy(RULE_POLICIES.parse(spec))


def build_policy(spec: Spec) -> Policy:
    """The policy a parsed spec names: a named one, or the attribute `package.module:attribute`.

    The attribute may be a Policy object, a zero-argument factory of one, or
    an old-style function `fn(tools, bars, rng)`.
    """
    if spec.kind in NAMED:
        return NAMED[spec.kind]()
    module, _, attr = spec.arg.partition(":")
    try:
        target = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as err:
        raise ConfigError(f"cannot load policy {spec.arg!r} ({err}); check the module path and attribute name") from None
    if isinstance(target, type):  # a class: checked first, a Policy class itself passes isinstance(.., Policy)
        made = target()
        if isinstance(made, Policy):
            return made
    elif isinstance(target, Policy):
        return target
    if callable(target):
        return CallablePolicy(target, label=spec.arg)
    raise ConfigError(f"{spec.arg!r} is neither a Policy nor a function fn(tools, bars, rng)")
