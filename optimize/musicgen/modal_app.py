"""MusicGen on Modal's GPU: generation (a function and an HTTP endpoint) and the LoRA fine-tune.

    modal secret create vibesynth-musicgen VIBESYNTH_MUSICGEN_TOKEN=<token>
    modal deploy optimize/musicgen/modal_app.py
    vibesynth render --engine musicgen --vibe "rain on a tin roof" -o rain.wav --remote modal
    vibesynth eval --producers musicgen:modal,rule --split test          # or musicgen:https://<workspace>--vibesynth-musicgen-serve.modal.run
    modal run optimize/musicgen/modal_app.py --data /outputs/pairs.jsonl --out musicgen-lora

The image installs the training stack pinned as .venv-train's, then
`fetch_weights` runs at build time: facebook/musicgen-small lands in the
image at /weights/musicgen-small (VIBESYNTH_MUSICGEN_CHECKPOINT points
there), so cold starts download nothing. `generate` answers the wire
payload of optimize.musicgen.remote; `serve` is the same over HTTP (bearer
token from the secret). `generate.local(...)` and `serve.local()` run here
(the tests use the tiny model).
"""

from __future__ import annotations

import os
from pathlib import Path

import modal

from optimize.musicgen.remote import APP_NAME, TOKEN_ENV, encode

WEIGHTS = Path("/weights")
OUTPUTS = "/outputs"
REPO_ROOT = Path(__file__).resolve().parents[2]
GPU = "A10G"
SCALEDOWN_WINDOW_S = 120
TRAIN_TIMEOUT_S = 6 * 3600
ENV = {"VIBESYNTH_MUSICGEN_CHECKPOINT": str(WEIGHTS / "musicgen-small"), "HF_HOME": str(WEIGHTS / "hf")}


def fetch_weights() -> None:
    """Build step: download facebook/musicgen-small (model, generation config, processor) into the image."""
    from huggingface_hub import snapshot_download

    snapshot_download("facebook/musicgen-small", local_dir=WEIGHTS / "musicgen-small")


image = (
    modal.Image.debian_slim(python_version="3.11")
    .apt_install("libsndfile1")
    .pip_install("torch==2.13.0")
    .pip_install_from_requirements(str(REPO_ROOT / "optimize" / "distill" / "train-requirements.txt"))
    .pip_install(
        "numpy", "scipy", "pydantic>=2.6", "soundfile", "pyloudnorm", "pedalboard", "rich", "typer", "platformdirs", "matplotlib", "fastapi", "httpx"
    )
    .env(ENV)
    .run_function(fetch_weights)
    .add_local_python_source("tools", "optimize")
)

app = modal.App(APP_NAME, image=image)
volume = modal.Volume.from_name("vibesynth-outputs", create_if_missing=True)
_MODELS: dict[str, object] = {}


def _model(checkpoint: str | None):
    """One loaded model per checkpoint per container (on the GPU when there is one)."""
    import torch

    from optimize.musicgen.model import MusicGen
    from optimize.musicgen.weights import require_checkpoint

    key = str(require_checkpoint(checkpoint))
    if key not in _MODELS:
        _MODELS[key] = MusicGen(key, device="cuda" if torch.cuda.is_available() else "cpu")
    return _MODELS[key]


def answer(request: dict) -> dict:
    """The wire payload for a request {vibe, seconds, seed, checkpoint}."""
    model = _model(request.get("checkpoint"))
    mono = model.generate(str(request["vibe"]), float(request["seconds"]), int(request.get("seed", 0)))
    return encode(mono, model.sample_rate, model.describe())


@app.function(gpu=GPU, scaledown_window=SCALEDOWN_WINDOW_S, timeout=900)
def generate(vibe: str, seconds: float, seed: int = 0, checkpoint: str | None = None) -> dict:
    return answer({"vibe": vibe, "seconds": seconds, "seed": seed, "checkpoint": checkpoint})


def build_service():
    """POST / {vibe, seconds, seed, checkpoint} -> the wire payload; a bearer token when one is configured."""
    from fastapi import FastAPI, Header, HTTPException

    from tools.errors import VibesynthError

    service = FastAPI(title=APP_NAME)
    token = os.environ.get(TOKEN_ENV)

    @service.post("/")
    def post(request: dict, authorization: str | None = Header(default=None)) -> dict:
        if token and authorization != f"Bearer {token}":
            raise HTTPException(401, f"missing or wrong bearer token; send Authorization: Bearer <{TOKEN_ENV}>")
        if not isinstance(request.get("vibe"), str) or not isinstance(request.get("seconds"), (int, float)):
            raise HTTPException(422, "send JSON {vibe: text, seconds: number, seed: int, checkpoint: optional path}")
        try:
            return answer(request)
        except VibesynthError as err:
            raise HTTPException(422, str(err)) from None

    return service


@app.function(gpu=GPU, scaledown_window=SCALEDOWN_WINDOW_S, timeout=900, secrets=[modal.Secret.from_name(APP_NAME)])
@modal.asgi_app()
def serve():
    return build_service()


@app.function(gpu=GPU, timeout=TRAIN_TIMEOUT_S, volumes={OUTPUTS: volume})
def train_run(settings: dict, root: str = OUTPUTS) -> dict:
    """One LoRA run (optimize.musicgen.lora.LoraSettings fields); a bare --out lands on the volume."""
    import json

    import torch

    from optimize.musicgen.lora import LoraSettings, train_lora

    out = settings["out"] if "/" in settings["out"] else f"{root}/{settings['out']}"
    device = settings.get("device") or ("cuda" if torch.cuda.is_available() else "cpu")
    final = train_lora(LoraSettings(**{**settings, "out": out, "device": device}), quiet=True)
    if root == OUTPUTS:
        volume.commit()
    return json.loads((Path(out) / "result.json").read_text()) | {"model": str(final)}


@app.local_entrypoint()
def main(data: str, out: str, max_steps: int = -1, epochs: float = 1.0) -> None:
    print(train_run.remote({"data": data, "out": out, "max_steps": max_steps, "epochs": epochs, "device": None}))
