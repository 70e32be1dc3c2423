"""Distillation: a tiny local model (Gemma 3 270M) trained with TRL (SFT, then GRPO) to turn a vibe into a config.

Everything here needs the training stack (torch, transformers, trl, peft) of
.venv-train (`make train-env`); the core never imports this package.
"""
