"""Per-step training log (JSONL beside the run, appended atomically per line), steps/s, and the PNG plots."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

from transformers import TrainerCallback

from tools.files import dumps_json

PLOTTED = {
    "sft": ["loss", "mean_token_accuracy", "learning_rate"],
    "dpo": ["loss", "rewards/accuracies", "rewards/margins", "rewards/chosen", "rewards/rejected", "learning_rate"],
    "grpo": [
        "reward",
        "rewards/format/mean",
        "rewards/schema/mean",
        "rewards/audio/mean",
        "rewards/specificity/mean",
        "rewards/explicit/mean",
        "rewards/distinct/mean",
        "heldout_reward",
        "heldout_distinct",
        "kl",
        "entropy",
        "json_valid_pct",
        "completions/mean_length",
    ],
    "musicgen-lora": ["loss", "grad_norm", "learning_rate"],
}


class StepLog(TrainerCallback):
    """Appends every `on_log` record (step, wall time, steps/s) to `log.jsonl` in the run folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started = time.monotonic()
        self.first_step: int | None = None

    def on_train_begin(self, args, state, control, **kwargs):
        self.started = time.monotonic()
        self.first_step = state.global_step

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not state.is_world_process_zero or not logs:
            return
        elapsed = time.monotonic() - self.started
        done = state.global_step - (self.first_step or 0)
        record = {
            "step": state.global_step,
            "wall_s": round(elapsed, 2),
            "steps_per_s": round(done / elapsed, 5) if elapsed > 0 and done else None,
            **logs,
        }
        if "rewards/format/mean" in logs:
            record["json_valid_pct"] = 100.0 * logs["rewards/format/mean"]
        # A diverged loss is worth keeping, but NaN is not JSON: null, and the keys say which were not finite.
        broken = sorted(k for k, v in record.items() if isinstance(v, float) and not math.isfinite(v))
        if broken:
            record = {**{k: None if k in broken else v for k, v in record.items()}, "non_finite": broken}
        append(self.path, record)


def append(path: Path, record: dict) -> None:
    """One record as one line (a line is written whole: a killed run leaves the lines before it)."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(dumps_json(record) + "\n")


def read_log(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def plot(log_path: Path, kind: str, out: Path) -> Path | None:
    """One panel per logged metric against the step; None when nothing was logged yet."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    records = [r for r in read_log(log_path) if "train_runtime" not in r]
    keys = [k for k in PLOTTED[kind] if any(k in r for r in records)]
    if not keys:
        return None
    fig, axes = plt.subplots(len(keys), 1, figsize=(7, 2.2 * len(keys)), sharex=True, squeeze=False)
    for axis, key in zip(axes[:, 0], keys, strict=True):
        points = [(r["step"], r[key]) for r in records if r.get(key) is not None]
        axis.plot([p[0] for p in points], [p[1] for p in points], marker=".")
        axis.set_ylabel(key.replace("rewards/", "").replace("/mean", ""), fontsize=8)
        axis.grid(alpha=0.3)
    axes[-1, 0].set_xlabel("step")
    fig.suptitle(f"{kind.upper()} training ({log_path.parent.name})")
    fig.tight_layout()
    tmp = out.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=110)
    plt.close(fig)
    tmp.replace(out)
    return out
