"""Chat messages in, the student's config out: what the served endpoint and the DSPy LM both answer.

The vibe is the `vibe` field of a DSPy ChatAdapter message (`[[ ## vibe ## ]]`),
else the whole last user message. Earlier user/assistant turns are few-shot
demos (how ChatAdapter sends a compiled program's demos): each becomes a
(vibe, config) example in the student's plain-text prompt, so BootstrapFewShot
changes what the student sees. Instructions (the system message) do not reach
it: the student was trained on one fixed prompt. The reply is the constrained
decoder's config: inside DSPy's `[[ ## config ## ]] ... [[ ## completed ## ]]`
frame when the request used that frame, else the bare JSON object.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from tools.errors import ConfigError
from tools.schema import MusicConfig

Shots = list[tuple[str, dict]]
_FIELD = re.compile(r"\[\[ ## (\w+) ## \]\]")


def _content(message: dict) -> str:
    content = message.get("content", "")
    if isinstance(content, list):  # OpenAI content parts
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content or "")


def _section(text: str, name: str) -> str | None:
    """The text of DSPy's `[[ ## name ## ]]` section, or None."""
    match = re.search(rf"\[\[ ## {name} ## \]\]\s*(.*?)\s*(?=\[\[ ## |\Z)", text, flags=re.S)
    return match.group(1) if match else None


def demos(messages: list[dict]) -> Shots:
    """(vibe, config) few-shot examples: each earlier user turn and the assistant turn answering it."""
    shots: Shots = []
    last_user = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=-1)
    for i in range(last_user):
        if messages[i].get("role") != "user" or messages[i + 1].get("role") != "assistant":
            continue
        question, reply = _content(messages[i]), _content(messages[i + 1])
        vibe = (_section(question, "vibe") or question).strip()
        config = _section(reply, "config") or reply
        try:
            shots.append((vibe, MusicConfig.parse(config).model_dump()))
        except ConfigError as err:
            raise ValueError(f"few-shot demo {len(shots) + 1} ({vibe!r}) holds no valid config: {err}") from None
    return shots


def vibe_and_frame(messages: list[dict]) -> tuple[str, str | None]:
    """(the vibe, the DSPy output field to frame the answer in, or None for bare JSON)."""
    users = [m for m in messages if m.get("role") == "user"]
    if not users:
        raise ValueError("the request has no user message; send the vibe as a user message")
    text = _content(users[-1])
    section = _section(text, "vibe")
    vibe = (section if section is not None else text).strip()
    if not vibe:
        raise ValueError("the user message holds no vibe text")
    system = " ".join(_content(m) for m in messages if m.get("role") == "system")
    outputs = re.search(r"Your output fields are:(.*?)(?:All interactions|\Z)", system, flags=re.S)
    frame = None
    if section is not None and outputs:
        names = re.findall(r"`(\w+)`", outputs.group(1))
        frame = names[0] if names else "config"
    return vibe, frame


def answer(decode: Callable[[str, Shots | None], str], messages: list[dict]) -> str:
    """The reply text for chat `messages`; `decode(vibe, shots) -> JSON text` is the constrained decoder
    (shots None: the request had no demos)."""
    vibe, frame = vibe_and_frame(messages)
    config = decode(vibe, demos(messages) or None)
    if frame is None:
        return config
    return f"[[ ## {frame} ## ]]\n{config}\n\n[[ ## completed ## ]]"


def completion_response(model: str, content: str, prompt_tokens: int = 0, completion_tokens: int = 0) -> dict[str, Any]:
    """An OpenAI chat.completion object."""
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens},
    }
