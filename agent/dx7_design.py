"""Text -> DX7 voice: a DSPy program whose output is the operator-major voice JSON.

The LM sees the voice's field guide and, optionally, the rule-based
designer's voice as a starting point. A voice that does not validate goes
back to it as `feedback` (readable lines from tools.dx7.voice) for a bounded
number of retries; after that the run fails with those errors. No silent
fallback to the rule-based designer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import dspy

from agent.lm import LMSpec, build_lm
from reference.dx7_designer import design
from tools.dx7.voice import Voice
from tools.errors import AgentError, ConfigError

DEFAULT_RETRIES = 2
GUIDE = (
    "One JSON object: name (<=10 ASCII chars), algorithm 1..32, feedback 0..7, osc_key_sync bool, "
    "transpose -24..24 semitones, pitch_eg {rates[4], levels[4] 0..99, 50 = no bend}, "
    "lfo {speed, delay, pitch_mod_depth, amp_mod_depth 0..99, key_sync bool, "
    "wave triangle|saw_down|saw_up|square|sine|sample_hold, pitch_mod_sens 0..7}, "
    "OP1..OP6 each {eg_rates[4], eg_levels[4] 0..99, breakpoint, left_depth, right_depth 0..99, "
    "left_curve/right_curve -lin|-exp|+exp|+lin, rate_scaling 0..7, amp_mod_sens 0..3, velocity_sens 0..7, "
    "output_level 0..99, mode ratio|fixed, coarse 0..31 (0 = ratio 0.5), fine 0..99, detune -7..7}. "
    "Carriers of the algorithm are heard; a modulator's output_level is its modulation depth."
)


class TextToPatch(dspy.Signature):
    """Design a Yamaha DX7 voice that sounds like the description. Answer with the full voice JSON."""

    description: str = dspy.InputField(desc="what the sound should be: instrument, timbre, envelope")
    starting_point: str = dspy.InputField(desc="a rule-based voice for the same text (JSON) to improve on, or 'none'")
    feedback: str = dspy.InputField(desc="problems with your previous answer to fix, or 'none'")
    patch: str = dspy.OutputField(desc=GUIDE)


@dataclass
class DesignResult:
    voice: Voice
    attempts: int
    feedback: list[str] = field(default_factory=list)


def _extract(text: str) -> str:
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ConfigError("the answer held no JSON object; answer with the patch field holding one JSON voice")
    return text[start : end + 1]


class DesignProgram(dspy.Module):
    def __init__(self, retries: int = DEFAULT_RETRIES, use_reference: bool = True) -> None:
        super().__init__()
        self.retries = retries
        self.use_reference = use_reference
        self.predict = dspy.Predict(TextToPatch)

    def forward(self, description: str) -> DesignResult:
        start = json.dumps(design(description).model_dump(mode="json")) if self.use_reference else "none"
        feedback: list[str] = []
        with dspy.context(adapter=dspy.ChatAdapter(use_json_adapter_fallback=False)):
            for attempt in range(1, self.retries + 2):
                prediction = self.predict(description=description, starting_point=start, feedback=feedback[-1] if feedback else "none")
                try:
                    return DesignResult(Voice.parse(_extract(str(prediction.patch))), attempt, feedback)
                except ConfigError as err:
                    feedback.append(str(err))
        raise AgentError(
            f"the LM gave no valid DX7 voice for {description!r} in {self.retries + 1} attempts; last problems:\n"
            f"{feedback[-1]}\nTry another --lm, or leave --lm out for the rule-based designer"
        )


def text_to_voice(description: str, lm: dspy.BaseLM, retries: int = DEFAULT_RETRIES, use_reference: bool = True) -> DesignResult:
    try:
        with dspy.context(lm=lm):
            return DesignProgram(retries, use_reference)(description=description)
    except dspy.LMError as err:
        raise AgentError(f"the LM call failed: {err}") from None


def voice_from_lm(description: str, spec: LMSpec) -> tuple[Voice, dict]:
    result = text_to_voice(description, build_lm(spec))
    return result.voice, {"designer": f"lm:{spec.label}", "lm": spec.settings(), "attempts": result.attempts, "feedback": result.feedback}
