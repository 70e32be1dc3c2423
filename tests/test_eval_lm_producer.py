"""The `lm:` producer through the DSPy vibe program against a scripted OpenAI-compatible server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from optimize.eval.report import aggregate
from optimize.eval.run import EvalSettings, run_eval
from tools.schema import EXAMPLE


class ConfigServer:
    """Answers the n-th chat request with the n-th reply, in DSPy's chat format."""

    def __init__(self, replies: list[str]) -> None:
        self.replies, self.requests = list(replies), []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append(body)
                reply = outer.replies[min(len(outer.requests), len(outer.replies)) - 1]
                payload = json.dumps({
                    "id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": "stop", "message": {
                        "role": "assistant", "content": f"[[ ## config ## ]]\n{reply}\n\n[[ ## completed ## ]]"}}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"


@pytest.fixture()
def server():
    typo = json.dumps({**EXAMPLE, "mode": "minr"})
    # vibe 1: a typo, fixed after feedback; vibe 2: the typo three times (fails after 2 retries).
    srv = ConfigServer([typo, json.dumps(EXAMPLE), typo, typo, typo])
    yield srv
    srv.httpd.shutdown()


def test_lm_producer_counts_retries_and_scores_failed_output(server, tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    split = tmp_path / "s.jsonl"
    split.write_text('{"id": "a", "vibe": "dark cave"}\n{"id": "b", "vibe": "sunny beach"}\n')
    settings = EvalSettings(producers=["lm:openai/scripted"], split=str(split), judge="dsp", duration=1.0,
                            sample_rate=16000, api_base=server.url, controllability=False)
    run = run_eval(settings, tmp_path / "run", quiet=True)
    first, second = run.rows
    assert first["valid"] and first["attempts"] == 2 and first["reward"] > 0
    assert not second["valid"] and second["attempts"] == 3 and second["reward"] == 0.0
    # The failed answer still gets the granular score: every field but the mistyped mode (near miss, 0.3).
    assert 0.9 < second["schema_score"] < 1.0
    assert len(server.requests) == 5
    metrics = aggregate(run)["metrics"]["lm:openai/scripted"]
    assert metrics["validity"]["mean"] == 0.5 and metrics["dsp_obj"]["n"] == 1
