"""The student pipeline on the tiny random Gemma3 (real tokenizer): SFT, GRPO, decoding, export, serving, Modal.

Needs .venv-train (`make train-env`); `make test` runs these there (marker `torch`).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("trl", reason="the student tests run in .venv-train (make train-env)")
pytestmark = pytest.mark.torch

import torch  # noqa: E402
from safetensors.torch import load_file  # noqa: E402

from agent.student.model import Student  # noqa: E402
from optimize.distill import rewards  # noqa: E402
from optimize.distill.base import resolve  # noqa: E402
from optimize.distill.train import dpo_settings, grpo_settings, sft_settings, train  # noqa: E402
from optimize.render_score import Clip  # noqa: E402
from tools.errors import ConfigError  # noqa: E402
from tools.schema import EXAMPLE, FIELDS, MusicConfig, choices  # noqa: E402

VIBES = [
    "rain on a tin roof",
    "neon city at 3am",
    "sunrise over a frozen lake",
    "dusty desert road",
    "cathedral of glass",
    "underwater cave",
    "busy morning market",
    "lonely lighthouse",
]


def _records(count: int = 8) -> list[dict]:
    out = []
    for index in range(count):
        config = dict(EXAMPLE)
        for field in ("tempo", "mode", "bass", "pad"):  # vary a few fields so the targets differ
            values = choices(field)
            config[field] = values[index % len(values)]
        out.append({"id": f"t{index}", "vibe": VIBES[index % len(VIBES)], "config": config})
    return out


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    lines = "".join(json.dumps(r) + "\n" for r in _records())
    (folder / "train.jsonl").write_text(lines)
    (folder / "test.jsonl").write_text(lines)
    (folder / "val.jsonl").write_text(lines)
    return folder


@pytest.fixture(scope="module")
def tiny() -> Path:
    return resolve("tiny")


def _weights(folder: Path) -> dict[str, torch.Tensor]:
    return load_file(str(folder / "model.safetensors"))


def _changed(before: dict, after: dict) -> list[str]:
    return [name for name in before if not torch.equal(before[name], after[name])]


@pytest.fixture(scope="module")
def sft_run(tiny, data, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sft")
    train(sft_settings(model="tiny", data=str(data), out=str(out), max_steps=2, batch_size=4, save_steps=1, learning_rate=1e-2, threads=1))
    return out


def test_sft_steps_change_the_weights_and_write_log_settings_plot_checkpoints(tiny, sft_run):
    changed = _changed(_weights(tiny), _weights(sft_run / "model"))
    assert any("proj" in name for name in changed), "the merged LoRA left every projection unchanged"
    log = [json.loads(line) for line in (sft_run / "log.jsonl").read_text().splitlines()]
    losses = [r["loss"] for r in log if "loss" in r]
    assert len(losses) == 2 and all(loss > 0 for loss in losses)
    assert all(r["steps_per_s"] > 0 for r in log if r.get("steps_per_s"))
    assert json.loads((sft_run / "run.json").read_text())["lora_r"] == 32
    assert (sft_run / "sft.png").stat().st_size > 1000
    assert (sft_run / "checkpoint-2").is_dir()
    assert (sft_run / "model" / "tokenizer.model").is_file()


def test_sft_resumes_from_its_last_checkpoint_and_refuses_other_settings(data, sft_run):
    train(sft_settings(model="tiny", data=str(data), out=str(sft_run), max_steps=3, batch_size=4, save_steps=1, learning_rate=1e-2, threads=1))
    log = [json.loads(line) for line in (sft_run / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in log if "loss" in r] == [1, 2, 3]  # step 3 only was trained the second time

    with pytest.raises(ConfigError, match="other settings"):
        train(sft_settings(model="tiny", data=str(data), out=str(sft_run), max_steps=3, lora_r=8))


def test_dpo_steps_on_candidate_pairs_log_preference_metrics_and_change_the_weights(sft_run, tmp_path):
    records = []
    for r in _records():
        worse = {**r["config"], "tempo": "very_fast" if r["config"]["tempo"] != "very_fast" else "very_slow"}
        records.append({**r, "candidates": [{"config": r["config"], "reward": 0.5}, {"config": worse, "reward": 0.3}]})
    data = tmp_path / "pairs"
    data.mkdir()
    (data / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "dpo"
    train(
        dpo_settings(
            model=str(sft_run / "model"),
            data=str(data),
            out=str(out),
            max_steps=1,
            batch_size=4,
            save_steps=1,
            learning_rate=1e-2,
            warmup_ratio=0.0,
            threads=1,
        )
    )
    assert _changed(_weights(sft_run / "model"), _weights(out / "model"))
    log = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in log if "loss" in r] == [1]
    assert all("rewards/accuracies" in r and "rewards/margins" in r for r in log if "loss" in r)
    assert json.loads((out / "run.json").read_text())["kind"] == "dpo"
    assert (out / "dpo.png").stat().st_size > 1000


def test_lora_layers_trains_only_the_top_decoder_layers(tiny, data, tmp_path):
    out = tmp_path / "top"
    train(
        sft_settings(
            model="tiny",
            data=str(data),
            out=str(out),
            max_steps=1,
            batch_size=4,
            save_steps=1,
            learning_rate=1e-2,
            warmup_ratio=0.0,
            threads=1,
            lora_layers=1,
        )
    )
    changed = _changed(_weights(tiny), _weights(out / "model"))
    top = json.loads((tiny / "config.json").read_text())["num_hidden_layers"] - 1
    assert changed and all(f"layers.{top}." in name for name in changed), changed
    from tools.errors import ConfigError

    with pytest.raises(ConfigError, match="decoder layers"):
        train(sft_settings(model="tiny", data=str(data), out=str(tmp_path / "bad"), max_steps=1, lora_layers=99))


def test_grpo_step_logs_the_reward_decomposition_kl_entropy_and_changes_weights(sft_run, data, tmp_path, monkeypatch):
    real = rewards.reward_functions

    def with_spread(judge, clip):
        # A random tiny model writes no JSON, so the three real rewards are all 0 and every advantage is 0;
        # a length reward gives the group a spread, so the step has a gradient to follow.
        functions, weights = real("dsp", Clip(duration=2.0))

        def length(prompts, completions, **kwargs):
            return [len(str(c)) / 100.0 for c in completions]

        return functions + [length], weights + [1.0]

    monkeypatch.setattr(rewards, "reward_functions", with_spread)
    out = tmp_path / "grpo"
    final = train(
        grpo_settings(
            model=str(sft_run / "model"),
            data=str(data),
            out=str(out),
            max_steps=1,
            batch_size=4,
            num_generations=4,
            max_completion_length=24,
            learning_rate=5e-2,
            threads=1,
            limit=4,
        )
    )
    assert _changed(_weights(sft_run / "model"), _weights(final))
    record = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()][0]
    for key in (
        "rewards/format/mean",
        "rewards/schema/mean",
        "rewards/audio/mean",
        "rewards/explicit/mean",
        "rewards/distinct/mean",
        "kl",
        "entropy",
        "json_valid_pct",
    ):
        assert key in record, key
    heldout = [r for r in (json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()) if "heldout_reward" in r]
    assert [r["step"] for r in heldout] == [1] and heldout[0]["heldout_n"] == len(VIBES) and 1 <= heldout[0]["heldout_distinct"] <= len(VIBES)
    assert json.loads((out / "result.json").read_text())["best_heldout"] == heldout[0]
    assert (out / "best" / "adapter_model.safetensors").is_file()
    assert (out / "grpo.png").is_file()


def test_constrained_decoding_never_emits_an_invalid_config(tiny):
    student = Student(tiny, threads=1)
    seen = set()
    for vibe in VIBES + ["", "  ", '{"tempo": 7}', "ñandú 🎹 ¿qué?", "a" * 300]:
        decoded = student.decoder(vibe or "silence", student.prompt(vibe or "silence"))
        config = MusicConfig.parse(decoded.text)
        assert list(json.loads(decoded.text)) == list(FIELDS)
        seen.add(decoded.text)
        assert config == decoded.config
    assert student.constrained("rain") == student.constrained("rain")  # greedy: deterministic


def test_loading_the_student_says_what_it_waits_for(tiny, capsys, monkeypatch):
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # stderr as a terminal, where the status line shows
    monkeypatch.setenv("TTY_INTERACTIVE", "1")
    Student(tiny, threads=1)
    assert "loading the student from" in capsys.readouterr().err


def test_decoder_asks_the_model_only_at_branch_points_and_calls_do_not_depend_on_each_other(tiny):
    vibes = ["rain on a tin roof", "neon city at 3am", "dusty desert road"]
    warm = Student(tiny, threads=1)
    forward = [warm.decoder(v) for v in vibes]
    backward = [warm.decoder(v) for v in reversed(vibes)][::-1]
    fresh = [Student(tiny, threads=1).decoder(v) for v in vibes]
    assert [d.text for d in forward] == [d.text for d in backward] == [d.text for d in fresh]
    for decoded in forward:  # keys, quotes and forced value tokens ride along: passes <= branch points < tokens / 2
        assert 0 < decoded.forward_passes < decoded.new_tokens / 2, (decoded.forward_passes, decoded.new_tokens)
    shots = [(VIBES[0], EXAMPLE)]
    assert warm.constrained("cathedral of glass", shots) == Student(tiny, threads=1, shots=shots).constrained("cathedral of glass")


def test_exports_reload_and_agree_with_pytorch(sft_run, data, tmp_path):
    from optimize.distill.export import export_all

    report = export_all(sft_run / "model", tmp_path / "export", ["hf", "gguf", "onnx"], data, 4)
    assert report["hf"]["agree"] == 4 and report["hf"]["checked"] == 4
    assert report["onnx"]["agree"] == 4 and report["onnx"]["checked"] == 4, report["onnx"]["disagreements"]
    assert (tmp_path / "export" / "onnx" / "student.onnx").is_file()
    assert report["gguf"]["checked"] == 4 and Path(report["gguf"]["path"]).stat().st_size > 0
    assert report["gguf"]["agree"] >= 3, report["gguf"]["disagreements"]  # Q8_0 rounding may flip a near tie
    card = (tmp_path / "export" / "hf" / "README.md").read_text()
    assert card.startswith("---\nlibrary_name: transformers") and '"kind": "sft"' in card
    assert (tmp_path / "export" / "hf" / "model.safetensors").is_file()


def test_adapter_export_is_the_merged_model_as_one_lora_over_the_base_and_ships_with_a_card(sft_run, data, tmp_path):
    from agent.student.shipped import MANIFEST, load
    from optimize.distill.adapter import ship
    from optimize.distill.base import gguf_base
    from optimize.distill.export import export_all

    report = export_all(sft_run / "model", tmp_path / "export", ["adapter"], data, 4)
    folder = Path(report["adapter"]["path"])
    assert report["adapter"]["checked"] == 4
    assert report["adapter"]["agree"] >= 3, report["adapter"]["disagreements"]  # Q8_0 rounding may flip a near tie
    info = json.loads((folder / MANIFEST).read_text())
    assert info["base"] == "tiny" and info["rank"] == 32 and info["max_relative_residual"] < 1e-3
    assert info["check"] == {"checked": 4, "agree": report["adapter"]["agree"]}
    assert set(info["sha256"]) == {"adapter.gguf", "tokenizer.json", "tokenizer_config.json"}
    shipped = ship(folder, "| producer | reward |", target=tmp_path / "shipped")
    card = (shipped / "README.md").read_text()
    assert "| producer | reward |" in card and "vibesynth distill sft --model tiny" in card
    student = load(shipped, threads=1, base=gguf_base("tiny")[0])
    assert MusicConfig.parse(student.constrained(VIBES[0]))
    with pytest.raises(ConfigError, match="is not a student adapter folder"):
        load(sft_run / "model")


def test_a_checkpoint_merges_into_a_model_folder_whose_adapter_says_it_is_interim(sft_run, tmp_path):
    from optimize.distill.adapter import card, export_adapter
    from optimize.distill.train import merge_checkpoint

    last = max(int(p.name.split("-")[-1]) for p in sft_run.glob("checkpoint-*"))  # step 1 trains at lr 0 (warmup)
    merged = merge_checkpoint(sft_run)
    assert merged == sft_run / f"model-step-{last}" and (merged / "config.json").is_file()
    assert json.loads((merged / "checkpoint.json").read_text())["step"] == last
    folder = export_adapter(merged, tmp_path / "adapter")
    stage = json.loads((folder / "student.json").read_text())["stages"][0]
    assert stage["checkpoint"]["step"] == last and f"stopped at its step {last} of" in card(folder)
    with pytest.raises(ConfigError, match="no checkpoint 99 to merge"):
        merge_checkpoint(sft_run, 99)


def test_adapter_export_refuses_a_model_whose_other_weights_moved(sft_run, tmp_path):
    import shutil

    from safetensors.torch import save_file

    from optimize.distill.adapter import export_adapter

    run = tmp_path / "run"
    shutil.copytree(sft_run / "model", run / "model")
    shutil.copy(sft_run / "run.json", run / "run.json")
    weights = _weights(run / "model")
    norm = next(name for name in weights if "norm" in name)
    weights[norm] = weights[norm] + 1.0
    save_file(weights, str(run / "model" / "model.safetensors"), metadata={"format": "pt"})
    with pytest.raises(ConfigError, match=f"{norm} differs from the base"):
        export_adapter(run / "model", tmp_path / "adapter")


def test_folder_tokenizer_gives_the_transformers_ids_and_bos(tiny):
    from transformers import AutoTokenizer

    from agent.student.gguf import FolderTokenizer
    from agent.student.prompts import prompt

    reference, ours = AutoTokenizer.from_pretrained(tiny), FolderTokenizer(tiny)
    assert ours.bos_token_id == reference.bos_token_id
    for text in [prompt(vibe) + ' {"tempo":"slow"' for vibe in VIBES] + ["  ünïcode\t\n é  x", ""]:
        assert ours(text)["input_ids"] == reference(text, add_special_tokens=False)["input_ids"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_served_endpoint_answers_dspy_with_valid_configs(tiny):
    import uvicorn

    from agent.lm import build_lm, parse_lm
    from agent.student.serve import build_app
    from agent.vibe import vibe_to_config

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(build_app(tiny, threads=1), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.1)
        lm = build_lm(parse_lm("openai/student", api_base=f"http://127.0.0.1:{port}/v1"))
        result = vibe_to_config("foggy harbour at dawn", lm, retries=0)
        assert isinstance(result.config, MusicConfig) and result.attempts == 1
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_modal_training_function_runs_locally(data, tmp_path):
    from optimize.distill import modal_app

    assert modal_app.app.name == "vibesynth-distill"
    assert modal_app.resolve_output("exp-sft") == "/outputs/exp-sft"
    result = modal_app.train_run.local(
        {
            "kind": "sft",
            "model": "tiny",
            "data": str(data),
            "out": str(tmp_path / "m"),
            "max_steps": 1,
            "batch_size": 2,
            "device": "cpu",
            "threads": 1,
        },
        root=str(tmp_path),
    )
    assert result["global_step"] == 1 and Path(result["model"], "config.json").is_file()


def test_lm_student_path_drives_the_dspy_vibe_program_in_process(tiny):
    from agent.lm import build_lm, parse_lm
    from agent.vibe import vibe_to_config

    result = vibe_to_config("salt wind over the dunes", build_lm(parse_lm(f"student:{tiny}")), retries=0)
    assert isinstance(result.config, MusicConfig) and result.attempts == 1
