"""Score the runs of an A/B folder and summarise them per prompt and model.

The folder is the one `scripts/parallel_dj.sh` writes: `jobs.tsv` lists every
run (folder, prompt, model, replica); each run folder holds `set.wav` and
`summary.json`. Scores are appended to `scores.jsonl` one run at a time, so an
interrupted scoring pass resumes; `summary.json` holds the statistics.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from agent.ab.stats import cohens_d, holm, mean_ci, welch
from tools.audio_io import read_audio, write_json
from tools.errors import AgentError

METRICS = ("OBJ", "CE", "CU", "PC", "PQ")


@dataclass(frozen=True)
class Job:
    run_dir: Path
    prompt: str
    lm: str
    replica: int

    @property
    def key(self) -> str:
        return self.run_dir.name


def read_jobs(folder: Path) -> list[Job]:
    path = folder / "jobs.tsv"
    if not path.is_file():
        raise AgentError(f"{folder} has no jobs.tsv; point at a folder written by scripts/parallel_dj.sh")
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [Job(folder / row["run_dir"], row["prompt"], row["lm"], int(row["replica"])) for row in rows]


def score_runs(folder: Path, scorer_name: str, progress=None) -> list[dict]:
    """Score every finished run not yet in scores.jsonl; returns all score records.

    One folder holds scores of one backend and version: scoring with another
    is refused, so a summary never pools incomparable numbers.
    """
    from aesthetics import get_scorer

    path = folder / "scores.jsonl"
    done = {}
    if path.is_file():
        for line in path.read_text().splitlines():
            if line.strip():
                record = json.loads(line)
                done[record["run"]] = record
    recorded = {record.get("scorer") for record in done.values()} - {None}
    if recorded - {scorer_name}:
        raise AgentError(f"{path} holds scores from --scorer {', '.join(sorted(recorded))}; score with that, "
                         "or write the runs to a new --outdir to compare another backend")
    backends = _backends(done.values())
    scorer = None
    with path.open("a") as handle:
        for job in read_jobs(folder):
            wav = job.run_dir / "set.wav"
            if job.key in done or not wav.is_file() or not (job.run_dir / "summary.json").is_file():
                continue
            scorer = scorer or get_scorer(scorer_name)
            run_summary = json.loads((job.run_dir / "summary.json").read_text())
            audio, sample_rate = read_audio(wav)
            scores = scorer.score(audio, sample_rate, text=run_summary["brief"]).model_dump()
            backend = f"{scores['backend']} {scores['version']}"
            if backends and backend not in backends:
                raise AgentError(f"{path} holds scores from {', '.join(backends)} but --scorer {scorer_name} is "
                                 f"{backend}; one folder is scored by one backend version: use a new --outdir")
            backends = [backend]
            record = {"run": job.key, "prompt": job.prompt, "lm": job.lm, "replica": job.replica,
                      "scorer": scorer_name, "scores": scores}
            handle.write(json.dumps(record) + "\n")
            handle.flush()
            done[job.key] = record
            if progress:
                progress(job)
    return list(done.values())


def summarize(folder: Path) -> dict:
    """Per (prompt, model): n, mean, 95% CI of each metric; each prompt vs the first: Welch, d, Holm."""
    jobs = read_jobs(folder)
    scores = {}
    path = folder / "scores.jsonl"
    if path.is_file():
        for line in path.read_text().splitlines():
            if line.strip():
                record = json.loads(line)
                scores[record["run"]] = record["scores"]
    prompts = list(dict.fromkeys(job.prompt for job in jobs))
    models = list(dict.fromkeys(job.lm for job in jobs))
    values: dict[tuple[str, str], dict[str, list[float]]] = {}
    groups = []
    backends = _backends({"scores": s} for s in scores.values())
    if len(backends) > 1:
        raise AgentError(f"{path} mixes scores from {', '.join(backends)}; their numbers do not compare: "
                         "delete scores.jsonl and score again with one --scorer")
    for prompt in prompts:
        for lm in models:
            members = [job for job in jobs if job.prompt == prompt and job.lm == lm]
            scored = [scores[job.key] for job in members if job.key in scores]
            per_metric = {m: [s[m] for s in scored if s.get(m) is not None] for m in METRICS}
            values[(prompt, lm)] = per_metric
            groups.append({
                "prompt": prompt,
                "lm": lm,
                "runs": len(members),
                "failed": sorted(job.key for job in members if job.key not in scores),
                "ended_by": _ended_by(members),
                "metrics": {m: mean_ci(v) for m, v in per_metric.items() if v},
            })
    comparisons = []
    for lm in models:
        control = values[(prompts[0], lm)]
        for prompt in prompts[1:]:
            treatment = values[(prompt, lm)]
            comparison = {"prompt": prompt, "versus": prompts[0], "lm": lm, "metrics": {}}
            for metric in METRICS:
                if treatment[metric] and control[metric]:
                    test = welch(treatment[metric], control[metric])
                    comparison["metrics"][metric] = {
                        "diff": mean_ci(treatment[metric])["mean"] - mean_ci(control[metric])["mean"],
                        "cohens_d": cohens_d(treatment[metric], control[metric]),
                        **test,
                    }
            comparisons.append(comparison)
    for metric in METRICS:
        tested = [c["metrics"][metric] for c in comparisons if metric in c["metrics"]]
        for entry, adjusted in zip(tested, holm([entry["p"] for entry in tested])):
            entry["p_holm"] = adjusted
    summary = {
        "folder": str(folder),
        "scorers": backends,
        "prompts": prompts,
        "models": models,
        "groups": groups,
        "comparisons": comparisons,
        "method": (
            "mean ± t-based 95% CI per group; Welch's t-test and Cohen's d (pooled sd) of each prompt against "
            "the first, per model; p-values Holm-corrected across all comparisons of a metric"
        ),
    }
    write_json(folder / "summary.json", summary)
    return summary


def _backends(records) -> list[str]:
    return sorted({f"{r['scores']['backend']} {r['scores']['version']}" for r in records})


def _ended_by(jobs: list[Job]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for job in jobs:
        path = job.run_dir / "summary.json"
        reason = json.loads(path.read_text())["ended_by"] if path.is_file() else "failed"
        counts[reason] = counts.get(reason, 0) + 1
    return counts
