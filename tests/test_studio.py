"""The studio's API (#26 item 5) without a browser: versions, refine, controls, the queue, files, errors, token."""

from __future__ import annotations

import json
import threading

import pytest
from fastapi.testclient import TestClient

from vibesynth.studio.server import create_app


@pytest.fixture
def client(tmp_path):
    return TestClient(create_app(tmp_path / "studio", duration=1.0))


def test_a_vibe_renders_refines_and_sets_a_control_with_history(client, tmp_path):
    made = client.post("/api/render", json={"vibe": "rainy afternoon in Tokyo"}).json()
    assert made["version"] == 1 and made["label"] == "rainy afternoon in Tokyo"
    wav = client.get(f"/{made['audio']}")
    assert wav.status_code == 200 and wav.content[:4] == b"RIFF"
    refined = client.post("/api/refine", json={"version": 1, "instruction": "slower, no drums"}).json()
    assert refined["version"] == 2 and {c["field"] for c in refined["changes"]} <= {"tempo", "rhythm"}
    assert refined["config"]["rhythm"] == "none"
    controlled = client.post("/api/set", json={"version": 2, "field": "brightness", "value": "very_bright"}).json()
    assert controlled["config"]["brightness"] == "very_bright"
    sidecar = json.loads((tmp_path / "studio" / "0003.json").read_text())
    assert [s["instruction"] for s in sidecar["history"]] == ["slower, no drums", "brightness = very_bright"]
    import vibesynth

    assert vibesynth.replay(sidecar).brightness == "very_bright"
    versions = client.get("/api/versions").json()["versions"]
    assert [v["version"] for v in versions] == [1, 2, 3]


def test_a_restarted_studio_shows_what_was_made(client, tmp_path):
    client.post("/api/render", json={"vibe": "a quiet library"})
    again = TestClient(create_app(tmp_path / "studio", duration=1.0))
    assert [v["label"] for v in again.get("/api/versions").json()["versions"]] == ["a quiet library"]


def test_bad_asks_get_one_readable_line(client):
    assert client.post("/api/render", json={}).status_code == 422
    client.post("/api/render", json={"vibe": "dusk"})
    bad = client.post("/api/refine", json={"version": 1, "instruction": "make it better"})
    assert bad.status_code == 422 and "reads as an edit" in bad.json()["detail"]
    wrong = client.post("/api/set", json={"version": 1, "field": "tempo", "value": "glacial"})
    assert wrong.status_code == 422 and "tempo" in wrong.json()["detail"]
    assert client.post("/api/refine", json={"version": 9, "instruction": "darker"}).status_code == 404
    assert client.get("/files/../../etc/passwd").status_code == 404
    assert client.get("/files/0001.txt").status_code == 404


def test_renders_run_one_at_a_time(tmp_path, monkeypatch):
    from vibesynth.studio import server

    running, most = [0], [0]
    lock = threading.Lock()
    real = server.Studio.render

    def counted(self, source):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            return real(self, source)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(server.Studio, "render", counted)
    client = TestClient(create_app(tmp_path / "studio", duration=1.0))
    threads = [threading.Thread(target=client.post, args=("/api/render",), kwargs={"json": {"vibe": f"vibe {i}"}}) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1 and len(client.get("/api/versions").json()["versions"]) == 3


def test_a_token_guards_everything_but_the_script(tmp_path):
    client = TestClient(create_app(tmp_path / "studio", token="s3cret", duration=1.0))
    assert client.get("/").status_code == 401
    assert client.get("/api/versions").status_code == 401
    assert client.get("/static/studio.js").status_code == 200
    assert client.get("/api/versions", headers={"X-Studio-Token": "s3cret"}).status_code == 200
    assert client.get("/?token=s3cret").status_code == 200


def test_the_cli_refuses_to_serve_beyond_localhost_without_a_token():
    from typer.testing import CliRunner

    from vibesynth.cli import app

    result = CliRunner().invoke(app, ["studio", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "--token" in result.output
