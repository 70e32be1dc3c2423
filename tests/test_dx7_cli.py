import json

from typer.testing import CliRunner

from tests.dx7_support import require_factory
from tools.audio_io import read_audio
from tools.dx7 import sysex
from tools.loudness import true_peak_dbtp
from vibesynth.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def test_factory_bank_lists_extracts_renders_and_packs(tmp_path):
    require_factory()
    listed = run("dx7", "bank", "list", "factory")
    assert listed.exit_code == 0 and "E.PIANO 1" in listed.output and "128 voices" in listed.output
    assert run("dx7", "bank", "extract", "factory", "--voice", "11", "-o", str(tmp_path / "ep.json")).exit_code == 0
    assert json.loads((tmp_path / "ep.json").read_text())["name"] == "E.PIANO 1"
    assert run("dx7", "bank", "extract", "factory", "--voice", "11", "--form", "seed", "-o", str(tmp_path / "ep12.json")).exit_code == 0
    r = run("dx7", "render", str(tmp_path / "ep12.json"), "--note", "60", "--velocity", "100", "-o", str(tmp_path / "x.wav"))
    assert r.exit_code == 0, r.output
    audio, rate = read_audio(tmp_path / "x.wav")
    assert rate == 44100 and audio.shape[1] == 2 and true_peak_dbtp(audio) <= -1.0 + 1e-6
    assert run("dx7", "render", "factory:1", "--chord", "60,64,67", "--sample-rate", "48000", "-o", str(tmp_path / "c.wav")).exit_code == 0
    assert run("dx7", "bank", "pack", str(tmp_path / "ep.json"), "factory:1", "-o", str(tmp_path / "b.syx")).exit_code == 0
    names = [e.voice.name for e in sysex.read(tmp_path / "b.syx")]
    assert names[:2] == ["E.PIANO 1", "BRASS   1"] and len(names) == 32


def test_design_and_errors(tmp_path):
    r = run("dx7", "design", "bright metallic bell", "-o", str(tmp_path / "bell.syx"))
    assert r.exit_code == 0 and len(sysex.read(tmp_path / "bell.syx")) == 1
    bad = run("dx7", "render", str(tmp_path / "missing.syx"), "-o", str(tmp_path / "y.wav"))
    assert bad.exit_code == 2 and "does not exist" in bad.output
    (tmp_path / "bad.json").write_text(json.dumps({"algorithm": 33}))
    bad = run("dx7", "render", str(tmp_path / "bad.json"), "-o", str(tmp_path / "y.wav"))
    assert bad.exit_code == 2 and "algorithm: 33 is out of range; use 1..32" in bad.output


def test_match_cli_writes_voice_and_report(tmp_path):
    require_factory()
    r = run("dx7", "match", "factory:11", "--trials", "5", "-o", str(tmp_path / "m"))
    assert r.exit_code == 0, r.output
    report = json.loads((tmp_path / "m" / "report.json").read_text())
    assert report["best_distance"] <= report["start_distance"]
    assert set(report["held_out_matched"]) == {"mrstft", "log_mel", "mcd", "rms_cos"}
    assert len(sysex.read(tmp_path / "m" / "matched.syx")) == 1
