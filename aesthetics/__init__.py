"""Aesthetics scorers behind one interface, and the scoring service."""
