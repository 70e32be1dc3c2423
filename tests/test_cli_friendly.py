"""Friendly configs, the Python API, --version, doctor and the one error path."""

from __future__ import annotations

import json
import os
import stat

import numpy as np
import pytest
from typer.testing import CliRunner

import vibesynth
from reference.vibe_mapper import MOOD_ROOTS, NEUTRAL, map_vibe, matched_terms
from tools.errors import ConfigError
from vibesynth.cli import app, missing_package
from vibesynth.configs import from_mapping, parse_overrides

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, list(args))


def test_partial_config_is_completed_from_neutral_and_listed(tmp_path):
    (tmp_path / "c.json").write_text(json.dumps({"tempo": "fast", "mode": "minor"}))
    out = tmp_path / "o.wav"
    result = _run("render", "--config", str(tmp_path / "c.json"), "--duration", "1", "-o", str(out))
    assert result.exit_code == 0, result.output
    sidecar = json.loads(out.with_suffix(".json").read_text())
    assert sidecar["config"]["tempo"] == "fast" and sidecar["config"]["pad"] == NEUTRAL["pad"]
    assert "tempo" not in sidecar["filled_from_neutral"] and "pad" in sidecar["filled_from_neutral"]


def test_a_sidecar_renders_again_with_overrides(tmp_path):
    first = tmp_path / "a.wav"
    assert _run("render", "--vibe", "rain", "--duration", "1", "-o", str(first)).exit_code == 0
    second = tmp_path / "b.wav"
    result = _run(
        "render",
        "--config",
        str(first.with_suffix(".json")),
        "--set",
        "tempo=very_fast",
        "--set",
        "density=6",
        "--set",
        "depth=yes",
        "--duration",
        "1",
        "-o",
        str(second),
    )
    assert result.exit_code == 0, result.output
    old, new = (json.loads(p.with_suffix(".json").read_text())["config"] for p in (first, second))
    assert new == {**old, "tempo": "very_fast", "density": 6, "depth": True}


@pytest.mark.parametrize(
    "payload, fragment",
    [
        ({"config": {"tempo": "fats"}, "seed": 3, "duration": 60}, 'did you mean "fast"'),
        ({"tempo": "slow", "tempoo": "fast"}, "did you mean 'tempo'"),
    ],
)
def test_sidecar_errors_list_only_real_problems(tmp_path, payload, fragment):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(payload))
    result = _run("render", "--config", str(path), "--duration", "1", "-o", str(tmp_path / "o.wav"))
    assert result.exit_code == 2 and fragment in result.output
    assert "seed" not in result.output and "missing" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("item, message", [("tempo", "FIELD=VALUE"), ("tempx=fast", "did you mean 'tempo'"), ("density=lots", "density")])
def test_bad_overrides(tmp_path, item, message):
    result = _run("render", "--vibe", "rain", "--set", item, "--duration", "1", "-o", str(tmp_path / "o.wav"))
    assert result.exit_code == 2 and message in result.output


def test_overrides_are_typed():
    assert parse_overrides(["density=5", "depth=false", "tempo=FAST"]) == {"density": 5, "depth": False, "tempo": "fast"}
    config, filled = from_mapping({}, {"root": "e"})
    assert config.root == "e" and "root" not in filled and len(filled) == 18


def test_vibe_mapper_roots_follow_the_mood_and_unknown_text_is_neutral():
    assert map_vibe("qwerty zxcv").model_dump(mode="json") == NEUTRAL and matched_terms("qwerty zxcv") == []
    dark = map_vibe("haunted night")
    assert dark.root == MOOD_ROOTS[dark.mode][dark.brightness] != "c"
    assert map_vibe("sunny dawn").root != dark.root
    assert map_vibe("rain in f# dorian").root == "f#"


def test_cli_says_when_the_vibe_matched_nothing(tmp_path):
    result = _run("render", "--vibe", "qwerty zxcv", "--duration", "1", "-o", str(tmp_path / "o.wav"))
    assert result.exit_code == 0 and "neutral default" in result.output


def test_outputs_get_normal_permissions(tmp_path):
    old = os.umask(0o022)
    os.umask(old)
    out = tmp_path / "o.wav"
    assert _run("render", "--vibe", "rain", "--duration", "1", "-o", str(out)).exit_code == 0
    for path in (out, out.with_suffix(".json")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~old


def test_python_api_matches_the_cli(tmp_path):
    piece = vibesynth.render("rainy afternoon in Tokyo", duration=2, seed=1)
    assert piece.audio.shape == (88200, 2) and piece.audio.dtype == np.float32
    assert piece.info["integrated_lufs"] == pytest.approx(-16.0, abs=0.05)
    saved = piece.save(tmp_path / "api.wav")
    assert _run("render", "--vibe", "rainy afternoon in Tokyo", "--duration", "2", "--seed", "1", "-o", str(tmp_path / "cli.wav")).exit_code == 0
    assert saved.read_bytes() == (tmp_path / "cli.wav").read_bytes()
    api_side, cli_side = (json.loads((tmp_path / f"{n}.json").read_text()) for n in ("api", "cli"))
    assert {**api_side, "audio": None} == {**cli_side, "audio": None} and api_side["audio"] == "api.wav"
    assert piece.scores["backend"] == "dsp" and 1 <= piece.scores["OBJ"] <= 10
    assert vibesynth.score(saved).OBJ == pytest.approx(piece.scores["OBJ"], abs=1e-6)
    partial = vibesynth.render({"tempo": "fast"}, duration=1, overrides={"mode": "minor"})
    assert partial.config.mode == "minor" and "mode" not in partial.info["filled_from_neutral"]
    with pytest.raises(ConfigError, match="tempo"):
        vibesynth.render({"tempo": "warp"}, duration=1)


def test_version_and_doctor():
    version = _run("--version")
    assert version.exit_code == 0 and vibesynth.__version__ in version.output
    result = _run("doctor", "--json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    names = {check["name"] for check in report["checks"]}
    assert {"sample library", "sandbox warm (Pyodide cached)", "audiobox checkpoint", "clap checkpoint"} <= names
    for check in report["checks"]:
        assert check["ok"] or (check["blocks"] and check["fix"])


def test_missing_heavy_packages_point_to_the_scorer_env():
    assert ".venv-scorer" in missing_package("torch") and "make scorer-env" in missing_package("torch.nn")
    assert "make setup" in missing_package("dspy")


def test_heavy_backend_without_torch_is_one_line(tmp_path):
    pytest.importorskip("numpy")
    try:
        import torch  # noqa: F401

        pytest.skip("torch is installed here")
    except ImportError:
        pass
    wav = tmp_path / "x.wav"
    vibesynth.render("rain", duration=1).save(wav)
    for backend in ("audiobox", "clap"):
        result = _run("score", str(wav), "--backend", backend, "--text", "rain", "--checkpoint", str(wav))
        assert result.exit_code == 2 and ".venv-scorer" in result.output and "make scorer-env" in result.output


def test_import_vibesynth_is_cheap():
    import subprocess
    import sys

    code = "import sys, vibesynth; print(sorted(m for m in ('numpy', 'scipy', 'dspy', 'typer') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_render_imports_no_scipy_signal_dspy_or_litellm(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from vibesynth.cli import main; sys.argv = ['vibesynth', 'render', '--vibe', 'rain', "
        f"'--duration', '1', '-o', {str(tmp_path / 'o.wav')!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('scipy.signal', 'dspy', 'litellm', 'pyloudnorm') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
