"""DSPy compile jobs against the one metric: the vibe -> config program and the DJ program's instructions."""
