"""Tiny OpenAI-compatible chat servers with scripted answers in DSPy's chat format (agent and teacher tests)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ChatServer:
    """Serves /v1/chat/completions on loopback; `answer(index, body)` writes the n-th reply's content."""

    def __init__(self, answer: Callable[[int, dict], str]) -> None:
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                index = len(server.requests) - 1
                payload = json.dumps(
                    {
                        "id": f"chatcmpl-{index}",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body["model"],
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": answer(index, body)}, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> ChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class ScriptedChatServer(ChatServer):
    """The n-th request gets the n-th RLM code block (then `print(status())`)."""

    def __init__(self, blocks: list[str]) -> None:
        def answer(index: int, body: dict) -> str:
            block = blocks[index] if index < len(blocks) else "print(status())"
            return f"[[ ## reasoning ## ]]\nstep {index + 1}\n\n[[ ## code ## ]]\n```python\n{block}\n```\n\n[[ ## completed ## ]]"

        super().__init__(answer)


class ConfigChatServer(ChatServer):
    """Answers the vibe program: the n-th request gets the n-th config text (the last one repeats)."""

    def __init__(self, replies: list[str]) -> None:
        super().__init__(lambda index, body: f"[[ ## config ## ]]\n{replies[min(index, len(replies) - 1)]}\n\n[[ ## completed ## ]]")
