"""Chat messages in, the student's config out: what the served endpoint and the DSPy LM both answer.

The vibe is the `vibe` field of a DSPy ChatAdapter message (`[[ ## vibe ## ]]`),
else the whole last user message. The reply is the constrained decoder's
config: inside DSPy's `[[ ## config ## ]] ... [[ ## completed ## ]]` frame when
the request used that frame, else the bare JSON object.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

_FIELD = re.compile(r"\[\[ ## (\w+) ## \]\]")


def _content(message: dict) -> str:
    content = message.get("content", "")
    if isinstance(content, list):  # OpenAI content parts
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content or "")


def vibe_and_frame(messages: list[dict]) -> tuple[str, str | None]:
    """(the vibe, the DSPy output field to frame the answer in, or None for bare JSON)."""
    users = [m for m in messages if m.get("role") == "user"]
    if not users:
        raise ValueError("the request has no user message; send the vibe as a user message")
    text = _content(users[-1])
    match = re.search(r"\[\[ ## vibe ## \]\]\s*(.*?)\s*(?=\[\[ ## |\Z)", text, flags=re.S)
    vibe = (match.group(1) if match else text).strip()
    if not vibe:
        raise ValueError("the user message holds no vibe text")
    system = " ".join(_content(m) for m in messages if m.get("role") == "system")
    outputs = re.search(r"Your output fields are:(.*?)(?:All interactions|\Z)", system, flags=re.S)
    frame = None
    if match and outputs:
        names = re.findall(r"`(\w+)`", outputs.group(1))
        frame = names[0] if names else "config"
    return vibe, frame


def answer(decode, messages: list[dict]) -> str:
    """The reply text for chat `messages`; `decode(vibe) -> JSON text` is the constrained decoder."""
    vibe, frame = vibe_and_frame(messages)
    config = decode(vibe)
    if frame is None:
        return config
    return f"[[ ## {frame} ## ]]\n{config}\n\n[[ ## completed ## ]]"


def completion_response(model: str, content: str, prompt_tokens: int = 0, completion_tokens: int = 0) -> dict[str, Any]:
    """An OpenAI chat.completion object."""
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}", "object": "chat.completion", "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }
