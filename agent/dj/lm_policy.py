"""The LM policy: a language model plays the set through `dspy.RLM` in the sandbox.

It reads the brief, the prompt file (instructions: style and strategy; the
tool contract comes from the tools themselves), the LM and the seed (passed
to providers that take one). LM calls are recorded in the trajectory; token
counts and cost (where litellm knows the model's price) land in `Played.usage`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.lm import LMSpec
from agent.sandbox import SandboxLimits
from reference.policy import Played, Stage
from tools.errors import AgentError
from tools.files import file_sha256_or_none

if TYPE_CHECKING:
    import dspy

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
DEFAULT_PROMPT = PROMPTS_DIR / "v7_hypnotic_peak.txt"
MAX_BARS = 512
USAGE_KEYS = ("prompt_tokens", "completion_tokens", "total_tokens")


@dataclass(frozen=True)
class LMPolicy:
    """An LM through `dspy.RLM`; `lm` replaces the model built from `spec` (a scripted LM in tests)."""

    spec: LMSpec
    prompt_path: Path = DEFAULT_PROMPT
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    max_iters: int = 40
    max_llm_calls: int = 20
    lm: Any = field(default=None, compare=False)  # dspy.BaseLM
    reads: frozenset[str] = frozenset({"brief", "prompt", "lm", "seed"})

    @property
    def label(self) -> str:
        return self.spec.label

    def settings(self) -> dict[str, Any]:
        return {
            "label": self.label,
            **self.spec.settings(),
            "prompt": str(self.prompt_path),
            "prompt_sha256": file_sha256_or_none(self.prompt_path),
            "max_iters": self.max_iters,
            "max_llm_calls": self.max_llm_calls,
        }

    def check(self, bars: int, palette_sha256: str | None) -> None:
        if not self.prompt_path.is_file():
            raise AgentError(f"no prompt file at {self.prompt_path}; pass --prompt prompts/baseline.txt or another file")
        if not 1 <= bars <= MAX_BARS:
            raise AgentError(f"an LM set is 1 to {MAX_BARS} bars, not {bars}; pass --bars in that range")

    def play(self, stage: Stage) -> Played:
        import dspy

        from agent.dj.program import LMRecorder, build_program
        from agent.lm import build_lm

        self.check(stage.bars, None)
        recorder = LMRecorder(stage.record)
        program, sandboxes = build_program(
            self.prompt_path.read_text(encoding="utf-8"),
            list(stage.tools.values()),
            stop_reason=stage.stop_reason,
            on_record=lambda kind, payload: stage.record(kind, **payload),
            refuse_submit=lambda: f"the set is not finished: {stage.bars_left()} bars left; keep calling play()",
            limits=self.limits,
            max_iters=self.max_iters,
            max_llm_calls=self.max_llm_calls,
        )
        lm = self.lm or build_lm(self.spec)
        seen = len(getattr(lm, "history", []))
        try:
            with dspy.context(lm=lm, callbacks=[recorder]):
                prediction = program(brief=stage.brief, palette=stage.menu, bars=stage.bars, bpm=stage.bpm)
        except dspy.LMError as err:
            if stage.bars_left() == stage.bars:
                raise AgentError(f"the LM {self.label} failed before anything was played: {err}") from None
            stage.record("event", source="lm", event={"kind": "lm_error", "message": str(err)[:500]})
            return Played("lm_error", recorder.calls, usage(lm, seen))
        if stage.stop_reason():
            return Played(None, recorder.calls, usage(lm, seen))
        # Early SUBMITs are refused, so without the hard stop the RLM ran out of iterations or sandboxes.
        stage.record("submit", summary=str(prediction.summary))
        ended = "sandbox_failed" if any(sandbox.ended for sandbox in sandboxes.created) else "max_iters"
        return Played(ended, recorder.calls, usage(lm, seen))


def usage(lm: dspy.BaseLM, since: int) -> dict[str, Any]:
    """Token counts summed over the LM calls after `since` in lm.history; cost in USD where litellm priced it."""
    entries = list(getattr(lm, "history", []))[since:]
    totals: dict[str, Any] = {key: 0 for key in USAGE_KEYS}
    costs = [entry.get("cost") for entry in entries]
    for entry in entries:
        for key in USAGE_KEYS:
            value = (entry.get("usage") or {}).get(key)
            if isinstance(value, (int, float)):
                totals[key] += int(value)
    totals["cost_usd"] = float(sum(costs)) if costs and all(isinstance(c, (int, float)) for c in costs) else None
    totals["calls"] = len(entries)
    return totals
