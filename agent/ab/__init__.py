"""A/B experiments over DJ runs: scoring of a run folder and its statistics."""
