"""Vibe sets: the taxonomy-driven generator and the shipped train/val/test splits."""
