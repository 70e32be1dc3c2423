"""The held-out check of a training run: at every save, the model's greedy configs for N validation vibes, judged.

A training reward can look flat while the policy collapses (GRPO once gave 10 configs for 80 vibes). So at
each checkpoint the model being trained decodes the first N vibes of the dataset's `val` split with the field
decoder (greedy, constrained: what `--lm student` would answer), the judge scores each render against its
vibe, and `log.jsonl` gets the mean reward and the number of distinct configs. The adapter of the best step
so far (by held-out reward; ties keep the earlier) is copied to `RUN/best/`, and the run's `model/` is merged
from it, so a late collapse does not become the shipped model.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from optimize.distill.data import read_records, split_file
from optimize.render_score import Clip, RenderJudge
from tools.files import write_json

BEST = "best"  # the best step's adapter, in the run folder
BEST_FILE = "best.json"


def heldout_vibes(data: Path, count: int) -> list[str]:
    return [r["vibe"] for r in read_records(split_file(Path(data), "val"), count)]


def make_callback(vibes: list[str], judge: str, clip: Clip, tokenizer, index, out: Path):
    """A transformers TrainerCallback that runs the check on every save (imported here: torch lives in .venv-train)."""
    from transformers import TrainerCallback

    from agent.student.decode import FieldDecoder, TorchRunner
    from optimize.distill import runlog

    judged = RenderJudge(judge, clip)

    class HeldOutCheck(TrainerCallback):
        def on_save(self, args, state, control, model=None, **kwargs):
            training = model.training
            model.eval()
            decoder = FieldDecoder(TorchRunner(model), tokenizer)
            configs = [decoder(vibe, neighbours=index.nearest(vibe) if index else None).config for vibe in vibes]
            if training:
                model.train()
            reward = sum(judged.reward(config, vibe) for config, vibe in zip(configs, vibes, strict=True)) / len(vibes)
            distinct = len({config.model_dump_json() for config in configs})
            row = {"step": state.global_step, "heldout_reward": round(reward, 6), "heldout_distinct": distinct, "heldout_n": len(vibes)}
            runlog.append(out / "log.jsonl", row)
            best = out / BEST / BEST_FILE
            if not best.is_file() or reward > json.loads(best.read_text())["heldout_reward"]:
                work = out / f".{BEST}.part"
                shutil.rmtree(work, ignore_errors=True)
                model.save_pretrained(work)
                write_json(work / BEST_FILE, row)
                shutil.rmtree(out / BEST, ignore_errors=True)
                work.replace(out / BEST)

    return HeldOutCheck()


def best_adapter(out: Path) -> tuple[Path, dict] | None:
    """(the best step's adapter file, its held-out row), or None when the run had no held-out check."""
    best = Path(out) / BEST
    if not (best / BEST_FILE).is_file():
        return None
    return best / "adapter_model.safetensors", json.loads((best / BEST_FILE).read_text())
