"""`vibesynth render`: round trip with sidecar, config resolution, readable errors (exit 2, no traceback)."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from tools.audio_io import read_audio
from tools.errors import ConfigError
from tools.schema import EXAMPLE
from vibesynth.api import resolve
from vibesynth.cli.app import app

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, ["render", *args])


def test_vibe_round_trip_writes_wav_and_sidecar(tmp_path):
    out = tmp_path / "rain.wav"
    result = _run("--vibe", "rainy afternoon in Tokyo", "--duration", "2", "--seed", "3", "-o", str(out))
    assert result.exit_code == 0, result.output
    audio, rate = read_audio(out)
    assert rate == 44100 and audio.shape == (88200, 2)
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["mapper"] == "rule-based (reference.vibe_mapper)"
    assert meta["seed"] == 3 and meta["duration"] == 2.0 and meta["sample_rate"] == 44100
    assert meta["config"]["texture"] == "noise_wash" and "rainy" in meta["matched_terms"]
    assert abs(meta["integrated_lufs"] + 16) < 0.5 and meta["true_peak_dbtp"] <= -1.0


def test_config_file_48k_pcm16_and_target(tmp_path):
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps(EXAMPLE))
    clash = _run("--config", str(cfg), "-o", str(tmp_path / "c.wav"))
    assert clash.exit_code == 2 and "would overwrite the config" in clash.output
    out = tmp_path / "out.wav"
    result = _run("--config", str(cfg), "--duration", "1.5", "--sample-rate", "48000", "--pcm16", "--target-lufs", "-20", "-o", str(out))
    assert result.exit_code == 0, result.output
    audio, rate = read_audio(out)
    assert rate == 48000 and audio.shape == (72000, 2)
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["source"] == "config file" and meta["mapper"] is None and meta["sample_format"] == "pcm16"
    assert abs(meta["integrated_lufs"] + 20) < 0.5
    # same config + seed through the CLI twice -> same samples
    again = tmp_path / "d.wav"
    result = _run("--config", str(cfg), "--duration", "1.5", "--sample-rate", "48000", "--pcm16", "--target-lufs", "-20", "-o", str(again))
    assert result.exit_code == 0, result.output
    assert np.array_equal(read_audio(again)[0], audio)


@pytest.mark.parametrize(
    "args,message",
    [
        ([], "exactly one config source"),
        (["--vibe", "x", "--config", "c.json"], "exactly one config source"),
        (["--config", "missing.json"], "config file missing.json not found"),
        (["--vibe", "x", "--duration", "0"], "--duration"),
        (["--vibe", "x", "--sample-rate", "22050"], "44100 or 48000"),
        (["--vibe", "x", "--target-lufs", "3"], "--target-lufs"),
        (["--vibe", "   "], "--vibe is empty"),
        (["--vibe", "x", "--seed", "-1"], "--seed"),
        (["--vibe", "x", "--lm", ""], "--lm is empty"),
    ],
)
def test_bad_input_exits_2_with_a_readable_message(tmp_path, args, message):
    result = _run(*args, "-o", str(tmp_path / "o.wav"))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_config_files_name_the_problem(tmp_path):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{nope")
    result = _run("--config", str(bad_json), "-o", str(tmp_path / "o.wav"))
    assert result.exit_code == 2 and "not valid JSON" in result.output
    typo = tmp_path / "typo.json"
    typo.write_text(json.dumps({**EXAMPLE, "bass": "arpbass"}))
    result = _run("--config", str(typo), "-o", str(tmp_path / "o.wav"))
    assert result.exit_code == 2 and "arp_bass" in result.output


def test_float_flac_is_refused_with_the_fix(tmp_path):
    result = _run("--vibe", "calm", "--duration", "1", "-o", str(tmp_path / "o.flac"))
    assert result.exit_code == 2 and "--pcm16" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o.flac").exists()


def test_unwritable_output(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = _run("--vibe", "calm", "--duration", "1", "-o", str(blocker / "sub" / "o.wav"))
    assert result.exit_code == 2 and "cannot write" in result.output


def test_resolve_config_contract(tmp_path):
    config, provenance = resolve("sparse ocean")
    assert config.density == 2 and provenance["mapper"].startswith("rule-based")
    with pytest.raises(ConfigError, match="describe a vibe"):
        resolve(None)
