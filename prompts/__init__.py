"""Prompt variants as plain text, one file each; shipped as package data so an installed copy finds them."""

from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent
DEFAULT_PROMPT = PROMPTS_DIR / "v7_hypnotic_peak.txt"
