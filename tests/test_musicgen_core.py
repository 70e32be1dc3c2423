"""MusicGen (#28) from the core .venv, which never has torch: clean one-line errors, the checkpoint lookup,
the remote wire format, and the LoRA's pair reading. The model itself is tested in test_musicgen_torch.py."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from optimize.musicgen.remote import check_remote, decode, encode
from optimize.musicgen.weights import ENV, require_checkpoint
from tools.errors import ConfigError, InputError
from vibesynth.cli.app import app

runner = CliRunner()
CORE = importlib.util.find_spec("torch") is None


def _error_lines(result) -> list[str]:
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    return [line for line in result.output.splitlines() if line.startswith("error:")]


@pytest.mark.skipif(not CORE, reason="checks the core environment, which has no torch")
def test_core_env_points_musicgen_users_to_the_training_env(tmp_path):
    render = runner.invoke(app, ["render", "--engine", "musicgen", "--vibe", "rain", "-o", str(tmp_path / "x.wav")])
    lora = runner.invoke(app, ["distill", "musicgen-lora", "--data", str(tmp_path), "-o", str(tmp_path / "run")])
    for result in (render, lora):
        lines = _error_lines(result)
        assert len(lines) == 1 and ".venv-train/bin/vibesynth" in lines[0] and "make train-env" in lines[0]
    assert not (tmp_path / "x.wav").exists() and not (tmp_path / "run").exists()


def test_engine_options_are_checked_before_anything_loads(tmp_path):
    cases = {
        ("--engine", "midi"): "is not an engine",
        ("--engine", "ambient", "--remote", "modal"): "belong to --engine musicgen",
        ("--engine", "musicgen", "--remote", "ftp://x"): "neither `modal` nor an http(s) URL",
        ("--engine", "musicgen", "--duration", "45"): "at most 30 s",
    }
    for extra, needle in cases.items():
        lines = _error_lines(runner.invoke(app, ["render", "--vibe", "rain", "-o", str(tmp_path / "x.wav"), *extra]))
        assert len(lines) == 1 and needle in lines[0], (extra, lines)


def test_checkpoint_lookup_order_and_message(tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(ConfigError, match="checkpoints/musicgen-small .*huggingface-cli download facebook/musicgen-small"):
        require_checkpoint()
    folder = tmp_path / "ckpt"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    monkeypatch.setenv(ENV, str(folder))
    assert require_checkpoint() == folder
    assert require_checkpoint(tmp_path / "ckpt") == folder
    with pytest.raises(ConfigError, match="--checkpoint DIR"):
        require_checkpoint(tmp_path / "other")


def test_wire_payload_round_trips_and_refuses_broken_answers():
    mono = np.linspace(-0.5, 0.5, 321, dtype=np.float32)
    back, rate, model = decode(encode(mono, 32000, {"checkpoint": "x"}), "test")
    assert np.array_equal(back, mono) and rate == 32000 and model == {"checkpoint": "x"}
    broken = {**encode(mono, 32000, {}), "frames": 5}
    with pytest.raises(InputError, match="expected 5"):
        decode(broken, "the app")
    with pytest.raises(InputError, match="no usable audio"):
        decode({"detail": "oops"}, "the app")
    assert check_remote("modal") == "modal" and check_remote("https://x.modal.run") == "https://x.modal.run"


def test_pairs_come_from_jsonl_or_render_sidecars_and_bad_rows_are_named(tmp_path):
    from optimize.musicgen.pairs import read_pairs
    from tools.audio_io import write_audio

    write_audio(tmp_path / "a.wav", np.zeros((4410, 2), np.float32), 44100)
    (tmp_path / "a.json").write_text(json.dumps({"vibe": "slow rain", "engine": "tools.ambient"}))
    (tmp_path / "pairs.jsonl").write_text(json.dumps({"vibe": "slow rain", "audio": "a.wav"}) + "\n")
    assert [(p.vibe, p.audio.name) for p in read_pairs(tmp_path)] == [("slow rain", "a.wav")]
    assert [(p.vibe, p.audio) for p in read_pairs(tmp_path / "pairs.jsonl")] == [("slow rain", tmp_path / "a.wav")]
    (tmp_path / "bad.jsonl").write_text(json.dumps({"vibe": "x", "audio": "missing.wav"}) + "\n")
    with pytest.raises(ConfigError, match="line 1: no audio file"):
        read_pairs(tmp_path / "bad.jsonl")
    with pytest.raises(ConfigError, match="no such file or folder"):
        read_pairs(tmp_path / "nowhere")
