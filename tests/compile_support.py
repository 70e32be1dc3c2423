"""Scripted LMs for compile-job tests: answers follow rules over the prompt, so optimizers see real differences."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from dspy.utils import DummyLM

OUTPUT_FIELDS = re.compile(r"Your output fields are:(.*?)(?:All interactions|\Z)", re.S)
FIELD_NAME = re.compile(r"^\d+\. `(\w+)`", re.M)


def output_fields(messages: list[dict]) -> list[str]:
    system = next((m["content"] for m in messages if m.get("role") == "system"), "")
    found = OUTPUT_FIELDS.search(system)
    return FIELD_NAME.findall(found.group(1)) if found else []


class RuleLM(DummyLM):
    """A DummyLM whose answer is `rule(system_text, last_user_text, output_fields)` -> {field: value}.

    `json=True` answers in JSONAdapter's format (GEPA's instruction proposer uses that adapter).
    """

    def __init__(self, rule: Callable[[str, str, list[str]], dict], json: bool = False) -> None:
        from dspy.adapters.json_adapter import JSONAdapter

        super().__init__([], follow_examples=True, adapter=JSONAdapter() if json else None)
        self.rule = rule

    def _use_example(self, messages):
        system = next((m["content"] for m in messages if m.get("role") == "system"), "")
        answer = self.rule(system, messages[-1]["content"], output_fields(messages))
        return self._format_answer_fields(answer)


def config_text(config: dict) -> str:
    return json.dumps(config)
