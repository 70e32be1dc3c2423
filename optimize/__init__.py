"""Optimizers: DSPy compile jobs, Optuna studies, distillation and evaluation reports."""
