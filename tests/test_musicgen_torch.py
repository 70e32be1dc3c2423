"""MusicGen (#28) on a tiny randomly initialised MusicGen of the real architecture (optimize.musicgen.tiny):
the render engine, the eval suite's audio producer, the Modal app run locally, and the LoRA fine-tune.

Needs .venv-train (`make train-env`); `make test` runs these there (marker `torch`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("transformers", reason="the MusicGen tests run in .venv-train (make train-env)")
pytest.importorskip("peft", reason="the MusicGen tests run in .venv-train (make train-env)")
pytestmark = pytest.mark.torch

import torch  # noqa: E402
from safetensors.torch import load_file  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from optimize.musicgen.model import MusicGen  # noqa: E402
from optimize.musicgen.tiny import build_tiny  # noqa: E402
from tools.audio_io import read_audio, write_audio  # noqa: E402
from vibesynth.cli.app import app  # noqa: E402

runner = CliRunner()
VIBE = "warm rain at night"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return build_tiny(tmp_path_factory.mktemp("tiny-musicgen"))


@pytest.fixture(scope="module")
def model(tiny) -> MusicGen:
    return MusicGen(tiny, threads=1)


def test_generate_gives_exact_length_and_is_bit_identical_per_seed(model):
    first = model.generate(VIBE, 0.5, seed=1)
    assert first.shape == (16000,) and first.dtype == np.float32 and np.all(np.isfinite(first)) and np.any(first)
    assert np.array_equal(first, model.generate(VIBE, 0.5, seed=1))
    assert not np.array_equal(first, model.generate(VIBE, 0.5, seed=2))
    state = torch.get_rng_state()
    model.generate(VIBE, 0.2, seed=5)
    assert torch.equal(state, torch.get_rng_state()), "generation leaked into the caller's torch random state"


def _render(out: Path, *extra: str):
    return runner.invoke(app, ["render", "--vibe", VIBE, "-o", str(out), "--duration", "1", *extra])


def test_render_engine_musicgen_writes_the_synths_wav_and_sidecar_shape(tiny, tmp_path):
    args = ("--engine", "musicgen", "--checkpoint", str(tiny), "--seed", "3")
    first, again, synth = tmp_path / "a.wav", tmp_path / "b.wav", tmp_path / "synth.wav"
    assert _render(first, *args).exit_code == 0
    assert _render(again, *args).exit_code == 0
    assert _render(synth).exit_code == 0
    assert first.read_bytes() == again.read_bytes()
    audio, rate = read_audio(first)
    assert rate == 44100 and audio.shape == (44100, 2) and np.array_equal(audio[:, 0], audio[:, 1])
    meta, synth_meta = json.loads(first.with_suffix(".json").read_text()), json.loads(synth.with_suffix(".json").read_text())
    assert set(synth_meta) - {"matched_terms", "note"} <= set(meta)
    assert meta["config"] is None and meta["engine"] == "musicgen" and meta["vibe"] == VIBE and meta["seed"] == 3
    assert meta["musicgen"]["checkpoint"] == str(tiny) and meta["musicgen"]["codebooks"] == 4
    assert abs(meta["integrated_lufs"] - -16.0) <= 0.5 and meta["true_peak_dbtp"] <= -1.0


def _one_line_error(result, *needles: str) -> None:
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert len(lines) == 1 and all(needle in lines[0] for needle in needles), result.output


def test_missing_or_broken_checkpoints_are_one_line(tmp_path, monkeypatch):
    missing = tmp_path / "nowhere"
    _one_line_error(
        _render(tmp_path / "x.wav", "--engine", "musicgen", "--checkpoint", str(missing)),
        f"musicgen checkpoint not found at {missing}",
        "huggingface-cli download facebook/musicgen-small",
    )
    monkeypatch.setenv("VIBESYNTH_MUSICGEN_CHECKPOINT", str(tmp_path / "from-env"))
    _one_line_error(_render(tmp_path / "x.wav", "--engine", "musicgen"), str(tmp_path / "from-env"))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{}")
    _one_line_error(_render(tmp_path / "x.wav", "--engine", "musicgen", "--checkpoint", str(broken)), "is not a loadable MusicGen checkpoint")
    _one_line_error(_render(tmp_path / "x.wav", "--engine", "musicgen", "--set", "tempo=fast"), "give only --vibe TEXT")
    assert not (tmp_path / "x.wav").exists()


def test_modal_functions_run_locally_and_match_local_generation(tiny, model, monkeypatch):
    from optimize.musicgen import modal_app
    from optimize.musicgen.remote import call, decode
    from tools.errors import ScorerError

    from judge_server import serving

    assert modal_app.app.name == "vibesynth-musicgen" and modal_app.GPU
    assert modal_app.ENV["VIBESYNTH_MUSICGEN_CHECKPOINT"].startswith("/weights/")
    expected = model.generate(VIBE, 0.4, seed=7)
    mono, rate, described = decode(modal_app.generate.local(VIBE, 0.4, 7, str(tiny)), "generate.local")
    assert rate == 32000 and np.array_equal(mono, expected) and described["checkpoint"] == str(tiny)
    monkeypatch.setenv("VIBESYNTH_MUSICGEN_TOKEN", "tok")
    with serving(modal_app.serve.local()) as url:
        mono, _, _ = call(url + "/", {"vibe": VIBE, "seconds": 0.4, "seed": 7, "checkpoint": str(tiny)})
        assert np.array_equal(mono, expected)
        monkeypatch.setenv("VIBESYNTH_MUSICGEN_TOKEN", "wrong")
        with pytest.raises(ScorerError, match="refused"):
            call(url + "/", {"vibe": VIBE, "seconds": 0.4, "seed": 7, "checkpoint": str(tiny)})


@pytest.fixture(scope="module")
def pairs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pairs")
    rng = np.random.default_rng(0)
    rows = []
    for index, vibe in enumerate(["warm rain at night", "bright sunny morning", "dark city pulse"]):
        t = np.arange(int(1.5 * 44100)) / 44100
        mono = (0.3 * np.sin(2 * np.pi * (220 + 110 * index) * t) + 0.05 * rng.standard_normal(t.shape)).astype(np.float32)
        write_audio(folder / f"c{index}.wav", np.stack([mono, mono], axis=1), 44100)
        rows.append({"vibe": vibe, "audio": f"c{index}.wav"})
    (folder / "pairs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return folder / "pairs.jsonl"


def _lora(data: Path, out: Path, tiny: Path, max_steps: int, **extra) -> list[str]:
    return [
        "distill",
        "musicgen-lora",
        "--data",
        str(data),
        "-o",
        str(out),
        "--checkpoint",
        str(tiny),
        "--max-steps",
        str(max_steps),
        "--clip-seconds",
        "1",
        "--save-steps",
        "1",
        "--logging-steps",
        "1",
        "--warmup-steps",
        "0",
        "--learning-rate",
        "0.01",
        "--threads",
        "1",
        *[str(x) for item in extra.items() for x in item],
    ]


def test_lora_step_changes_the_adapter_and_a_rerun_resumes(tiny, pairs, tmp_path):
    out = tmp_path / "run"
    first = runner.invoke(app, _lora(pairs, out, tiny, 1))
    assert first.exit_code == 0, first.output
    adapter = load_file(str(out / "checkpoint-1" / "adapter_model.safetensors"))
    lora_b = [name for name in adapter if "lora_B" in name]
    assert lora_b and all("decoder.layers" in name for name in adapter)
    assert any(torch.count_nonzero(adapter[name]) > 0 for name in lora_b), "one step left every lora_B at its zero init"
    base, merged = load_file(str(tiny / "model.safetensors")), load_file(str(out / "model" / "model.safetensors"))
    changed = [name for name in base if name in merged and not torch.equal(base[name], merged[name])]
    assert changed and all("attn" in name for name in changed)
    settings = json.loads((out / "run.json").read_text())
    assert (settings["lora_r"], settings["lora_alpha"], settings["batch_size"], settings["grad_accum"]) == (12, 24, 2, 4)
    assert (out / "loss.png").is_file() and MusicGen(out / "model").generate(VIBE, 0.2, 0).shape == (6400,)
    second = runner.invoke(app, _lora(pairs, out, tiny, 2))
    assert second.exit_code == 0, second.output
    steps = [json.loads(line)["step"] for line in (out / "log.jsonl").read_text().splitlines()]
    assert steps[0] == 1 and max(steps) == 2 and (out / "checkpoint-2").is_dir()
    assert json.loads((out / "result.json").read_text())["global_step"] == 2
    _one_line_error(runner.invoke(app, _lora(pairs, out, tiny, 2, **{"--lora-r": 4})), "holds a run with other settings", "lora_r")


def test_modal_lora_function_runs_locally(tiny, pairs, tmp_path):
    from optimize.musicgen import modal_app

    result = modal_app.train_run.local(
        {
            "data": str(pairs),
            "out": str(tmp_path / "m"),
            "checkpoint": str(tiny),
            "max_steps": 1,
            "clip_seconds": 1.0,
            "save_steps": 1,
            "warmup_steps": 0,
            "device": "cpu",
            "threads": 1,
        },
        root=str(tmp_path),
    )
    assert result["global_step"] == 1 and Path(result["model"], "config.json").is_file()


def test_eval_suite_scores_musicgen_beside_rule_and_its_clips_make_a_listening_pack(tiny, tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_MUSICGEN_CHECKPOINT", str(tiny))
    out = tmp_path / "eval"
    result = runner.invoke(
        app, ["eval", "--producers", "musicgen,rule", "--split", "test", "--limit", "4", "--duration", "1", "-o", str(out), "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    results = json.loads((out / "results.json").read_text())
    mine, rule = results["metrics"]["musicgen"], results["metrics"]["rule"]
    assert mine["reward"]["n"] == 4 and 0 <= mine["reward"]["mean"] <= 1 and mine["latency_ms"]["n"] == 4
    assert mine["validity"]["n"] == 0 and mine["schema_score"]["n"] == 0 and rule["validity"]["n"] == 4
    assert "musicgen" not in results["controllability"]["producers"]
    assert results["producers"]["musicgen"]["makes"] == "audio" and results["producers"]["musicgen"]["usd_per_hour"] is None
    rows = [json.loads(line) for line in (out / "examples.jsonl").read_text().splitlines()]
    audio_rows = [r for r in rows if r["producer"] == "musicgen"]
    assert all(r["valid"] is None and r["not_applicable"] and r["cost_usd"] is None for r in audio_rows)
    assert "Audio producers (`musicgen`)" in (out / "report.md").read_text()
    clips = out / "clips" / "musicgen"
    audio, rate = read_audio(clips / f"{audio_rows[0]['id']}.wav")
    assert rate == 22050 and audio.shape == (22050, 2)
    from vibesynth.api import render

    synth = tmp_path / "rule"
    for row in audio_rows:
        render(row["vibe"], duration=1.0).save(synth / f"{row['id']}.wav")
    pack = runner.invoke(app, ["listen", "build", "--system", f"musicgen={clips}", "--system", f"rule={synth}", "--out", str(tmp_path / "pack")])
    assert pack.exit_code == 0, pack.output
    manifest = json.loads((tmp_path / "pack" / "manifest.json").read_text())
    assert set(manifest["systems"]) == {"musicgen", "rule"} and len(manifest["pairs"]) == 4
