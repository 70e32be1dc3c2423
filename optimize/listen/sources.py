"""Where a listening pack's clips come from: folders of renders, DJ runs, or a manifest.

Every source becomes a list of `Clip(system, item, brief, path)`. Clips of
different systems with the same `item` are what a listener compares.

- a folder of WAV/FLAC files: item = path under the folder without its suffix;
  the brief comes from a sidecar `<name>.json` (key `brief`, `vibe` or `text`,
  as `vibesynth render` writes it) or from `briefs.json` ({item: brief});
- DJ runs: a run folder (`set.wav` + `summary.json`) or a folder of them;
  item = the run's brief, so two systems that played the same brief pair up;
- a manifest (.json list, .jsonl or .csv) of rows with `system`, `item`,
  `brief` (optional) and `audio` (relative paths are read from the
  manifest's folder).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from tools import safe_json
from tools.errors import ConfigError, InputError

AUDIO_SUFFIXES = (".wav", ".flac")
BRIEF_KEYS = ("brief", "vibe", "text")
MANIFEST_FIELDS = ("system", "item", "audio")


@dataclass(frozen=True)
class Clip:
    system: str
    item: str
    brief: str | None
    path: Path


def parse_system_spec(spec: str) -> tuple[str, Path]:
    """`NAME=PATH` -> (name, path)."""
    name, sep, path = spec.partition("=")
    if not sep or not name.strip() or not path.strip():
        raise ConfigError(f"--system {spec!r} is not NAME=PATH; write e.g. --system rule=renders/rule")
    return name.strip(), Path(path.strip())


def clips_from_path(system: str, root: Path) -> list[Clip]:
    """Clips of one system from a DJ run, a folder of DJ runs, or a folder of audio files."""
    if not root.is_dir():
        raise ConfigError(f"system {system!r}: {root} is not a folder; pass a folder of WAVs or DJ runs")
    if (root / "summary.json").is_file():
        return [_dj_clip(system, root)]
    runs = sorted(p.parent for p in root.glob("*/summary.json"))
    if runs:
        return [_dj_clip(system, run) for run in runs]
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file())
    if not files:
        raise ConfigError(f"system {system!r}: {root} holds no .wav/.flac files and no DJ runs (*/summary.json)")
    briefs = _read_json(root / "briefs.json") if (root / "briefs.json").is_file() else {}
    clips = []
    for path in files:
        item = path.relative_to(root).with_suffix("").as_posix()
        clips.append(Clip(system, item, briefs.get(item) or _sidecar_brief(path), path))
    return clips


def clips_from_manifest(path: Path) -> list[Clip]:
    """Clips listed in a manifest file (.json list of objects, .jsonl, or .csv)."""
    if not path.is_file():
        raise ConfigError(f"no manifest at {path}; pass a .json, .jsonl or .csv file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(newline="") as f:
            rows = list(csv.DictReader(f))
    elif suffix == ".jsonl":
        rows = [_parse_json(line, path) for line in path.read_text().splitlines() if line.strip()]
    elif suffix == ".json":
        rows = _read_json(path)
    else:
        raise ConfigError(f"{path}: unknown manifest type {suffix!r}; use .json, .jsonl or .csv")
    if not isinstance(rows, list) or not rows:
        raise ConfigError(f"{path}: a manifest is a non-empty list of rows with {', '.join(MANIFEST_FIELDS)} (and brief)")
    clips = []
    for number, row in enumerate(rows, 1):
        missing = [k for k in MANIFEST_FIELDS if not isinstance(row, dict) or not str(row.get(k) or "").strip()]
        if missing:
            raise ConfigError(f"{path}: row {number} lacks {', '.join(missing)}; every row needs {', '.join(MANIFEST_FIELDS)}")
        audio = Path(str(row["audio"]))
        audio = audio if audio.is_absolute() else path.parent / audio
        if not audio.is_file():
            raise ConfigError(f"{path}: row {number}: no audio file at {audio}")
        brief = str(row.get("brief") or "").strip() or None
        clips.append(Clip(str(row["system"]).strip(), str(row["item"]).strip(), brief, audio))
    return clips


def _dj_clip(system: str, run: Path) -> Clip:
    summary = _read_json(run / "summary.json")
    audio = run / str(summary.get("audio", {}).get("file", "set.wav"))
    brief = summary.get("brief")
    if not audio.is_file() or not brief:
        raise ConfigError(f"system {system!r}: DJ run {run} lacks its audio or its brief; re-run it or leave it out")
    return Clip(system, str(brief), str(brief), audio)


def _sidecar_brief(audio: Path) -> str | None:
    sidecar = audio.with_suffix(".json")
    if not sidecar.is_file():
        return None
    meta = _read_json(sidecar)
    if not isinstance(meta, dict):
        return None
    for key in BRIEF_KEYS:
        if isinstance(meta.get(key), str) and meta[key].strip():
            return meta[key].strip()
    return None


def _read_json(path: Path):
    try:
        return safe_json.read_file(path, "listening source")
    except InputError as err:
        raise ConfigError(f"{err}; fix or remove it") from None


def _parse_json(text: str, path: Path):
    try:
        return safe_json.loads(text, str(path))
    except InputError as err:
        raise ConfigError(f"{err}; fix or remove it") from None
