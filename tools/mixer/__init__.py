"""The DJ mixer: samples, 16-step patterns, a sample-accurate timeline and a
guarded session that a language model plays through JSON tool calls."""

from tools.mixer.guardrails import GuardrailConfig
from tools.mixer.patterns import PATTERNS, Pattern, parse_pattern
from tools.mixer.sample import Sample, detect_loop
from tools.mixer.session import MixerSession, SetComplete
from tools.mixer.timeline import BarGrid

__all__ = [
    "BarGrid",
    "GuardrailConfig",
    "MixerSession",
    "PATTERNS",
    "Pattern",
    "Sample",
    "SetComplete",
    "detect_loop",
    "parse_pattern",
]
