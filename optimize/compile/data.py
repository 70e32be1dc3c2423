"""Compile data: vibe splits as dspy.Examples, with the hash that pins them in the sidecar."""

from __future__ import annotations

import hashlib
import json

import dspy

from optimize.vibes.data import load_split, split_path


def split_examples(split: str, limit: int | None) -> tuple[list[dspy.Example], dict]:
    """The first `limit` vibes of a split as Examples (input `vibe`) and the split's provenance."""
    records = load_split(split, limit)
    examples = [dspy.Example(vibe=r["vibe"], id=r["id"]).with_inputs("vibe") for r in records]
    digest = hashlib.sha256(json.dumps([[r["id"], r["vibe"]] for r in records]).encode()).hexdigest()
    return examples, {"split": split, "path": str(split_path(split)), "n": len(records), "sha256": digest}
