"""Optuna studies against the one metric: DJ prompt knobs over replicated runs, ambient instrument knobs."""
