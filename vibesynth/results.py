"""The best config of a study or a teacher run, to render (`render --config OUT/run.json`, `--from-study`, `--from-teacher`).

A study (`vibesynth study ambient`) writes OUT/run.json: its settings (the
brief, the fields tuned) and its best trial's parameters. The fields it did
not tune came from the rule mapper for the brief, so the config is rebuilt
the same way: `map_vibe(brief)` with the best parameters on top.

A teacher run (`vibesynth teacher`) searches one study per vibe: its best
config per vibe is in the exported dataset (OUT/dataset/*.jsonl.gz, one
record per vibe with its `id`) or, before the export, in the run's SQLite
storage (OUT/optuna.db, read as the export reads it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tools import safe_json
from tools.errors import ConfigError, InputError
from tools.instruments import DJ
from tools.run_record import refuse_old_name, run_path
from tools.schema import FIELDS, MusicConfig


def is_study_summary(data: Any) -> bool:
    """Whether parsed JSON is a study's run.json (not a config or a render's sidecar)."""
    return isinstance(data, dict) and {"study", "best"} <= set(data) and isinstance(data["best"], dict)


def is_teacher_settings(data: Any) -> bool:
    """Whether parsed JSON is a teacher run's run.json (its settings, no config)."""
    return isinstance(data, dict) and {"judge", "budget", "vibes_sha256"} <= set(data)


def study_config(path: str | Path, data: dict | None = None) -> tuple[MusicConfig, dict]:
    """(the best config, the sidecar's provenance) of a study folder or its run.json."""
    path = Path(path)
    if path.is_dir():
        refuse_old_name(path, "study.json", "study summary")
        path = run_path(path)
    if data is None:
        data = _read(path, "study summary", "run `vibesynth study ambient` (it writes OUT/run.json) or give its folder")
    if not is_study_summary(data):
        raise ConfigError(f"{path} is not a study summary (no `study` and `best`); give the run.json of `vibesynth study ambient`")
    settings = data.get("settings") or {}
    if settings.get("kind") == DJ.name:  # a study record names its instrument
        raise ConfigError(
            f"study {data['study']!r} ({path}) tuned DJ prompts and knobs: it has no ambient config to "
            "render; give a `vibesynth study ambient` result"
        )
    params = data["best"].get("params")
    if not isinstance(params, dict):
        raise ConfigError(f"{path}: its best trial has no params; rerun `vibesynth study report`")
    brief = settings.get("brief")
    if set(params) >= set(FIELDS):
        base = {}
    elif isinstance(brief, str) and brief.strip():
        from reference.vibe_mapper import map_vibe

        base = map_vibe(brief).model_dump(mode="json")
    else:
        raise ConfigError(
            f"{path}: the study tuned only {', '.join(params)} and records no brief for the other fields; "
            "give a study made by `vibesynth study ambient --brief ...`"
        )
    config = _parse({**base, **params}, f"{path} (best trial {data['best'].get('number')})")
    provenance = {
        "source": "study",
        "study_file": str(path),
        "study": data["study"],
        "study_trial": data["best"].get("number"),
        "study_value": data["best"].get("value"),
        "tuned_fields": sorted(params),
        "mapper": None,
        **({"vibe": brief} if brief else {}),
    }
    return config, provenance


def teacher_config(folder: str | Path, vibe_id: str | None) -> tuple[MusicConfig, dict]:
    """(the best config for `vibe_id`, the sidecar's provenance) of a teacher run's folder."""
    folder = Path(folder)
    refuse_old_name(folder, "teacher.json", "teacher settings")
    teacher = _read(run_path(folder), "teacher settings", "give the folder `vibesynth teacher -o` wrote (it holds run.json)")
    found, where, ids = _from_dataset(folder / "dataset", vibe_id)
    if found is None:
        found, where, more = _from_storage(folder, teacher, vibe_id)
        ids = sorted(set(ids) | set(more))
    if found is None:
        listed = ", ".join(ids[:12]) + (" ..." if len(ids) > 12 else "") if ids else "none finished yet"
        if not vibe_id:
            raise ConfigError(f"name the vibe to render with --vibe-id ID; teacher run {folder}'s vibe ids: {listed}")
        raise ConfigError(f"teacher run {folder} has no finished vibe {vibe_id!r}; its vibe ids: {listed}")
    config = _parse(found["config"], f"{where} (vibe {vibe_id})")
    provenance = {
        "source": "teacher",
        "teacher_run": str(folder),
        "teacher_from": str(where),
        "vibe_id": vibe_id,
        "vibe": found["vibe"],
        "teacher_reward": found.get("reward"),
        "mapper": None,
    }
    return config, provenance


def _from_dataset(dataset: Path, vibe_id: str) -> tuple[dict | None, Path | None, list[str]]:
    ids = []
    for path in sorted(dataset.glob("*.jsonl.gz")) if dataset.is_dir() else []:
        for _, row in _rows(path):
            if isinstance(row, dict):
                ids.append(str(row.get("id")))
                if row.get("id") == vibe_id:
                    return row, path, ids
    return None, None, ids


def _from_storage(folder: Path, teacher: dict, vibe_id: str) -> tuple[dict | None, Path | None, list[str]]:
    recorded = str(teacher.get("storage", ""))
    if not recorded.endswith("(in the job folder)"):
        return None, None, []  # another server: the export (dataset/) is the record to read
    path = folder / recorded.removeprefix("sqlite:///").removesuffix(" (in the job folder)")
    if not path.is_file():
        return None, None, []
    from optimize.teacher.dataset import study_records

    records = study_records(f"sqlite:///{path.resolve()}", teacher)
    found = next((r for r in records if r["id"] == vibe_id), None)
    return found, path, [r["id"] for r in records]


def _rows(path: Path):
    try:
        yield from safe_json.read_jsonl(path, "teacher dataset")
    except InputError as err:
        raise ConfigError(str(err)) from None


def _read(path: Path, what: str, fix: str) -> Any:
    if not path.is_file():
        raise ConfigError(f"{path}: no such {what}; {fix}")
    try:
        return safe_json.read_file(path, what)
    except InputError as err:
        raise ConfigError(f"{err}; {fix}") from None


def _parse(values: dict, where: str) -> MusicConfig:
    try:
        return MusicConfig.parse(values)
    except ConfigError as err:
        problems = str(err).removeprefix("invalid MusicConfig:").strip().replace("\n  ", "; ")
        raise ConfigError(f"{where}: not a valid config ({problems})") from None


def describe(provenance: dict) -> str:
    """The one line a render prints about where its config came from."""
    if provenance["source"] == "study":
        return (
            f"config: the best trial ({provenance['study_trial']}, value {provenance['study_value']:.4f}) of study "
            f"{provenance['study']!r} in {provenance['study_file']}; tuned {', '.join(provenance['tuned_fields'])}"
            + (", the rest from the rule mapper for its brief" if provenance.get("vibe") and len(provenance["tuned_fields"]) < len(FIELDS) else "")
        )
    reward = provenance.get("teacher_reward")
    best = f"the best of its search (reward {reward:.4f})" if reward is not None else "its best config"
    return (
        f"config: teacher run {provenance['teacher_run']}, vibe {provenance['vibe_id']} ({json.dumps(provenance['vibe'])}): "
        f"{best}, read from {provenance['teacher_from']}"
    )
