"""Loading LAION-CLAP (laion-clap 1.1.7) without its import-time traps, and embedding audio/text.

Traps in laion-clap 1.1.7, and what this module does about them:

- `import laion_clap` runs `training/data.py`, which calls
  `BertTokenizer/RobertaTokenizer/BartTokenizer.from_pretrained(...)` at
  import time: it needs the Hugging Face hub even to import. We import its
  model package `clap_module` directly (laion-clap itself puts that folder on
  sys.path) and never touch `laion_clap.hook` or `training`.
- `clap_module` imports torchvision only for image code (FrozenBatchNorm2d,
  image transforms) that audio CLAP never calls, and the torchvision wheels
  on PyPI are CUDA builds that fail to import next to the CPU torch wheel.
  When torchvision is not installed, a stand-in with those names (raising if
  ever called) is registered before import. With a working torchvision (the
  Modal GPU image) the real one is used.
- `CLAP_Module.get_audio_embedding_from_data` crops clips over 10 s at a
  random offset (`rand_trunc`): not deterministic. We window instead (see
  `aesthetics.clap`), and quantise to int16 as laion-clap does.
- `clap_module.factory.load_state_dict` deletes
  `text_branch.embeddings.position_ids` unconditionally (KeyError for any
  checkpoint without it); `_state_dict` drops it only when present.
- `CLAP.get_text_embedding` iterates its input as a dict, which breaks for
  the tokenizer-free "transformer" text tower; we call `encode_text` and
  normalise ourselves, the same maths for every text tower.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Callable
from pathlib import Path

import numpy as np

from aesthetics.checkpoints import load_checkpoint
from tools.errors import ScorerError

CLAP_RATE = 48_000
CLIP_SAMPLES = 480_000  # 10 s: the window every laion-clap non-fusion model sees
ROBERTA = "roberta-base"
INSTALL_HINT = "run `make scorer-env` and use .venv-scorer/bin/vibesynth (see docs/judge/index.md)"


def _stand_in_torchvision() -> None:
    def unavailable(*_args, **_kwargs):
        raise ScorerError("torchvision is not installed in this environment; CLAP image code is not supported")

    names = {
        "torchvision": {},
        "torchvision.ops": {},
        "torchvision.ops.misc": {"FrozenBatchNorm2d": unavailable},
        "torchvision.transforms": {
            name: unavailable for name in ("Normalize", "Compose", "RandomResizedCrop", "InterpolationMode", "ToTensor", "Resize", "CenterCrop")
        },
    }
    for name, attrs in names.items():
        module = types.ModuleType(name, "stand-in registered by aesthetics.clap.model (audio CLAP needs no torchvision)")
        module.__dict__.update(attrs)
        module.__spec__ = importlib.machinery.ModuleSpec(name, None)  # transformers probes find_spec("torchvision")
        sys.modules[name] = module


def import_clap_module() -> types.ModuleType:
    """laion-clap's `clap_module` package, imported without its hub-dependent entry point."""
    spec = importlib.util.find_spec("laion_clap")
    if spec is None or spec.origin is None:
        raise ScorerError(f"laion-clap is not installed in this environment; {INSTALL_HINT}")
    folder = str(Path(spec.origin).parent)
    if folder not in sys.path:
        sys.path.append(folder)
    if importlib.util.find_spec("torchvision") is None:
        # transformers probes for torchvision when its model classes load: load them first.
        from transformers import BartModel, BertModel, RobertaModel  # noqa: F401

        _stand_in_torchvision()
    try:
        return importlib.import_module("clap_module")
    except ImportError as err:
        raise ScorerError(f"laion-clap cannot be imported ({err}); {INSTALL_HINT}") from None


def _roberta_tokenizer() -> Callable[[list[str]], dict]:
    from transformers import RobertaTokenizer

    try:
        tokenizer = RobertaTokenizer.from_pretrained(ROBERTA)
    except OSError as err:
        raise ScorerError(
            f"CLAP's roberta text tower needs the '{ROBERTA}' files in the Hugging Face cache ({err}). "
            'Where there is network run: python -c "from transformers import RobertaModel, RobertaTokenizer; '
            f"RobertaModel.from_pretrained('{ROBERTA}'); RobertaTokenizer.from_pretrained('{ROBERTA}')\" "
            "and copy the cache (HF_HOME) here."
        ) from None
    return lambda texts: dict(tokenizer(texts, padding="max_length", truncation=True, max_length=77, return_tensors="pt"))


def _state_dict(checkpoint: Path) -> dict:
    loaded = load_checkpoint("clap", checkpoint)
    state = loaded.get("state_dict", loaded) if isinstance(loaded, dict) else loaded
    return {k.removeprefix("module."): v for k, v in state.items() if not k.endswith("embeddings.position_ids")}


class ClapEncoder:
    """A laion-clap `CLAP` model plus its tokenizer: 10 s windows and texts -> unit embeddings."""

    def __init__(self, model, tokenize: Callable[[list[str]], object]):
        import torch

        self.model = model.eval()
        self.tokenize = tokenize
        self.device = next(model.parameters()).device
        self._torch = torch

    @classmethod
    def from_checkpoint(cls, checkpoint: Path, amodel: str = "HTSAT-tiny", tmodel: str = "roberta", device: str | None = None) -> ClapEncoder:
        """Build `amodel`/`tmodel` with laion-clap's factory and load a (non-fusion) checkpoint."""
        import torch

        clap_module = import_clap_module()
        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        try:
            model, _cfg = clap_module.create_model(amodel, tmodel, precision="fp32", device=device, enable_fusion=False)
        except RuntimeError as err:
            raise ScorerError(f"laion-clap cannot build {amodel}/{tmodel}: {err}; models: {clap_module.list_models()}") from None
        except OSError as err:
            raise ScorerError(f"laion-clap's {tmodel} text tower is not in the Hugging Face cache ({err})") from None
        state = _state_dict(checkpoint)
        missing, unexpected = model.load_state_dict(state, strict=False)
        if missing or unexpected:
            raise ScorerError(
                f"{checkpoint} does not fit laion-clap {amodel}/{tmodel} (non-fusion): "
                f"{len(missing)} missing, {len(unexpected)} unexpected keys (e.g. {(missing or unexpected)[:3]})"
            )
        tokenize = _roberta_tokenizer() if tmodel == "roberta" else clap_module.tokenize
        return cls(model.to(device), tokenize)

    def audio_embeddings(self, windows: np.ndarray) -> np.ndarray:
        """(n, 480000) mono 48 kHz windows -> (n, dim) unit embeddings (int16-quantised like laion-clap)."""
        torch = self._torch
        quantised = (np.clip(windows, -1.0, 1.0) * 32767.0).astype(np.int16).astype(np.float32) / 32767.0
        waveform = torch.from_numpy(quantised).to(self.device)
        batch = {"waveform": waveform, "longer": torch.zeros(len(windows), dtype=torch.bool, device=self.device)}
        with torch.no_grad():
            embeds = self.model.audio_projection(self.model.encode_audio(batch, device=self.device)["embedding"])
            return torch.nn.functional.normalize(embeds, dim=-1).cpu().numpy().astype(np.float64)

    def text_embeddings(self, texts: list[str]) -> np.ndarray:
        """Texts -> (n, dim) unit embeddings."""
        torch = self._torch
        tokens = self.tokenize(texts)
        tokens = {k: v.to(self.device) for k, v in tokens.items()} if isinstance(tokens, dict) else tokens.to(self.device)
        with torch.no_grad():
            embeds = self.model.encode_text(tokens, device=self.device)
            return torch.nn.functional.normalize(embeds, dim=-1).cpu().numpy().astype(np.float64)
