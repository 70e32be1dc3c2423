"""The tool contract lives on the tools: the RLM's instructions show each tool's docstring and argument types."""

from __future__ import annotations

import inspect
import json

import pytest

from agent.dj.program import argument_schema, build_program
from agent.dspy_compat import action_instructions
from agent.sandbox import SandboxLimits
from agent.toolbox import MixerTools
from agent.trajectory import TrajectoryWriter
from reference.policy import Stage
from tools.mixer import PATTERNS, MixerSession
from tools.mixer.session import TOOL_NAMES

from dj_support import kit

EXPECTED_TYPES = {
    "play": "bars: integer",
    "breakdown": "bars: integer",
    "remove": "role: string",
    "add": "role: string, gain: number, pattern: string | array | object",
    "fader": "role: string, gain: number",
    "pattern": "role: string, name: string | array | object",
    "mute": "role: string",
    "unmute": "role: string",
    "swap": "role: string, choice: string | integer",
    "status": "",
}
PROMPTS = ("baseline.txt", "v7_hypnotic_peak.txt")


@pytest.fixture()
def instructions(tmp_path):
    session = MixerSession(kit(), 128, 8, sample_rate=8000)
    with TrajectoryWriter(tmp_path / "t.jsonl") as writer:
        tools = MixerTools(session, writer)
        program, _ = build_program(
            "Play well.",
            tools.functions(),
            stop_reason=lambda: None,
            on_record=lambda kind, payload: None,
            refuse_submit=lambda: None,
            limits=SandboxLimits(),
            max_iters=2,
            max_llm_calls=0,
        )
    return action_instructions(program)


def test_every_tool_has_a_docstring_that_names_what_it_returns():
    session = MixerSession(kit(), 128, 8, sample_rate=8000)
    for name, fn in session.tools().items():
        doc = inspect.getdoc(fn)
        assert doc and "Returns JSON" in doc, name


def test_the_rlm_instructions_show_each_tools_description_and_argument_types(instructions):
    assert "No description" not in instructions
    session = MixerSession(kit(), 128, 8, sample_rate=8000)
    for name in TOOL_NAMES:
        assert f"`{name}({EXPECTED_TYPES[name]})`" in instructions, name
        first_line = inspect.getdoc(session.tools()[name]).splitlines()[0]
        assert first_line in instructions, name
    assert all(pattern in instructions for pattern in PATTERNS)  # the add() doc lists every pattern name


def test_argument_types_come_from_the_annotations():
    session = MixerSession(kit(), 128, 8, sample_rate=8000)
    assert argument_schema(session.tools()["fader"]) == {"role": {"type": "string"}, "gain": {"type": "number"}}


def test_shown_types_are_not_enforced_so_the_tool_answers_bad_arguments_itself(tmp_path):
    """A string where a number is documented still reaches the tool, which records it and answers with data."""
    from agent.dj.program import contract_tools

    session = MixerSession(kit(), 128, 8, sample_rate=8000)
    with TrajectoryWriter(tmp_path / "t.jsonl") as writer:
        tools = {tool.name: tool for tool in contract_tools(MixerTools(session, writer).functions())}
        assert json.loads(tools["add"](role="kick", gain="0.8"))["gain"] == 0.8
        answer = json.loads(tools["play"](bars="many"))
    assert "error" in answer and answer["valid"] == ["1..8"]


@pytest.mark.parametrize("name", PROMPTS)
def test_prompt_files_keep_style_and_strategy_not_the_api(name):
    from agent.dj.lm_policy import PROMPTS_DIR

    text = (PROMPTS_DIR / name).read_text()
    assert "Tools (" not in text and "returns a JSON string" not in text
    assert not any(f"{tool}(role" in text or f"{tool}(bars)" in text for tool in TOOL_NAMES)
    assert "`brief`" in text  # the brief reaches the LM through the prompt, not only as an input field


def test_the_brief_reaches_the_lm_in_both_prompt_files(instructions):
    from agent.dj.program import DJSet

    assert "brief" in DJSet.input_fields and "`brief`" in instructions
    stage = Stage.of_session(MixerSession(kit(), 128, 8, sample_rate=8000), brief="sunny beach house")
    assert stage.brief == "sunny beach house" and json.loads(stage.menu)["roles"]
