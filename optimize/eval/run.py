"""Run producers over a vibe split; the per-example JSONL is the checkpoint, so a run resumes.

Per (producer, vibe) row: the raw output, strict validity, the granular schema
score, latency, and for valid configs the judge reward and dsp OBJ of a short
render (an invalid output gets reward 0, as in seeds/000's combined reward,
and no OBJ); with a teacher file, the per-field agreement with the teacher's
config. The controllability pairs run through the same producers.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from optimize.eval import controllability as ctl
from optimize.eval.audio import AudioJudge
from optimize.eval.producers import Producer, ProducerContext, make_producer, parse_specs
from optimize.eval.schema_score import is_valid, parse_json, schema_score
from optimize.eval.teacher import TeacherSet, load_teacher
from optimize.vibes.data import CONTROL_PATH, load_split, read_jsonl
from optimize.vibes.generate import Embedder, normalise
from tools.errors import ConfigError
from tools.files import dumps_json, write_json, write_jsonl
from tools.run_record import read_run, write_run
from tools.schema import FIELDS, MusicConfig

EXAMPLES = "examples.jsonl"
CONTROL = "controllability.jsonl"


@dataclass
class EvalSettings:
    producers: list[str]
    split: str = "test"
    judge: str = "vibe"
    baseline: str | None = None  # default: `rule` when run, else the first producer
    teacher: str | None = None
    duration: float = 8.0
    sample_rate: int = 22050
    seed: int = 0
    limit: int | None = None
    api_base: str | None = None
    lm_retries: int = 2
    controllability: bool = True
    cache: bool = True
    plots: bool = True

    def check(self) -> None:
        self.producers = parse_specs(",".join(self.producers))
        if self.baseline is None:
            self.baseline = "rule" if "rule" in self.producers else self.producers[0]
        if self.baseline not in self.producers:
            raise ConfigError(f"baseline {self.baseline!r} is not among the producers; add it to --producers or pick one of them")
        if not 0.5 <= self.duration <= 60:
            raise ConfigError(f"--duration {self.duration} s is out of range; use 0.5 to 60 s (8 is the default)")
        if self.sample_rate not in (16000, 22050, 24000, 32000, 44100, 48000):
            raise ConfigError(f"--sample-rate {self.sample_rate} is not supported; use 16000, 22050, 24000, 32000, 44100 or 48000")
        if self.limit is not None and self.limit < 1:
            raise ConfigError(f"--limit {self.limit} must be at least 1")

    def matches(self, old: dict) -> list[str]:
        """Settings that differ from a saved run's (producers, vibes and the control pairs may be added on resume)."""
        mine = asdict(self)
        free = ("producers", "baseline", "plots", "limit", "controllability", "cache")
        return [k for k in mine if k not in free and old.get(k) != mine[k]]


@dataclass
class Run:
    settings: EvalSettings
    examples: list[dict]
    rows: list[dict] = field(default_factory=list)
    control_rows: list[dict] = field(default_factory=list)
    producers: dict[str, dict] = field(default_factory=dict)
    judge: dict = field(default_factory=dict)
    teacher: TeacherSet | None = None


def _read_rows(path: Path) -> list[dict]:
    """Checkpoint rows; a torn last line (killed mid-write) is dropped."""
    if not path.is_file():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return rows


def _default_embedder() -> Embedder:
    try:
        from aesthetics.embed import embed_texts
    except ImportError as err:
        raise ConfigError(f"retrieval needs the MiniLM embedder (aesthetics.embed): {err}; run `make setup`") from None
    return embed_texts


def _row(producer: Producer, example: dict, judge: AudioJudge | None, teacher: TeacherSet | None, clips: Path | None = None) -> dict:
    start = time.perf_counter()
    production = producer.produce(example["vibe"], example["id"])
    latency_ms = 1000 * (time.perf_counter() - start)
    row = {
        "producer": producer.name,
        "id": example["id"],
        "vibe": example["vibe"],
        "raw": production.raw,
        "missing": production.missing,
        "attempts": production.attempts,
        "note": production.note,
        "latency_ms": round(latency_ms, 3),
    }
    if production.missing:
        return row
    if production.audio is not None:
        return _audio_row(row, production, example, judge, clips)
    valid = production.raw is not None and is_valid(production.raw)
    config = MusicConfig.parse(parse_json(production.raw)) if valid else None
    row.update(
        valid=valid,
        schema_score=round(schema_score(production.raw or "")[0], 6),
        config=config.model_dump() if config else None,
        reward=0.0,
        dsp_obj=None,
    )
    if config is not None and judge is not None:
        row.update(judge(config, example["vibe"]))
    record = teacher.get(example["vibe"]) if teacher else None
    if record is not None:
        matches = {f: bool(config is not None and getattr(config, f) == getattr(record.config, f)) for f in FIELDS}
        row.update(fields_match=matches, agreement=sum(matches.values()) / len(FIELDS), teacher_config=record.config.model_dump())
    return row


AUDIO_ONLY = "an audio producer makes no config: validity, schema score, teacher agreement and controllability (config fields moving) do not apply"
CLIPS = "clips"


def _audio_row(row: dict, production, example: dict, judge: AudioJudge | None, clips: Path | None) -> dict:
    """An audio producer's row: its clip judged like a render; config-only metrics empty, saying why.
    The clip is kept under `clips/<producer>/<id>.wav` with a sidecar, ready for `vibesynth listen build --system`."""
    from tools.audio_io import write_audio

    row.update(
        makes="audio", valid=None, schema_score=None, config=None, reward=None, dsp_obj=None, not_applicable=AUDIO_ONLY, cost_usd=production.cost_usd
    )
    if judge is not None:
        row.update(judge.score_audio(production.audio, production.sample_rate, example["vibe"]))
    if clips is not None:
        folder = clips / re.sub(r"[^A-Za-z0-9._-]+", "_", row["producer"])
        write_audio(folder / f"{example['id']}.wav", production.audio, production.sample_rate)
        write_json(
            folder / f"{example['id']}.json",
            {
                "vibe": example["vibe"],
                "producer": row["producer"],
                "id": example["id"],
                "sample_rate": production.sample_rate,
                "note": production.note,
            },
        )
    return row


def _control_row(producer: Producer, pair: dict) -> dict:
    """One pair; a producer with no answer for a side (a teacher file without it) gets `moved: None`."""
    configs, missing = {}, False
    for side in ("low", "high"):
        production = producer.produce(pair[side], f"{pair['id']}-{side}")
        missing = missing or production.missing
        raw = production.raw
        configs[side] = MusicConfig.parse(parse_json(raw)) if raw is not None and is_valid(raw) else None
    return {
        "producer": producer.name,
        "id": pair["id"],
        "axis": pair["axis"],
        "low": configs["low"].model_dump() if configs["low"] else None,
        "high": configs["high"].model_dump() if configs["high"] else None,
        "moved": None if missing else ctl.moved(pair["axis"], configs["low"], configs["high"]),
    }


def run_eval(settings: EvalSettings, out: Path, embed: Embedder | None = None, quiet: bool = False) -> Run:
    """Produce, judge and checkpoint every (producer, vibe); returns everything the report needs."""
    settings.check()
    everything = load_split(settings.split)
    examples = everything[: settings.limit] if settings.limit else everything
    teacher = load_teacher(settings.teacher) if settings.teacher else None
    pairs = ctl.check_pairs(read_jsonl(CONTROL_PATH, "controllability set")) if settings.controllability else []
    out.mkdir(parents=True, exist_ok=True)
    recorded = read_run(out, "eval settings", old_name="config.json")
    if recorded is not None and (_read_rows(out / EXAMPLES) or _read_rows(out / CONTROL)):
        changed = settings.matches(recorded.get("settings", {}))
        if changed:
            raise ConfigError(f"{out} holds a run with other settings ({', '.join(changed)}); resume with the same settings or use a new --out")
    needs_embed = "retrieval" in settings.producers  # parsed: retrieval takes no argument
    ctx = ProducerContext(
        seed=settings.seed,
        teacher=teacher,
        api_base=settings.api_base,
        lm_retries=settings.lm_retries,
        quiet=quiet,
        embed=(embed or _default_embedder()) if needs_embed else None,
        train=load_split("train") if needs_embed and teacher is None else [],
        exclude=frozenset([normalise(e["vibe"]) for e in everything] + [normalise(pair[side]) for pair in pairs for side in ("low", "high")]),
        clip_seconds=settings.duration,
        sample_rate=settings.sample_rate,
    )
    judge = AudioJudge(settings.judge, settings.duration, settings.sample_rate, settings.seed, settings.cache)
    producers = [make_producer(spec, ctx) for spec in settings.producers]
    run = Run(settings, examples, teacher=teacher, judge=judge.describe(), producers={p.name: p.describe() for p in producers})
    write_run(
        out,
        {
            "settings": asdict(settings),
            "judge": run.judge,
            "producers": run.producers,
            "split_size": len(examples),
            "teacher_records": len(teacher) if teacher else None,
        },
    )
    wanted = {e["id"] for e in examples}
    rows = [r for r in _read_rows(out / EXAMPLES) if r.get("producer") in run.producers and r.get("id") in wanted]
    control = [r for r in _read_rows(out / CONTROL) if r.get("producer") in run.producers]
    done = {(r["producer"], r["id"]) for r in rows}
    control_done = {(r["producer"], r["id"]) for r in control}
    todo = [(p, e) for p in producers for e in examples if (p.name, e["id"]) not in done]
    control_todo = [(p, c) for p in producers if p.makes == "config" for c in pairs if (p.name, c["id"]) not in control_done]
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with (
        Progress(*columns, disable=quiet) as progress,
        (out / EXAMPLES).open("a", encoding="utf-8") as sink,
        (out / CONTROL).open("a", encoding="utf-8") as control_sink,
    ):
        task = progress.add_task("vibes", total=len(todo))
        for producer, example in todo:
            progress.update(task, description=f"{producer.name}")
            row = _row(producer, example, judge, teacher, out / CLIPS)
            sink.write(dumps_json(row) + "\n")
            sink.flush()
            rows.append(row)
            progress.advance(task)
        task = progress.add_task("controllability", total=len(control_todo))
        for producer, pair in control_todo:
            row = _control_row(producer, pair)
            control_sink.write(dumps_json(row) + "\n")
            control_sink.flush()
            control.append(row)
            progress.advance(task)
    order = {name: i for i, name in enumerate(run.producers)}
    position = {e["id"]: i for i, e in enumerate(examples)}
    run.rows = sorted(rows, key=lambda r: (order[r["producer"]], position[r["id"]]))
    pair_order = {c["id"]: i for i, c in enumerate(pairs)}
    run.control_rows = sorted((r for r in control if r["id"] in pair_order), key=lambda r: (order[r["producer"]], pair_order[r["id"]]))
    write_jsonl(out / EXAMPLES, run.rows)
    write_jsonl(out / CONTROL, run.control_rows)
    return run
