"""The reference policy reads the brief (#24 item 4): contrasting briefs give different arrangements, deterministically."""

from __future__ import annotations

import numpy as np
import pytest

from agent.dj import DJRun, run_dj
from agent.policies import parse_policy
from agent.trajectory import read_trajectory
from reference.arrangement_space import from_calls
from reference.set_plan import SetPlan, lay_out
from reference.set_rules import plan_from_brief

from agent_palette import make_palette

DARK = "dark warehouse techno, hypnotic"
SUNNY = "sunny euphoric beach house, 122 bpm"
ROLES = {"kick", "hihat", "openhat", "clap", "perc", "bassline", "texture", "synth", "fx"}
LOOPS = {"bassline", "texture"}


def _changes(point) -> int:
    return len(point.sections)


def test_contrasting_briefs_give_contrasting_plans_and_arrangements():
    dark, sunny = plan_from_brief(DARK, 64), plan_from_brief(SUNNY, 64)
    assert dark.hold > sunny.hold  # hypnotic: longer holds
    assert dark.highs < sunny.highs and dark.variation < sunny.variation and dark.drop < sunny.drop
    dark_point, sunny_point = lay_out(dark, ROLES, LOOPS), lay_out(sunny, ROLES, LOOPS)
    assert _changes(dark_point) < _changes(sunny_point)
    dark_roles = set().union(*(s.layers for s in dark_point.sections))
    sunny_roles = set().union(*(s.layers for s in sunny_point.sections))
    assert "synth" in sunny_roles - dark_roles  # the bright brief brings a lead the dark one leaves out
    hats = [s.layers["hihat"].gain for p in (dark_point, sunny_point) for s in p.sections if "hihat" in s.layers]
    assert max(s.layers["hihat"].gain for s in dark_point.sections if "hihat" in s.layers) < max(hats)


def test_driving_and_sparse_move_their_knobs():
    driving, gentle = plan_from_brief("driving, pounding drums", 64), plan_from_brief("gentle, soft, no drums", 64)
    assert driving.percussion > gentle.percussion
    dense, sparse = plan_from_brief("dense, busy, layered", 64), plan_from_brief("sparse and minimal", 64)
    assert len(lay_out(dense, ROLES, LOOPS).sections[-3].layers) >= len(lay_out(sparse, ROLES, LOOPS).sections[-3].layers)
    assert dense.density > sparse.density


@pytest.mark.parametrize("bars", [1, 3, 8, 16, 33, 128, 512])
def test_any_plan_fills_the_set_exactly(bars):
    rng = np.random.default_rng(bars)
    for _ in range(20):
        knobs = {k: float(rng.random()) for k in ("variation", "highs", "percussion", "density", "energy", "space", "drop")}
        plan = SetPlan(bars=bars, hold=int(rng.choice([1, 2, 4, 8, 16, 32])), breakdown_at=float(rng.uniform(0.4, 0.75)), **knobs)
        assert lay_out(plan, ROLES, LOOPS).bars == bars


def test_the_reference_policy_plays_each_brief_its_own_set_through_the_tools(tmp_path):
    palette = make_palette(tmp_path / "palette")
    outcomes = {
        name: run_dj(DJRun(brief, palette, parse_policy("reference"), bars=16, scorer=None), tmp_path / name)
        for name, brief in (("dark", DARK), ("sunny", SUNNY))
    }
    calls = {name: read_trajectory(o.out_dir / "trajectory.jsonl").tool_calls() for name, o in outcomes.items()}
    assert calls["dark"] != calls["sunny"]  # same palette, same tempo: the arrangement itself differs
    assert from_calls(calls["dark"]) != from_calls(calls["sunny"])
    assert outcomes["dark"].summary["bpm"] == outcomes["sunny"].summary["bpm"]
    assert outcomes["dark"].summary["audio"]["sha256"] != outcomes["sunny"].summary["audio"]["sha256"]
    again = run_dj(DJRun(DARK, palette, parse_policy("reference"), bars=16, scorer=None), tmp_path / "again")
    assert np.array_equal(again.audio, outcomes["dark"].audio)  # deterministic, bit for bit
    events = [r["event"] for r in read_trajectory(tmp_path / "dark" / "trajectory.jsonl").of_kind("event") if r.get("source") == "policy"]
    assert events[0]["kind"] == "brief_reading" and "dj:hypnotic" in events[0]["axes"]["variation"]["sources"]
