"""The student's prompt: seeds/000's system prompt and the vibe, as plain text (Gemma's base has no chat template).

Training and inference use exactly this text (seeds/000 section 6: tiny models
rely on the exact prompt pattern). The completion is one space and the compact
JSON config (19 fields in schema order), then end-of-sequence: the prompt ends
with "Config:" (no trailing space) because Gemma's tokenizer merges the space
with the brace (`▁{"`), so the prompt's tokens stay a prefix of prompt + target.

A retrieval-augmented prompt (agent/student/neighbours.py) lists the k nearest
teacher examples between the system prompt and the vibe, one line each:
`- <vibe> => field=value ...` (all 19 fields in schema order; 65 Gemma tokens a
config against 86 for the JSON), under the line NEIGHBOURS.
"""

from __future__ import annotations

import json
from typing import Any

from tools.schema import FIELDS, MusicConfig

SYSTEM_PROMPT = (
    "You are a synthesizer configuration assistant.\n"
    "Given a vibe description, output a JSON configuration for an ambient/electronic synthesizer.\n"
    "Output ONLY valid JSON with no explanation."
)


NEIGHBOURS = "Similar vibes and their configs:"


def prompt(vibe: str, shots: list[tuple[str, dict]] | None = None, neighbours: list[tuple[str, dict]] | None = None) -> str:
    """The prompt for one vibe; `shots` (vibe, config) pairs make the few-shot prompt of the untrained base;
    `neighbours` (the retrieved examples) make the retrieval-augmented prompt."""
    if neighbours:
        lines = "".join(f"- {v.strip()} => {compact(c)}\n" for v, c in neighbours)
        return f"{prompt_prefix(shots, retrieval=True)}{lines}\nVibe: {vibe.strip()}\nConfig:"
    return f"{prompt_prefix(shots)} {vibe.strip()}\nConfig:"


def prompt_prefix(shots: list[tuple[str, dict]] | None = None, retrieval: bool = False) -> str:
    """The part of every prompt before what changes per vibe (the decoder caches the model's pass over it)."""
    examples = "".join(f"Vibe: {v}\nConfig:{target(c)}\n\n" for v, c in shots or [])
    return f"{SYSTEM_PROMPT}\n\n{examples}" + (f"{NEIGHBOURS}\n" if retrieval else "Vibe:")


def compact(config: MusicConfig | dict[str, Any]) -> str:
    """A retrieved example's config in the prompt: `field=value`, space-separated, in schema order."""
    data = config.model_dump() if isinstance(config, MusicConfig) else config
    return " ".join(f"{name}={json.dumps(data[name]).strip(chr(34))}" for name in FIELDS)


def completion(config: MusicConfig | dict[str, Any]) -> str:
    """The target text: compact JSON with the fields in schema order."""
    data = config.model_dump() if isinstance(config, MusicConfig) else config
    return json.dumps({name: data[name] for name in FIELDS}, separators=(",", ":"))


def target(config: MusicConfig | dict[str, Any]) -> str:
    """What the model writes after the prompt: a space, then the compact JSON."""
    return " " + completion(config)


def vibe_of(prompt_text: str) -> str:
    """The vibe a prompt was built from (the last `Vibe:` line)."""
    tail = prompt_text.rsplit("Vibe: ", 1)[-1]
    return tail.split("\nConfig:", 1)[0].strip()


def first_json_object(text: str) -> str:
    """The completion up to the end of its first balanced JSON object (what a model wrote before rambling)."""
    start = text.find("{")
    if start < 0:
        return text.strip()
    depth, in_string, escaped = 0, False, False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            escaped = char == "\\" and not escaped
            if char == '"' and not escaped:
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start : index + 1]
    return text[start:].strip()
