"""The scoring service on Modal, on a GPU, with the audiobox and CLAP weights baked into the image.

    modal secret create vibesynth-scorer VIBESYNTH_SCORER_TOKEN=<token>
    modal deploy aesthetics/modal_app.py
    vibesynth score set.wav --backend remote:https://<workspace>--vibesynth-scorer-serve.modal.run --token <token>

The image installs the same heavy stack as `make scorer-env` (but CUDA
torch and a real torchvision), then `fetch_weights` runs at build time:
audiobox-aesthetics' checkpoint.pt, LAION-CLAP's 630k-audioset-best.pt and
roberta-base land in the image, so cold starts download nothing. `serve`
is the same FastAPI app as `vibesynth serve-scorer` (default backend
audiobox; clap and dsp on request via the `backend` form field).
"""

from __future__ import annotations

import os
from pathlib import Path

import modal

APP_NAME = "vibesynth-scorer"
WEIGHTS = Path("/weights")
REPO_ROOT = Path(__file__).resolve().parent.parent
GPU = "T4"
SCALEDOWN_WINDOW_S = 120
MAX_CONCURRENT = 8
ENV = {
    "VIBESYNTH_AUDIOBOX_CHECKPOINT": str(WEIGHTS / "audiobox" / "checkpoint.pt"),
    "VIBESYNTH_CLAP_CHECKPOINT": str(WEIGHTS / "clap" / "630k-audioset-best.pt"),
    "HF_HOME": str(WEIGHTS / "hf"),
}


def fetch_weights() -> None:
    """Build step: download both checkpoints and CLAP's roberta-base into the image."""
    from huggingface_hub import hf_hub_download
    from transformers import RobertaModel, RobertaTokenizer

    hf_hub_download("facebook/audiobox-aesthetics", "checkpoint.pt", local_dir=WEIGHTS / "audiobox")
    hf_hub_download("lukewys/laion_clap", "630k-audioset-best.pt", local_dir=WEIGHTS / "clap")
    RobertaTokenizer.from_pretrained("roberta-base")
    RobertaModel.from_pretrained("roberta-base")


image = (
    modal.Image.debian_slim(python_version="3.11")
    .apt_install("libsndfile1")
    .pip_install("torch==2.13.0", "torchvision==0.28.0")
    .pip_install_from_requirements(str(REPO_ROOT / "aesthetics" / "scorer-requirements.txt"))
    .run_commands("pip install --no-deps laion-clap==1.1.7 audiobox-aesthetics==0.0.4")
    .pip_install("numpy", "scipy", "pydantic>=2.6", "soundfile", "pyloudnorm", "pedalboard", "rich", "typer", "fastapi", "python-multipart", "httpx")
    .env(ENV)
    .run_function(fetch_weights)
    .add_local_python_source("aesthetics", "tools")
)

app = modal.App(APP_NAME, image=image)


def build_service():
    """The FastAPI app served on Modal (also what `serve.local()` returns)."""
    from aesthetics.service import create_app

    backend = os.environ.get("VIBESYNTH_SCORER_BACKEND", "audiobox")
    extra = tuple(b for b in ("audiobox", "clap", "dsp") if b != backend)
    return create_app(backend=backend, token=os.environ.get("VIBESYNTH_SCORER_TOKEN"), extra_backends=extra)


@app.function(
    gpu=GPU,
    scaledown_window=SCALEDOWN_WINDOW_S,
    timeout=600,
    secrets=[modal.Secret.from_name("vibesynth-scorer")],
)
@modal.concurrent(max_inputs=MAX_CONCURRENT)
@modal.asgi_app()
def serve():
    return build_service()
