"""Deterministic oracles with no LM: reference arrangements, the rule-based vibe mapper, the reference policy."""
