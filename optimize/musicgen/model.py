"""Load a MusicGen checkpoint and generate mono audio from text, seeded (needs torch + transformers).

`MusicGen(checkpoint, device)` loads once; `.generate(vibe, seconds, seed)`
returns exactly `seconds` of mono float32 at the model's rate (32 kHz for
musicgen-small). Sampling uses the checkpoint's generation settings (for
musicgen-small: top-k 250, classifier-free guidance 3.0) under a torch RNG
forked and seeded per call, so the same vibe, seconds and seed give
bit-identical audio on the same device, and nothing leaks into the caller's
random state.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from optimize.musicgen.weights import require_checkpoint, require_stack
from tools.errors import ConfigError

MAX_SECONDS = 30.0  # musicgen-small was trained on 30 s clips; longer asks for positions it never saw
DEVICES = ("cpu", "cuda", "mps")


@contextmanager
def quiet_transformers():
    """transformers' load progress bars and its warning that the pad token (2048) lies past the 2048 codes
    (true of every MusicGen checkpoint) are noise on a command line."""
    from transformers.utils import logging

    level = logging.get_verbosity()
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        logging.set_verbosity(level)
        logging.enable_progress_bar()


def pick_device(device: str):
    """A torch device from cpu | cuda | mps, or one line saying why it cannot be used."""
    import torch

    if device not in DEVICES:
        raise ConfigError(f"unknown --device {device!r}; use cpu, cuda or mps")
    if device == "cuda" and not torch.cuda.is_available():
        raise ConfigError("--device cuda but torch sees no GPU here; use --device cpu (or --remote modal)")
    if device == "mps" and not torch.backends.mps.is_available():
        raise ConfigError("--device mps but this torch has no Apple GPU; use --device cpu")
    return torch.device(device)


def load(checkpoint: Path, device: str = "cpu"):
    """(model, processor) of a checkpoint folder, in eval mode on `device`; a broken folder is one line."""
    require_stack()
    import torch
    from transformers import AutoProcessor, MusicgenForConditionalGeneration

    target = pick_device(device)
    with quiet_transformers():
        try:
            processor = AutoProcessor.from_pretrained(checkpoint)
            model = MusicgenForConditionalGeneration.from_pretrained(checkpoint, dtype=torch.float32)
        except (OSError, ValueError, KeyError, TypeError) as err:
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise ConfigError(
                f"{checkpoint} is not a loadable MusicGen checkpoint ({reason}); pass --checkpoint a "
                "folder written by save_pretrained (e.g. facebook/musicgen-small downloaded, "
                "or a `vibesynth distill musicgen-lora` run's model/)"
            ) from None
    return model.to(target).eval(), processor


class MusicGen:
    """One loaded checkpoint; `generate` is deterministic per (vibe, seconds, seed, device)."""

    def __init__(self, checkpoint: str | Path | None = None, device: str = "cpu", threads: int | None = None) -> None:
        require_stack()
        import torch

        if threads:
            torch.set_num_threads(threads)
        self.checkpoint = require_checkpoint(checkpoint)
        self.device = device
        self.model, self.processor = load(self.checkpoint, device)
        audio = self.model.config.audio_encoder
        self.sample_rate = int(audio.sampling_rate)
        self.frame_rate = int(audio.frame_rate)
        self.codebooks = int(self.model.decoder.num_codebooks)

    def describe(self) -> dict:
        settings = self.model.generation_config
        return {
            "checkpoint": str(self.checkpoint),
            "model_sample_rate": self.sample_rate,
            "codebooks": self.codebooks,
            "frame_rate": self.frame_rate,
            "guidance_scale": settings.guidance_scale,
            "top_k": settings.top_k,
            "temperature": settings.temperature if settings.temperature is not None else 1.0,
            "device": self.device,
            "parameters": sum(p.numel() for p in self.model.parameters()),
        }

    def tokens_for(self, seconds: float) -> int:
        """New tokens for `seconds` of audio: one per frame, plus one per codebook after the first (the delay pattern)."""
        return math.ceil(seconds * self.frame_rate) + self.codebooks - 1

    def generate(self, vibe: str, seconds: float, seed: int = 0) -> np.ndarray:
        """`seconds` of mono float32 audio at `self.sample_rate` for the vibe, sampled under `seed`."""
        import torch

        if not vibe or not vibe.strip():
            raise ConfigError("the vibe is empty; describe a mood, place, time or activity")
        if not 0 < seconds <= MAX_SECONDS:
            raise ConfigError(
                f"musicgen makes at most {MAX_SECONDS:g} s per clip (it was trained on 30 s); "
                f"asked for {seconds:g} s: use a duration in (0, {MAX_SECONDS:g}]"
            )
        inputs = self.processor(text=[vibe], padding=True, return_tensors="pt").to(self.model.device)
        devices = [self.model.device] if self.model.device.type == "cuda" else []
        with torch.random.fork_rng(devices=devices), torch.inference_mode():
            torch.manual_seed(seed)
            values = self.model.generate(**inputs, max_new_tokens=self.tokens_for(seconds), do_sample=True)
        audio = values[0, 0].detach().to("cpu", torch.float32).numpy()
        frames = round(seconds * self.sample_rate)
        if audio.shape[0] < frames:  # the codec's last frame can fall a few samples short
            audio = np.pad(audio, (0, frames - audio.shape[0]))
        return np.ascontiguousarray(audio[:frames], dtype=np.float32)
