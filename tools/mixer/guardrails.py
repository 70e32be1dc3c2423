"""Guardrails that live in the session, not in the prompt (seeds/002).

Gain caps, a density ceiling by arc phase, an energy critique per 8-bar
phrase against a target curve, and a stagnation detector. Each returns an
event dict that the session reports back to the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from tools.args import ToolStop

PHRASE_BARS = 8
CRITIC_BARS = 16

DEFAULT_GAIN_CAPS: dict[str, float] = {
    "kick": 1.0,
    "hihat": 0.70,
    "openhat": 0.55,
    "clap": 0.60,
    "perc": 0.60,
    "bassline": 0.80,
    "texture": 0.55,
    "synth": 0.50,
    "fx": 0.55,
}
# (end as a fraction of the set, layer cap, name); the first end above the position wins.
DEFAULT_ARC_PHASES: tuple[tuple[float, int, str], ...] = (
    (0.125, 3, "intro"),
    (0.375, 5, "build"),
    (0.8125, 6, "peak"),
    (0.9063, 4, "strip"),
    (1.0, 3, "outro"),
)
# Target energy across the set, 8 points spread evenly from start to end.
DEFAULT_ENERGY_CURVE: tuple[float, ...] = (0.25, 0.50, 0.75, 0.90, 0.90, 0.85, 0.60, 0.30)
# How much each role adds to perceived energy at gain 1.
ENERGY_WEIGHTS: dict[str, float] = {
    "kick": 0.30,
    "bassline": 0.22,
    "hihat": 0.14,
    "openhat": 0.08,
    "clap": 0.10,
    "perc": 0.10,
    "texture": 0.08,
    "synth": 0.10,
    "fx": 0.04,
}
# Energy of the reference full groove (reference.arrangements.GAINS: kick .75, hat .66, bass .55,
# perc .50, texture .52, clap .58).
FULL_GROOVE_ENERGY = 0.30 * 0.75 + 0.14 * 0.66 + 0.22 * 0.55 + 0.10 * 0.50 + 0.08 * 0.52 + 0.10 * 0.58


class SetComplete(ToolStop):
    """The hard stop: the set reached max_bars; every later tool call raises this too."""

    def __init__(self, bars: int, result: dict | None = None) -> None:
        super().__init__(f"set complete: {bars} bars played; stop calling tools")
        self.bars = bars
        self.result = result or {"set_complete": True, "bars_played": bars}


class GuardrailConfig(BaseModel):
    """Guardrail settings; the defaults are the bergain values of seeds/002."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    gain_caps: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_GAIN_CAPS))
    clamp_out_of_range: bool = False
    arc_phases: tuple[tuple[float, int, str], ...] = DEFAULT_ARC_PHASES
    energy_curve: tuple[float, ...] = DEFAULT_ENERGY_CURVE
    energy_tolerance: float = 0.25
    stagnation_phrases: int = Field(default=4, ge=1)
    critic_every_bars: int = Field(default=CRITIC_BARS, ge=1)


def cap_gain(role: str, gain: float, config: GuardrailConfig) -> tuple[float, str | None]:
    """(gain after the role cap, note when it was capped)."""
    cap = config.gain_caps.get(role, 1.0)
    if gain > cap:
        return cap, f"{role} gain {gain:.2f} capped to {cap:.2f}"
    return gain, None


def phase_at(bar: int, max_bars: int, config: GuardrailConfig) -> tuple[str, int]:
    """(phase name, layer cap) of a bar (0-based) in a set of max_bars."""
    position = bar / max(max_bars, 1)
    for end, cap, name in config.arc_phases:
        if position < end:
            return name, cap
    _, cap, name = config.arc_phases[-1]
    return name, cap


def hold_out(layers: list[tuple[str, float]], cap: int) -> tuple[str, ...]:
    """Roles to hold silent so at most `cap` layers sound: the quietest first, never the kick."""
    if len(layers) <= cap:
        return ()
    ranked = sorted(layers, key=lambda layer: (layer[0] != "kick", -layer[1]))
    return tuple(role for role, _ in ranked[cap:])


def density_event(bar: int, phase: str, cap: int, held: tuple[str, ...]) -> dict:
    return {
        "kind": "density",
        "bar": bar + 1,
        "phase": phase,
        "cap": cap,
        "held_out": list(held),
        "message": f"{phase} phase allows {cap} layers; holding out {', '.join(held)}",
    }


def bar_energy(gains: Mapping[str, float]) -> float:
    """0..1 energy of one bar from its audible layers' gains (1 = reference full groove)."""
    raw = sum(ENERGY_WEIGHTS.get(role, 0.08) * gain for role, gain in gains.items())
    return min(raw / FULL_GROOVE_ENERGY, 1.0)


def target_energy(bar: int, max_bars: int, config: GuardrailConfig) -> float:
    curve = np.asarray(config.energy_curve, dtype=np.float64)
    anchors = np.linspace(0.0, 1.0, curve.size)
    return float(np.interp((bar + 0.5) / max(max_bars, 1), anchors, curve))


def energy_critique(phrase_end: int, energies: list[float], max_bars: int, config: GuardrailConfig) -> dict | None:
    """Event when the phrase's mean energy strays from the target curve, else None."""
    start = phrase_end - len(energies)
    mean = float(np.mean(energies))
    target = float(np.mean([target_energy(b, max_bars, config) for b in range(start, phrase_end)]))
    if abs(mean - target) <= config.energy_tolerance:
        return None
    advice = "add a layer or raise gains" if mean < target else "drop a layer or pull gains down"
    return {
        "kind": "energy",
        "bar": phrase_end,
        "energy": round(mean, 3),
        "target": round(target, 3),
        "message": f"bars {start + 1}-{phrase_end}: energy {mean:.2f} vs target {target:.2f}; {advice}",
    }


def ask_critic(critic: Callable[[dict], str | None], summary: dict) -> dict:
    """Event with the critic's note; a failing critic (user code) is reported, never hidden."""
    bar = summary["bars_played"]
    try:
        note = critic(summary)
    except Exception as err:  # noqa: BLE001 - any failure of the hook becomes an event
        return {"kind": "critic_error", "bar": bar, "message": f"critic failed: {err!r}"}
    if not note:
        return {"kind": "critic_quiet", "bar": bar, "message": "critic had nothing to add"}
    return {"kind": "critic", "bar": bar, "message": str(note)}


class StagnationDetector:
    """Fires when the mix state has not changed for `phrases` whole phrases.

    The state is whatever hashable signature the session gives per bar; a
    run of identical bars is checked at each phrase boundary, fires once
    per `phrases` phrases of unchanged state, and resets on any change.
    """

    def __init__(self, phrases: int) -> None:
        self.phrases = phrases
        self._last: object = None
        self._run_bars = 0
        self._fired_at_run = 0

    def observe(self, signature: object) -> None:
        if signature != self._last:
            self._last = signature
            self._run_bars = 0
            self._fired_at_run = 0
        self._run_bars += 1

    def check(self, bar: int) -> dict | None:
        limit = self.phrases * PHRASE_BARS
        if self._run_bars - self._fired_at_run < limit:
            return None
        self._fired_at_run = self._run_bars
        return {
            "kind": "stagnation",
            "bar": bar,
            "unchanged_bars": self._run_bars,
            "message": f"mix unchanged for {self._run_bars} bars; change a pattern, a gain or a layer",
        }
