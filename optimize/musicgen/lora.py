"""`vibesynth distill musicgen-lora`: LoRA on MusicGen's decoder from (vibe, audio) pairs (seeds/004's recipe).

Defaults are seeds/004's first run on musicgen-small: LoRA rank 12, alpha 24
on the decoder's self- and cross-attention projections, lr 1e-4, batch 2 with
4 accumulation steps (8 clips per update), 15 s clips, warmup 50 steps,
checkpoints every 200 steps, a log line every 10, half precision on a GPU.
The loss is MusicGen's own: cross-entropy per codebook on the delay-patterned
codes of each clip (optimize.musicgen.pairs), text encoder and codec frozen.

A run folder holds `run.json` (the settings, written before training; a resume with
other settings is refused), `log.jsonl` (every logged step, with steps/s),
`checkpoint-N/` (the adapter and optimizer state; a rerun resumes from the
last), `loss.png`, `adapter/` (the final LoRA) and `model/`: the LoRA merged
into the base with its processor, a checkpoint every musicgen path loads
(`--checkpoint RUN/model`, `--producers musicgen:RUN/model`).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tools.errors import ConfigError
from tools.files import write_json
from tools.run_record import read_run, write_run

# The decoder's attention projections (self and cross); the T5 encoder's are named q/k/v/o, EnCodec has none.
TARGETS = r".*decoder\.layers\.\d+\.(self_attn|encoder_attn)\.(q_proj|k_proj|v_proj|out_proj)"
KIND = "musicgen-lora"
RESUMABLE = {"max_steps", "epochs", "save_steps", "device", "threads", "logging_steps"}


@dataclass
class LoraSettings:
    data: str
    out: str
    checkpoint: str | None = None  # the base: --checkpoint, $VIBESYNTH_MUSICGEN_CHECKPOINT, else the cache
    lora_r: int = 12
    lora_alpha: int = 24
    lora_dropout: float = 0.05
    learning_rate: float = 1e-4
    batch_size: int = 2
    grad_accum: int = 4
    epochs: float = 1.0
    max_steps: int = -1
    warmup_steps: int = 50
    clip_seconds: float = 15.0
    save_steps: int = 200
    logging_steps: int = 10
    limit: int | None = None
    seed: int = 0
    device: str = "cpu"
    threads: int | None = None


def _check_settings(settings: LoraSettings, out: Path, base: Path) -> None:
    old = read_run(out, "LoRA settings", old_name="settings.json")
    if old is None:
        return
    mine = {**asdict(settings), "checkpoint": str(base)}
    changed = [k for k, v in mine.items() if k not in RESUMABLE and old.get(k) != v]
    if changed:
        raise ConfigError(f"{out} holds a run with other settings ({', '.join(changed)}); pass a new --out, or the same settings to resume it")


def _precision(device: str) -> dict:
    import torch

    if device == "cpu":
        return {"use_cpu": True, "bf16": False, "fp16": False}
    if device == "cuda":
        bf16 = torch.cuda.is_bf16_supported()
        return {"use_cpu": False, "bf16": bf16, "fp16": not bf16}
    return {"use_cpu": False, "bf16": False, "fp16": False}


def _last_checkpoint(out: Path) -> str | None:
    found = sorted(out.glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[-1]))
    return str(found[-1]) if found else None


def _global_step(checkpoint: str) -> int:
    return int(json.loads((Path(checkpoint) / "trainer_state.json").read_text())["global_step"])


class _Examples:
    """A list of encoded examples as a torch map-style dataset."""

    def __init__(self, items: list[dict]) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> dict:
        return self.items[index]


def train_lora(settings: LoraSettings, quiet: bool = False) -> Path:
    """Train (or resume) one LoRA run; returns the folder of the merged model."""
    from optimize.musicgen.weights import require_checkpoint, require_stack

    require_stack("vibesynth distill musicgen-lora")
    import torch
    from peft import LoraConfig, get_peft_model, set_peft_model_state_dict
    from safetensors.torch import load_file
    from transformers import Trainer, TrainingArguments

    from optimize.distill import runlog
    from optimize.musicgen.model import load, quiet_transformers
    from optimize.musicgen.pairs import Collator, encode_examples, read_pairs

    if not 0 < settings.clip_seconds <= 30:
        raise ConfigError(f"--clip-seconds {settings.clip_seconds:g} is out of range; use (0, 30] (musicgen-small saw 30 s clips)")
    base = require_checkpoint(settings.checkpoint)
    pairs = read_pairs(settings.data, settings.limit)
    out = Path(settings.out)
    out.mkdir(parents=True, exist_ok=True)
    _check_settings(settings, out, base)
    if settings.threads:
        torch.set_num_threads(settings.threads)
    write_run(out, {**asdict(settings), "checkpoint": str(base), "pairs": len(pairs), "data_resolved": str(Path(settings.data).resolve())})
    model, processor = load(base, settings.device)
    examples = encode_examples(pairs, model, processor.tokenizer, settings.clip_seconds, quiet=quiet)
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    lora = LoraConfig(r=settings.lora_r, lora_alpha=settings.lora_alpha, lora_dropout=settings.lora_dropout, bias="none", target_modules=TARGETS)
    model = get_peft_model(model, lora)
    args = TrainingArguments(
        output_dir=str(out),
        num_train_epochs=settings.epochs,
        max_steps=settings.max_steps,
        learning_rate=settings.learning_rate,
        per_device_train_batch_size=settings.batch_size,
        gradient_accumulation_steps=settings.grad_accum,
        warmup_steps=settings.warmup_steps,
        logging_steps=settings.logging_steps,
        save_steps=settings.save_steps,
        save_total_limit=2,
        seed=settings.seed,
        report_to=[],
        remove_unused_columns=False,
        label_names=["labels"],
        dataloader_num_workers=0,
        disable_tqdm=quiet,
        **_precision(settings.device),
    )
    trainer = Trainer(model=model, args=args, train_dataset=_Examples(examples), data_collator=Collator(processor.tokenizer))
    trainer.add_callback(runlog.StepLog(out / "log.jsonl"))
    checkpoint = _last_checkpoint(out)
    started = time.monotonic()
    if checkpoint and settings.max_steps > 0 and _global_step(checkpoint) >= settings.max_steps:
        # Already done: Trainer.train would still take one more step; load the adapter as it was saved.
        set_peft_model_state_dict(trainer.model, load_file(str(Path(checkpoint) / "adapter_model.safetensors")))
        trainer.state.global_step = _global_step(checkpoint)
    else:
        trainer.train(resume_from_checkpoint=checkpoint)
    wall = time.monotonic() - started
    runlog.plot(out / "log.jsonl", KIND, out / "loss.png")
    with quiet_transformers():
        trainer.model.save_pretrained(out / "adapter")
        final = _save_merged(trainer.model, processor, out / "model")
    write_json(
        out / "result.json",
        {"global_step": trainer.state.global_step, "this_call_wall_s": round(wall, 1), "model": str(final), "adapter": str(out / "adapter")},
    )
    return final


def _save_merged(model, processor, target: Path) -> Path:
    """The LoRA merged into the base, with the processor, written to a temporary sibling and renamed into place."""
    merged = model.merge_and_unload()
    work = Path(tempfile.mkdtemp(prefix="model.", dir=target.parent))
    try:
        merged.save_pretrained(work)
        processor.save_pretrained(work)
        if target.exists():
            shutil.rmtree(target)
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target
