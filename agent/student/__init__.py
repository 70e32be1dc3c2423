"""A distilled student model as a local LM: its prompt, the schema-constrained field decoder, loading, and DSPy.

Needs torch and transformers (.venv-train); the rest of `agent` never imports this package.
Training lives in optimize/distill.
"""
