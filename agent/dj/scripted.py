"""A scripted LM for tests and benchmarks: the reference arrangement written as RLM code blocks.

`dspy.utils.DummyLM` answers each RLM iteration with the next block, so the
real RLM drives the real sandbox with no model. Played through the sandbox,
these blocks must give the same audio as the reference policy.
"""

from __future__ import annotations

from dspy.utils import DummyLM

Call = tuple[str, dict]
MOVES_TIME = frozenset({"play", "breakdown"})


def code_blocks(calls: list[Call]) -> list[str]:
    """One Python block per phrase: the changes, then the play() that renders them."""
    blocks: list[str] = []
    lines: list[str] = []
    for name, args in calls:
        arguments = ", ".join(f"{key}={value!r}" for key, value in args.items())
        lines.append(f"print({name}({arguments}))")
        if name in MOVES_TIME:
            blocks.append("\n".join(lines))
            lines = []
    if lines:
        blocks.append("\n".join(lines))
    return blocks


def scripted_lm(blocks: list[str]) -> DummyLM:
    """A DummyLM whose n-th answer runs the n-th block.

    The script must reach the set's hard stop: the DJ program refuses an early
    SUBMIT, so a script that ends before the last bar runs out of answers.
    """
    answers = [{"reasoning": f"step {i + 1}", "code": f"```python\n{block}\n```"} for i, block in enumerate(blocks)]
    return DummyLM(answers)
