"""SFT (TRL SFTTrainer + LoRA), DPO (TRL DPOTrainer on the teacher's candidate pairs) and GRPO (TRL
GRPOTrainer, seeds/000's rewards) for the student.

Defaults are seeds/000's hyperparameters for a 270M model (SFT: lr 1e-4, LoRA
r 32 / alpha 64 / dropout 0.05 on all projections, warmup 0.1; GRPO: lr 1e-5,
4 generations, temperature 0.8, beta 0.1, loss "grpo"; DPO: lr 1e-5, beta 0.1, LoRA r 16, the
best config of each vibe against 2 of its candidates at least 0.02 below it). A run folder holds
`run.json` (the settings, written before training), `log.jsonl` (every logged step, with
steps/s), `checkpoint-N/` (resumed automatically), the plot, and `model/`: the
LoRA merged into the base, with the tokenizer, ready for GRPO, export or serving.

Retrieval-augmented input: `neighbours = k` (2-4) builds the index of the train
split and trains on prompts that carry each vibe's k nearest other examples; a
model folder that already holds `neighbours.npz` (an SFT run with neighbours)
keeps its index and k for GRPO. `model/` gets the index, so inference prompts
the same way.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from optimize.distill.base import resolve
from optimize.distill.data import dpo_dataset, grpo_dataset, read_records, sft_dataset, split_file
from tools.errors import ConfigError
from tools.files import write_json
from tools.run_record import RUN_FILE, read_run, write_run

LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


@dataclass
class Settings:
    kind: str  # "sft" | "dpo" | "grpo"
    model: str  # base name (gemma-270m, tiny) or a model folder
    data: str
    out: str
    epochs: float = 3.0
    max_steps: int = -1
    learning_rate: float = 1e-4
    batch_size: int = 8
    grad_accum: int = 1
    lora_r: int = 32
    lora_alpha: int = 64
    lora_dropout: float = 0.05
    lora_layers: int = 0  # LoRA on the top N decoder layers only (0: all): backward stops below them
    warmup_ratio: float = 0.1
    limit: int | None = None
    seed: int = 0
    device: str = "cpu"
    save_steps: int = 10
    logging_steps: int = 1
    threads: int | None = None
    neighbours: int = 0  # k nearest teacher examples in each prompt (2-4); 0: none, or the model folder's index
    beta: float = 0.1  # DPO and GRPO: how far from the reference (the model it starts from) the policy may move
    # DPO only
    pairs: int = 2  # rejected candidates per vibe
    margin: float = 0.02  # a rejected candidate's objective is at least this far below the best
    heldout: int = 0  # validation vibes decoded and judged at every save; the best step's adapter becomes model/
    # GRPO only
    num_generations: int = 4
    max_completion_length: int = 110
    temperature: float = 0.8
    loss_type: str = "dapo"  # TRL's advice: "grpo" normalises by length and biases towards short or long answers
    judge: str = "vibe"
    clip_seconds: float = 8.0
    extra: dict = field(default_factory=dict)


def sft_settings(**overrides) -> Settings:
    return Settings(kind="sft", **overrides)


def dpo_settings(**overrides) -> Settings:
    defaults = {"learning_rate": 1e-5, "epochs": 1.0, "lora_r": 16, "lora_alpha": 32}
    return Settings(kind="dpo", **{**defaults, **overrides})


LOSS_TYPES = ("dapo", "dr_grpo")  # TRL's length-unbiased losses


def grpo_settings(**overrides) -> Settings:
    """GRPO defaults: 8 generations for each of 4 prompts a step (batch 32 completions), loss "dapo", and the held-out
    check on 16 validation vibes at every save (the best step becomes model/)."""
    defaults = {
        "learning_rate": 1e-5,
        "epochs": 1.0,
        "batch_size": 32,
        "num_generations": 8,
        "lora_r": 16,
        "lora_alpha": 32,
        "warmup_ratio": 0.0,
        "heldout": 16,
    }
    settings = Settings(kind="grpo", **{**defaults, **overrides})
    if settings.loss_type not in LOSS_TYPES:
        raise ConfigError(f"--loss-type {settings.loss_type}: use {' or '.join(LOSS_TYPES)} (TRL advises against 'grpo': length bias)")
    if settings.batch_size % settings.num_generations:
        raise ConfigError(
            f"--batch-size {settings.batch_size} is not a whole number of groups of --num-generations {settings.num_generations}; "
            f"pass a multiple of it (e.g. {4 * settings.num_generations} for 4 prompts a step)"
        )
    return settings


# Settings only one stage reads: a change to another stage's default must not block resuming this one.
_STAGE_ONLY = {
    "dpo": {"beta", "pairs", "margin"},
    "grpo": {"beta", "num_generations", "max_completion_length", "temperature", "loss_type", "judge", "clip_seconds"},
}


def _check_settings(settings: Settings, out: Path) -> None:
    """A run folder belongs to one set of settings: resuming with others would mix two runs."""
    old = read_run(out, "distill settings", old_name="settings.json")
    if old is None:
        return
    keep = {"max_steps", "epochs", "save_steps", "device", "threads", "logging_steps"}
    keep |= {k for kind, keys in _STAGE_ONLY.items() if kind != settings.kind for k in keys} - _STAGE_ONLY.get(settings.kind, set())
    defaults = asdict(Settings(kind=settings.kind, model="", data="", out=""))  # a setting added later: its default
    changed = [k for k, v in asdict(settings).items() if k not in keep and old.get(k, defaults[k]) != v]
    if changed:
        raise ConfigError(f"{out} holds a run with other settings ({', '.join(changed)}); pass a new --out, or the same settings to resume it")


def _device_args(device: str) -> dict:
    import torch

    if device == "cpu":
        return {"use_cpu": True, "bf16": False, "fp16": False}
    if device == "cuda" and not torch.cuda.is_available():
        raise ConfigError("--device cuda but torch sees no GPU here; use --device cpu")
    if device not in ("cuda", "mps"):
        raise ConfigError(f"unknown --device {device}; use cpu, cuda or mps")
    return {"use_cpu": False, "bf16": device == "cuda" and torch.cuda.is_bf16_supported()}


def _last_checkpoint(out: Path) -> str | None:
    checkpoints = sorted(out.glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[-1]))
    return str(checkpoints[-1]) if checkpoints else None


def _step_of(checkpoint: str) -> int:
    return int(json.loads((Path(checkpoint) / "trainer_state.json").read_text())["global_step"])


def _load_adapter(trainer, checkpoint: str) -> None:
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    set_peft_model_state_dict(trainer.model, load_file(str(Path(checkpoint) / "adapter_model.safetensors")))
    trainer.state.global_step = _step_of(checkpoint)


def _common_args(settings: Settings, out: Path) -> dict:
    return {
        "output_dir": str(out),
        "num_train_epochs": settings.epochs,
        "max_steps": settings.max_steps,
        "learning_rate": settings.learning_rate,
        "per_device_train_batch_size": settings.batch_size,
        "gradient_accumulation_steps": settings.grad_accum,
        "warmup_steps": settings.warmup_ratio,  # a float < 1 is a ratio of the steps
        "logging_steps": settings.logging_steps,
        "save_steps": settings.save_steps,
        "save_total_limit": 2,
        "seed": settings.seed,
        "report_to": [],
        "gradient_checkpointing": False,
        "dataloader_num_workers": 0,
        **_device_args(settings.device),
    }


def _lora(settings: Settings, model):
    from peft import LoraConfig

    layers = model.config.num_hidden_layers
    if settings.lora_layers > layers:
        raise ConfigError(f"--lora-layers {settings.lora_layers}: the model has {layers} decoder layers; pass at most {layers}")
    top = list(range(layers - settings.lora_layers, layers)) if settings.lora_layers else None
    return LoraConfig(
        r=settings.lora_r,
        lora_alpha=settings.lora_alpha,
        lora_dropout=settings.lora_dropout,
        bias="none",
        target_modules=LORA_TARGETS,
        layers_to_transform=top,
        task_type="CAUSAL_LM",
    )


def _load(model_dir: Path, settings: Settings):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if settings.threads:
        torch.set_num_threads(settings.threads)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    tokenizer.padding_side = "left" if settings.kind == "grpo" else "right"
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager")
    return model, tokenizer


def train(settings: Settings) -> Path:
    """Train (or resume) one run; returns the folder of the merged model."""
    from optimize.distill import runlog

    out = Path(settings.out)
    out.mkdir(parents=True, exist_ok=True)
    _check_settings(settings, out)
    model_dir = resolve(settings.model)
    records = read_records(split_file(Path(settings.data), "train"), settings.limit)
    write_run(out, {**asdict(settings), "base_folder": str(model_dir), "records": len(records)})
    index = _neighbours(settings, model_dir)
    model, tokenizer = _load(model_dir, settings)
    builders = {"sft": _sft_trainer, "dpo": _dpo_trainer, "grpo": _grpo_trainer}
    trainer = builders[settings.kind](settings, out, model, tokenizer, records, index)
    trainer.add_callback(runlog.StepLog(out / "log.jsonl"))
    if settings.heldout:
        from optimize.distill.heldout import heldout_vibes, make_callback
        from optimize.render_score import Clip

        vibes = heldout_vibes(Path(settings.data), settings.heldout)
        trainer.add_callback(make_callback(vibes, settings.judge, Clip(duration=settings.clip_seconds), tokenizer, index, out))
    started = time.monotonic()
    checkpoint = _last_checkpoint(out)
    if checkpoint and settings.max_steps > 0 and _step_of(checkpoint) >= settings.max_steps:
        _load_adapter(trainer, checkpoint)  # already done: Trainer.train would still run one more step
    else:
        trainer.train(resume_from_checkpoint=checkpoint)
    wall = time.monotonic() - started
    runlog.plot(out / "log.jsonl", settings.kind, out / f"{settings.kind}.png")
    best = _keep_best(trainer, out) if settings.heldout else None
    final = out / "model"
    merge_and_save(trainer.model, tokenizer, final, model_dir, index)
    timed = [r for r in runlog.read_log(out / "log.jsonl") if r.get("steps_per_s")]
    write_json(
        out / "result.json",
        {
            "global_step": trainer.state.global_step,
            "this_call_wall_s": round(wall, 1),
            "last_logged_steps_per_s": timed[-1]["steps_per_s"] if timed else None,
            "model": str(final),
            "best_heldout": best,
        },
    )
    return final


def _keep_best(trainer, out: Path) -> dict | None:
    """Load the best held-out step's adapter into the trained model (model/ is merged from it); its held-out row."""
    from optimize.distill.heldout import best_adapter

    found = best_adapter(out)
    if found is None:
        return None
    adapter, row = found
    if row["step"] != trainer.state.global_step:
        from peft import set_peft_model_state_dict
        from safetensors.torch import load_file

        set_peft_model_state_dict(trainer.model, load_file(str(adapter)))
    return row


CHECKPOINT_FILE = "checkpoint.json"  # in a model folder merged from a checkpoint: which step, of how many


def merge_checkpoint(run: Path, step: int | None = None) -> Path:
    """Merge a run's checkpoint (the last one, or `step`) into `run/model-step-N/`, a model folder like `model/` (with
    its neighbours index) plus `checkpoint.json`: the step and the steps the run was set to take. For looking at (eval,
    export) a run that is still training, or was stopped."""
    import torch
    from peft import PeftModel

    run = Path(run)
    recorded = read_run(run, "distill settings", old_name="settings.json")
    if recorded is None:
        raise ConfigError(f"{run} is not a distill run folder (no {RUN_FILE})")
    found = _last_checkpoint(run) if step is None else str(run / f"checkpoint-{step}")
    if found is None or not (Path(found) / "adapter_model.safetensors").is_file():
        have = ", ".join(p.name for p in sorted(run.glob("checkpoint-*"))) or "none"
        raise ConfigError(f"{run}: no checkpoint {'' if step is None else step} to merge (checkpoints: {have})")
    settings = Settings(**{k: v for k, v in recorded.items() if k in Settings.__dataclass_fields__})
    model_dir = resolve(settings.model)
    model, tokenizer = _load(model_dir, settings)
    state = json.loads((Path(found) / "trainer_state.json").read_text())
    target = run / f"model-step-{state['global_step']}"
    merged = PeftModel.from_pretrained(model, found, torch_dtype=torch.float32)
    merge_and_save(merged, tokenizer, target, model_dir, _neighbours(settings, model_dir))
    write_json(target / CHECKPOINT_FILE, {"step": state["global_step"], "of": state["max_steps"], "checkpoint": Path(found).name})
    return target


def _neighbours(settings: Settings, model_dir: Path):
    """The index the prompts are built with: a new one of k examples, the model folder's own, or none."""
    from agent.student.neighbours import FILE, Neighbours

    if settings.neighbours:
        from optimize.distill.neighbours import build_index

        return build_index(Path(settings.data), settings.neighbours)
    return Neighbours.load(model_dir / FILE) if (model_dir / FILE).is_file() else None


def _sft_trainer(settings, out, model, tokenizer, records, index):
    from trl import SFTConfig, SFTTrainer

    # No truncation: a retrieval-augmented prompt runs to ~300 tokens, and a cut completion would leave nothing to learn.
    config = SFTConfig(**_common_args(settings, out), max_length=None, completion_only_loss=True, packing=False, eos_token=tokenizer.eos_token)
    return SFTTrainer(
        model=model, args=config, train_dataset=sft_dataset(records, index), processing_class=tokenizer, peft_config=_lora(settings, model)
    )


def _dpo_trainer(settings, out, model, tokenizer, records, index):
    from trl import DPOConfig, DPOTrainer

    # The reference is the starting model: with a LoRA, TRL computes it with the adapter switched off.
    config = DPOConfig(**_common_args(settings, out), beta=settings.beta, max_length=None)
    return DPOTrainer(
        model=model,
        args=config,
        processing_class=tokenizer,
        peft_config=_lora(settings, model),
        train_dataset=dpo_dataset(records, settings.pairs, settings.margin, index),
    )


def _grpo_trainer(settings, out, model, tokenizer, records, index):
    from trl import GRPOConfig, GRPOTrainer

    from optimize.distill.rewards import reward_functions
    from optimize.render_score import Clip

    functions, weights = reward_functions(settings.judge, Clip(duration=settings.clip_seconds))
    contrastive = any(f.__name__ == "specificity" for f in functions)
    config = GRPOConfig(
        **_common_args(settings, out),
        num_generations=settings.num_generations,
        max_completion_length=settings.max_completion_length,
        temperature=settings.temperature,
        beta=settings.beta,
        loss_type=settings.loss_type,
        reward_weights=weights,
        log_completions=False,
        shuffle_dataset=True,
    )
    return GRPOTrainer(
        model=model,
        args=config,
        reward_funcs=functions,
        train_dataset=grpo_dataset(records, index, others=contrastive),
        processing_class=tokenizer,
        peft_config=_lora(settings, model),
    )


def merge_and_save(model, tokenizer, target: Path, base_dir: Path, index=None) -> None:
    """Merge the LoRA into the base weights and save model + tokenizer (+ tokenizer.model, + the neighbours
    index the prompts were built with) atomically."""
    import shutil
    import tempfile

    merged = model.merge_and_unload() if hasattr(model, "merge_and_unload") else model
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="model.", dir=target.parent))
    merged.save_pretrained(work)
    tokenizer.padding_side = "left"
    tokenizer.save_pretrained(work)
    if (base_dir / "tokenizer.model").is_file():
        shutil.copy(base_dir / "tokenizer.model", work / "tokenizer.model")
    if index is not None:
        from agent.student.neighbours import FILE

        index.save(work / FILE)
    if target.exists():
        shutil.rmtree(target)
    os.replace(work, target)
