"""`audiobox`: Meta's audiobox-aesthetics (CE, CU, PC, PQ) from a checkpoint path.

We use the library's model class (`AesMultiOutput`, WavLM encoder) and
mirror its inference (`audiobox_aesthetics.infer`): mono 16 kHz, 10 s
windows with hop 10 s, the last one zero-padded with a mask, per-window
predictions mapped back through each axis' target transform and averaged
with weights = window length / 10 s. OBJ is `aesthetics.scores.objective`.

Trap: `audiobox_aesthetics.infer` imports torchaudio at module level, and
no torchaudio wheel matches torch 2.13 (the newest pins torch 2.11), so we
import only `audiobox_aesthetics.model.aes` and resample with scipy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

from aesthetics.base import Item, Scorer, prepare_audio
from aesthetics.checkpoints import load_checkpoint, require_checkpoint, require_torch
from aesthetics.scores import COMPONENTS, Scores
from tools.errors import ScorerError

AES_RATE = 16_000
WINDOW_SECONDS = 10
MODEL_CFG_KEYS = (
    "proj_num_layer",
    "proj_ln",
    "proj_act_fn",
    "proj_dropout",
    "nth_layer",
    "use_weighted_layer_sum",
    "precision",
    "normalize_embed",
    "output_dim",
)
INSTALL_HINT = "run `make scorer-env` and use .venv-scorer/bin/vibesynth (see docs/judge/index.md)"


def _aes_module():
    try:
        from audiobox_aesthetics.model import aes
    except ImportError as err:
        raise ScorerError(f"audiobox-aesthetics cannot be imported ({err}); {INSTALL_HINT}") from None
    return aes


def load_model(checkpoint: Path, device: str):
    """Build AesMultiOutput from an audiobox-aesthetics checkpoint.pt (state_dict, model_cfg, target_transform)."""
    aes = _aes_module()
    ckpt = load_checkpoint("audiobox", checkpoint)
    if not isinstance(ckpt, dict) or not {"state_dict", "model_cfg", "target_transform"} <= set(ckpt):
        raise ScorerError(f"{checkpoint} is not an audiobox-aesthetics checkpoint (needs state_dict, model_cfg, target_transform)")
    model = aes.AesMultiOutput(**{k: ckpt["model_cfg"][k] for k in MODEL_CFG_KEYS}, target_transform=ckpt["target_transform"])
    model.load_state_dict({re.sub("^model.", "", k): v for k, v in ckpt["state_dict"].items()})
    return model.to(device).eval()


def windows_16k(audio: np.ndarray, sample_rate: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(frames, 2) -> (windows (n, 160000), masks (n, 160000) bool, weights (n,)) as audiobox's infer does."""
    mono = audio.mean(axis=1, dtype=np.float64)
    if sample_rate != AES_RATE:
        g = np.gcd(int(sample_rate), AES_RATE)
        mono = resample_poly(mono, AES_RATE // g, int(sample_rate) // g)
    win = WINDOW_SECONDS * AES_RATE
    starts = range(0, mono.shape[0], win)
    windows = np.zeros((len(starts), win), np.float32)
    masks = np.zeros((len(starts), win), bool)
    weights = np.zeros(len(starts))
    for i, s in enumerate(starts):
        chunk = mono[s : s + win]
        windows[i, : chunk.shape[0]] = chunk
        masks[i, : chunk.shape[0]] = True
        weights[i] = chunk.shape[0] / win
    return windows, masks, weights


class AudioboxScorer(Scorer):
    """audiobox-aesthetics from a checkpoint path (or an already built AesMultiOutput)."""

    backend = "audiobox"

    def __init__(self, checkpoint: str | Path | None = None, device: str | None = None, batch_size: int = 8, model=None):
        path = require_checkpoint("audiobox", checkpoint) if model is None else None
        torch = require_torch("audiobox")

        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        if path is not None:
            model = load_model(path, self.device)
            self.version = f"audiobox-aesthetics-0.0.4/{path.name}"
        else:
            self.version = "audiobox-aesthetics-0.0.4/in-memory"
        aes = _aes_module()
        self.model = model.to(self.device).eval()
        self.transforms = {
            axis: aes.Normalize(mean=model.target_transform[axis]["mean"], std=model.target_transform[axis]["std"]) for axis in COMPONENTS
        }
        self.batch_size = batch_size

    def _predict(self, windows: np.ndarray, masks: np.ndarray) -> dict[str, np.ndarray]:
        import torch

        out: dict[str, list[np.ndarray]] = {axis: [] for axis in COMPONENTS}
        with torch.inference_mode():
            for i in range(0, len(windows), self.batch_size):
                wav = torch.from_numpy(windows[i : i + self.batch_size, None, :]).to(self.device)
                mask = torch.from_numpy(masks[i : i + self.batch_size, None, :]).to(self.device)
                preds = self.model({"wav": wav, "mask": mask})
                for axis in COMPONENTS:
                    out[axis].append(self.transforms[axis].inverse(preds[axis]).float().cpu().numpy())
        return {axis: np.concatenate(parts) for axis, parts in out.items()}

    def score_batch(self, items: Sequence[Item]) -> list[Scores]:
        prepared = [windows_16k(prepare_audio(a, r), r) for a, r, _t in items]
        preds = self._predict(np.concatenate([p[0] for p in prepared]), np.concatenate([p[1] for p in prepared]))
        bounds = np.cumsum([0] + [len(p[0]) for p in prepared])
        results = []
        for (lo, hi), (_w, _m, weights) in zip(zip(bounds[:-1], bounds[1:], strict=True), prepared, strict=True):
            axes = {axis: float(np.sum(preds[axis][lo:hi] * weights) / np.sum(weights)) for axis in COMPONENTS}
            results.append(Scores.from_components(self.backend, self.version, axes["CE"], axes["CU"], axes["PC"], axes["PQ"]))
        return results
