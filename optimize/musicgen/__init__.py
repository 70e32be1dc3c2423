"""MusicGen (text -> audio, transformers' `MusicgenForConditionalGeneration`): the end-to-end baseline.

seeds/000 argues that a tiny config model plus a synth beats end-to-end audio
models on cost and control; this package is the end-to-end side of that
comparison: a render engine (`vibesynth render --engine musicgen`), an audio
producer for the eval suite (`--producers musicgen`), a Modal GPU app, and a
LoRA fine-tune (`vibesynth distill musicgen-lora`, seeds/004's recipe).

The model needs torch and transformers, which live in .venv-train only;
`weights` and `remote` import neither, so the core environment can find
checkpoints, name what is missing, and call the Modal app.
"""
