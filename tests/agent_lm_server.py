"""A tiny OpenAI-compatible chat server that answers with scripted RLM code blocks (agent tests)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ScriptedChatServer:
    """Serves /v1/chat/completions; the n-th request gets the n-th block in dspy's chat format."""

    def __init__(self, blocks: list[str]) -> None:
        self.blocks = list(blocks)
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                index = len(server.requests) - 1
                block = server.blocks[index] if index < len(server.blocks) else "print(status())"
                content = (
                    f"[[ ## reasoning ## ]]\nstep {index + 1}\n\n[[ ## code ## ]]\n```python\n{block}\n```\n\n"
                    "[[ ## completed ## ]]"
                )
                payload = json.dumps({
                    "id": f"chatcmpl-{index}", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }).encode()
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

    def __enter__(self) -> ScriptedChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
