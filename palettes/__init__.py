"""Sample palettes: the deterministic sample generator, manifests and curated palettes."""
