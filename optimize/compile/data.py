"""Compile data: vibe splits as dspy.Examples, with the hash that pins them in the sidecar.

With a teacher dataset the examples also carry the teacher's config as their
label: BootstrapFewShot and its random search then may use (vibe, teacher
config) pairs as labeled demos beside the program's own bootstrapped answers.
"""

from __future__ import annotations

import hashlib
import json

import dspy

from optimize.eval.teacher import TeacherSet
from optimize.vibes.data import load_split, split_path
from tools.errors import ConfigError
from tools.paths import recorded


def split_examples(split: str, limit: int | None, teacher: TeacherSet | None = None) -> tuple[list[dspy.Example], dict]:
    """The first `limit` vibes of a split as Examples (input `vibe`; label `config` from `teacher`) and their provenance."""
    records = load_split(split, limit)
    examples = []
    for r in records:
        label = teacher.get(r["vibe"]) if teacher is not None else None
        fields = {"vibe": r["vibe"], "id": r["id"], "feedback": "none"}
        if label is not None:
            fields["config"] = label.config.model_dump()
        examples.append(dspy.Example(**fields).with_inputs("vibe"))
    digest = hashlib.sha256(json.dumps([[r["id"], r["vibe"]] for r in records]).encode()).hexdigest()
    info = {"split": split, "path": recorded(split_path(split)), "n": len(records), "sha256": digest}
    if teacher is not None:
        info["labeled"] = sum("config" in e for e in examples)
        info["teacher"] = str(teacher.path)
        if info["labeled"] == 0:
            raise ConfigError(
                f"the teacher file {teacher.path} has none of the first {len(records)} {split} vibes; "
                "pass the dataset's file for that split (e.g. OUT/dataset/train.jsonl.gz)"
            )
    return examples, info
