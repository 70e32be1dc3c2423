"""Score the runs of an A/B folder and answer "is B better?" per arm.

The folder is the one `agent.ab.runner` writes: `jobs.tsv` lists every run
(folder, prompt, model, replica); replica r of every arm is played with seed
r, so arms are compared replica by replica with a PAIRED t-test (Welch's only
where no replicas pair up). Scores come from the one metric
(agent.metric.AudioMetric) and are appended to `scores.jsonl` one run at a
time, so an interrupted pass resumes; a truncated line (a kill mid-write) is
dropped and that run scored again. `summary.json` holds the statistics.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from agent.ab.stats import SMALL_N, holm, mean_ci, paired, unpaired, verdict
from tools.audio_io import read_audio
from tools.errors import AgentError, InputError
from tools.files import dumps_json, write_json, write_text
from tools.run_record import read_run

METRICS = ("OBJ", "CE", "CU", "PC", "PQ")
DEFAULT_ALPHA = 0.05


@dataclass(frozen=True)
class Job:
    run_dir: Path
    prompt: str
    lm: str
    replica: int

    @property
    def key(self) -> str:
        return self.run_dir.name


JOB_COLUMNS = ("run_dir", "prompt", "lm", "replica")


def read_jobs(folder: Path) -> list[Job]:
    path = folder / "jobs.tsv"
    if not path.is_file():
        raise AgentError(f"{folder} has no jobs.tsv; point at a folder written by scripts/parallel_dj.sh")
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = [column for column in JOB_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise AgentError(
                f"{path} lacks the column(s) {', '.join(missing)}; it needs {', '.join(JOB_COLUMNS)} "
                "(tab-separated, as scripts/parallel_dj.sh writes it)"
            )
        rows = list(reader)
    jobs = []
    for line, row in enumerate(rows, 2):
        if not (row["replica"] or "").strip().isdigit():
            raise AgentError(f"{path} line {line}: replica {row['replica']!r} is not a whole number")
        jobs.append(Job(folder / row["run_dir"], row["prompt"], row["lm"], int(row["replica"])))
    return jobs


def read_scores(path: Path) -> tuple[dict[str, dict], int]:
    """run -> score record, and how many damaged lines were skipped (a kill mid-write leaves one)."""
    records: dict[str, dict] = {}
    damaged = 0
    if not path.is_file():
        return records, damaged
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            records[record["run"]] = record
        except (json.JSONDecodeError, KeyError, TypeError):
            damaged += 1
    return records, damaged


def _rewrite(path: Path, records: dict[str, dict]) -> None:
    write_text(path, "".join(dumps_json(record) + "\n" for record in records.values()))


def score_runs(folder: Path, scorer_name: str, progress=None) -> list[dict]:
    """Score every finished run not yet in scores.jsonl; returns all score records.

    One folder holds scores of one backend and version: scoring with another
    is refused, so a summary never pools incomparable numbers.
    """
    from agent.metric import AudioMetric

    path = folder / "scores.jsonl"
    done, damaged = read_scores(path)
    if damaged:
        _rewrite(path, done)  # the damaged line goes; its run is scored again below
    recorded = {record.get("scorer") for record in done.values()} - {None}
    if recorded - {scorer_name}:
        raise AgentError(
            f"{path} holds scores from --scorer {', '.join(sorted(recorded))}; score with that, "
            "or write the runs to a new --outdir to compare another backend"
        )
    backends = _backends(done.values())
    metric = AudioMetric(scorer_name)
    with path.open("a") as handle:
        for job in read_jobs(folder):
            wav = job.run_dir / "set.wav"
            if job.key in done or not wav.is_file() or not (job.run_dir / "summary.json").is_file():
                continue
            run_summary = json.loads((job.run_dir / "summary.json").read_text())
            audio, sample_rate = read_audio(wav)
            scores = metric.scores(audio, sample_rate, run_summary["brief"]).model_dump()
            backend = f"{scores['backend']} {scores['version']}"
            if backends and backend not in backends:
                raise AgentError(
                    f"{path} holds scores from {', '.join(backends)} but --scorer {scorer_name} is "
                    f"{backend}; one folder is scored by one backend version: use a new --outdir"
                )
            backends = [backend]
            record = {
                "run": job.key,
                "prompt": job.prompt,
                "lm": job.lm,
                "replica": job.replica,
                "scorer": scorer_name,
                "scores": scores,
                "lm_usage": run_summary.get("lm_usage"),
            }
            handle.write(dumps_json(record) + "\n")
            handle.flush()
            done[job.key] = record
            if progress:
                progress(job)
    return list(done.values())


def summarize(folder: Path, alpha: float = DEFAULT_ALPHA) -> dict:
    """Per arm (prompt, model): n, mean, 95% CI; each arm against its control, paired by replica, Holm across arms."""
    jobs = read_jobs(folder)
    path = folder / "scores.jsonl"
    records, damaged = read_scores(path)
    backends = _backends(records.values())
    if len(backends) > 1:
        raise AgentError(
            f"{path} mixes scores from {', '.join(backends)}; their numbers do not compare: delete scores.jsonl and score again with one --scorer"
        )
    config = _config(folder)
    reads = config.get("policy_reads", {})
    prompts = list(dict.fromkeys(job.prompt for job in jobs))
    models = list(dict.fromkeys(job.lm for job in jobs))
    arms: dict[tuple[str, str], dict[str, dict[int, float]]] = {}
    groups = []
    for prompt in prompts:
        for lm in models:
            members = [job for job in jobs if job.prompt == prompt and job.lm == lm]
            scored = [(job.replica, records[job.key]) for job in members if job.key in records]
            per_metric = {m: {r: rec["scores"][m] for r, rec in scored if rec["scores"].get(m) is not None} for m in METRICS}
            arms[(prompt, lm)] = per_metric
            groups.append(
                {
                    "prompt": prompt,
                    "lm": lm,
                    "runs": len(members),
                    "failed": sorted(job.key for job in members if job.key not in records),
                    "ended_by": _ended_by(members),
                    "metrics": {m: mean_ci(list(v.values())) for m, v in per_metric.items() if v},
                    "lm_usage": _usage([rec.get("lm_usage") for _, rec in scored]),
                }
            )
    comparisons = [
        _compare(arms, (prompt, lm), (prompts[0], lm), "prompt", lm in reads and "prompt" not in reads[lm]) for lm in models for prompt in prompts[1:]
    ] + [
        # under a later prompt, two policies that both ignore the prompt repeat the first prompt's comparison
        _compare(
            arms,
            (prompt, lm),
            (prompt, models[0]),
            "lm",
            prompt != prompts[0] and all(m in reads and "prompt" not in reads[m] for m in (lm, models[0])),
        )
        for prompt in prompts
        for lm in models[1:]
    ]
    for metric in METRICS:
        tested = [c["metrics"][metric] for c in comparisons if metric in c["metrics"]]
        for entry, adjusted in zip(tested, holm([entry["p"] for entry in tested])):
            entry["p_holm"] = adjusted
    for comparison in comparisons:
        for entry in comparison["metrics"].values():
            entry["verdict"] = "identical by construction" if comparison["ignored"] else verdict(entry, alpha, label=_arm_label(comparison))
            entry["warning"] = (
                f"small n ({entry['n']} < {SMALL_N}): low power, a null result says little"
                if entry["n"] < SMALL_N and not comparison["ignored"]
                else None
            )
    summary = {
        "folder": str(folder),
        "scorers": backends,
        "alpha": alpha,
        "prompts": prompts,
        "models": models,
        "groups": groups,
        "comparisons": comparisons,
        "damaged_score_lines": damaged,
        "method": (
            "mean ± t-based 95% CI per arm; each prompt against the first (per model) and each model against the "
            "first (per prompt); replicas share seeds across arms, so a paired t-test on replica-matched "
            "differences (mean difference with its 95% CI, d_z), Welch's t-test only where no replicas pair; "
            "p-values Holm-corrected across all comparisons of a metric; verdict at alpha on the Holm p. "
            "A policy that does not read the varied input (e.g. the reference and the prompt) is reported "
            "'identical by construction' and not tested."
        ),
    }
    write_json(folder / "summary.json", summary)
    return summary


def _compare(arms: dict, treatment: tuple[str, str], control: tuple[str, str], varied: str, ignored: bool) -> dict:
    comparison = {
        "prompt": treatment[0],
        "lm": treatment[1],
        "versus": {"prompt": control[0], "lm": control[1]},
        "varied": varied,
        "ignored": ignored,
        "metrics": {},
    }
    if ignored:
        return comparison
    for metric in METRICS:
        a, b = arms[treatment][metric], arms[control][metric]
        common = sorted(set(a) & set(b))
        if len(common) >= 2:
            comparison["metrics"][metric] = paired([a[r] for r in common], [b[r] for r in common])
        elif a and b:
            comparison["metrics"][metric] = unpaired(list(a.values()), list(b.values()))
    return comparison


def _arm_label(comparison: dict) -> str:
    return comparison["prompt"] if comparison["varied"] == "prompt" else comparison["lm"]


def _config(folder: Path) -> dict:
    try:
        return read_run(folder, "A/B settings") or {}
    except InputError:
        return {}


def _usage(entries: list[dict | None]) -> dict | None:
    known = [entry for entry in entries if entry]
    if not known:
        return None
    total = {key: sum(entry.get(key) or 0 for entry in known) for key in ("prompt_tokens", "completion_tokens")}
    costs = [entry.get("cost_usd") for entry in known]
    total["cost_usd"] = sum(costs) if all(isinstance(c, (int, float)) for c in costs) else None
    total["runs"] = len(known)
    return total


def _backends(records) -> list[str]:
    return sorted({f"{r['scores']['backend']} {r['scores']['version']}" for r in records})


def _ended_by(jobs: list[Job]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for job in jobs:
        path = job.run_dir / "summary.json"
        reason = json.loads(path.read_text())["ended_by"] if path.is_file() else "failed"
        counts[reason] = counts.get(reason, 0) + 1
    return counts
