"""(vibe, audio) pairs for the LoRA fine-tune, read and turned into MusicGen training examples.

Sources: a JSONL of `{"vibe": ..., "audio": PATH}` rows (relative paths are read
from the file's folder), or a folder of renders whose sidecars name the vibe
(what `vibesynth render` writes, e.g. the teacher's best configs rendered).
Each clip is mixed to mono, resampled to the codec's rate, cut to the clip
length from its start, and encoded by the checkpoint's own EnCodec into codes;
the labels are those codes in MusicGen's delay pattern (codebook k starts k
frames late), with the pad code where a codebook has nothing (ignored by the loss).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from tools.audio_io import read_audio
from tools.errors import ConfigError
from tools.safe_json import read_file, read_jsonl

AUDIO_SUFFIXES = (".wav", ".flac")


@dataclass(frozen=True)
class Pair:
    vibe: str
    audio: Path


def read_pairs(source: str | Path, limit: int | None = None) -> list[Pair]:
    """Pairs from a JSONL file or a folder of renders with sidecars; one line naming a bad row or file."""
    source = Path(source)
    if source.is_dir():
        pairs = [
            Pair(vibe, path) for path in sorted(p for p in source.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES) if (vibe := _sidecar_vibe(path))
        ]
        if not pairs:
            raise ConfigError(
                f"{source} holds no .wav/.flac with a sidecar naming its vibe; render with "
                "`vibesynth render --vibe ...` into it, or pass a JSONL of {vibe, audio} rows"
            )
    elif source.is_file():
        pairs = []
        for number, row in read_jsonl(source, f"--data {source}"):
            if not isinstance(row, dict) or not str(row.get("vibe") or "").strip() or not str(row.get("audio") or "").strip():
                raise ConfigError(f'{source}: line {number} lacks vibe or audio; every row is {{"vibe": TEXT, "audio": PATH}}')
            audio = Path(row["audio"])
            audio = audio if audio.is_absolute() else source.parent / audio
            if not audio.is_file():
                raise ConfigError(f"{source}: line {number}: no audio file at {audio}")
            pairs.append(Pair(str(row["vibe"]).strip(), audio))
        if not pairs:
            raise ConfigError(f"{source} has no rows; write one {{vibe, audio}} object a line")
    else:
        raise ConfigError(f"--data {source}: no such file or folder; pass a JSONL of {{vibe, audio}} rows or a folder of renders")
    return pairs[:limit] if limit else pairs


def _sidecar_vibe(audio: Path) -> str | None:
    sidecar = audio.with_suffix(".json")
    meta = read_file(sidecar, f"sidecar {sidecar}") if sidecar.is_file() else None
    vibe = meta.get("vibe") if isinstance(meta, dict) else None
    return vibe.strip() if isinstance(vibe, str) and vibe.strip() else None


def load_clip(path: Path, rate: int, seconds: float) -> tuple[np.ndarray, int]:
    """(mono float32 at `rate`, cut to `seconds` and zero-padded to it; the number of real samples)."""
    from scipy.signal import resample_poly

    audio, source_rate = read_audio(path)
    mono = audio.mean(axis=1, dtype=np.float64)
    ratio = Fraction(rate, source_rate)
    if ratio != 1:
        mono = resample_poly(mono, ratio.numerator, ratio.denominator)
    frames = round(seconds * rate)
    real = min(frames, mono.shape[0])
    return np.pad(mono[:frames], (0, frames - real)).astype(np.float32), real


def delay_pattern(codes, pad: int, valid_frames: int):
    """(K, F) codes -> (F + K - 1, K) labels: codebook k shifted k frames right; pad before, after and past
    `valid_frames` (frames made from zero padding, not from the clip)."""
    import torch

    books, frames = codes.shape
    out = torch.full((books, frames + books - 1), pad, dtype=torch.long)
    for k in range(books):
        out[k, k : k + valid_frames] = codes[k, :valid_frames]
    return out.T.contiguous()


def encode_examples(pairs: list[Pair], model, tokenizer, seconds: float, quiet: bool = False) -> list[dict]:
    """Training examples {input_ids, attention_mask, labels} (codes from the model's own EnCodec)."""
    import torch
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    codec = model.audio_encoder
    rate, hop = int(codec.config.sampling_rate), int(np.prod(codec.config.upsampling_ratios))
    pad = int(model.config.decoder.pad_token_id)
    examples = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True, disable=quiet) as progress, torch.inference_mode():
        task = progress.add_task("encoding clips", total=len(pairs))
        for pair in pairs:
            mono, real = load_clip(pair.audio, rate, seconds)
            values = torch.from_numpy(mono)[None, None].to(codec.device)
            codes = codec.encode(values).audio_codes[0, 0].to("cpu")  # (K, F)
            valid = min(codes.shape[1], math.ceil(real / hop))
            text = tokenizer(pair.vibe)
            examples.append({"input_ids": text["input_ids"], "attention_mask": text["attention_mask"], "labels": delay_pattern(codes, pad, valid)})
            progress.advance(task)
    return examples


class Collator:
    """Pads the text of a batch; the labels (every clip cut to one length) stack as they are."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, batch: list[dict]) -> dict:
        import torch

        text = self.tokenizer.pad([{"input_ids": b["input_ids"], "attention_mask": b["attention_mask"]} for b in batch], return_tensors="pt")
        return {"input_ids": text["input_ids"], "attention_mask": text["attention_mask"], "labels": torch.stack([b["labels"] for b in batch])}
