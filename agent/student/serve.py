"""`vibesynth serve-lm`: the student behind an OpenAI-compatible endpoint, every answer a valid config.

POST /v1/chat/completions ({"model", "messages"}; sampling options are accepted
and ignored: decoding is greedy and schema-constrained), GET /v1/models,
GET /health. One request decodes at a time (the model is not thread-safe).
"""

from __future__ import annotations

import threading
from pathlib import Path

from agent.student.chat import answer, completion_response


def build_app(model_path: str | Path, threads: int = 1, name: str = "student"):
    from fastapi import FastAPI, HTTPException

    from agent.student.model import Student

    student = Student(model_path, threads=threads)
    lock = threading.Lock()
    app = FastAPI(title="vibesynth student LM")

    @app.get("/health")
    def health() -> dict:
        return {"ok": True, "model": str(student.path)}

    @app.get("/v1/models")
    def models() -> dict:
        return {"object": "list", "data": [{"id": name, "object": "model", "owned_by": "vibesynth"}]}

    @app.post("/v1/chat/completions")
    def chat(body: dict) -> dict:
        messages = body.get("messages")
        if not isinstance(messages, list):
            raise HTTPException(400, "send `messages`: a list of chat messages with the vibe in a user message")
        if body.get("stream"):
            raise HTTPException(400, "streaming is not supported; send stream=false")
        try:
            with lock:
                content = answer(student.constrained, messages)
        except ValueError as err:
            raise HTTPException(400, str(err)) from None
        return completion_response(body.get("model") or name, content)

    return app
