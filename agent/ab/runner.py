"""The A/B runner: every prompt x model x replica on one palette, then scores and a verdict.

    python -m agent.ab run --prompt A.txt --prompt B.txt --lm openai/gpt-4o-mini --replicas 5
    (scripts/parallel_dj.sh is the documented entry point; it runs exactly this)

Before any set is played it checks everything every run would fail on: the
prompt and palette files, `--bars` against each policy (`Policy.check`),
`--bpm` against the mixer's range, and the scorer (one test clip through the
metric). Replica r of every arm is played with seed r, so the report pairs
arms replica by replica.

Each run is `python -m vibesynth dj ...` in a worker process writing into
`runs/NAME.partial/`, renamed to `runs/NAME/` when it finished; a kill leaves
only `.partial` folders and `.tmp` files, which the next run of the same
folder deletes. Workers die with the runner: SIGINT/SIGTERM stop them before
the runner exits, and on Linux each worker also gets SIGTERM from the kernel
if the runner is killed outright (PR_SET_PDEATHSIG).

Resuming: the same --outdir (a folder holding jobs.tsv) with the same settings
continues; --workers may change, and more --replicas add runs.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.ab.report import Job, read_jobs
from tools.errors import AgentError
from tools.files import file_sha256, write_text
from tools.run_record import read_run, run_path, write_run

ROOT = Path(__file__).resolve().parents[2]
PARTIAL = ".partial"
PR_SET_PDEATHSIG = 1
RESUMABLE = ("workers", "replicas")  # settings a resumed folder may change


@dataclass(frozen=True)
class Plan:
    """The settings of an A/B run (all but `workers` decide its results)."""

    prompts: list[Path]
    lms: list[str]
    replicas: int
    bars: int
    bpm: float | None
    palette: Path
    brief: str
    scorer: str
    temperature: float | None
    api_base: str | None
    workers: int

    def config(self, reads: dict[str, list[str]]) -> dict[str, Any]:
        return {
            "palette": str(self.palette),
            "palette_sha256": file_sha256(self.palette),
            "bars": self.bars,
            "bpm": self.bpm,
            "replicas": self.replicas,
            "scorer": self.scorer,
            "brief": self.brief,
            "temperature": self.temperature,
            "api_base": self.api_base,
            "prompts": [{"file": p.name, "sha256": file_sha256(p)} for p in self.prompts],
            "lms": self.lms,
            "lm_cache": False,
            "seeds": "replica r plays with seed r in every arm",
            "policy_reads": reads,
            "workers": self.workers,
        }


def label(text: str) -> str:
    """A short, filesystem-safe label."""
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in text)


def preflight(plan: Plan) -> dict[str, list[str]]:
    """Refuse what every run would fail on, before anything is played; returns each policy's inputs."""
    from agent.metric import AudioMetric
    from agent.policies import parse_policy
    from tools.mixer.session import BPM_RANGE

    for prompt in plan.prompts:
        if not prompt.is_file():
            raise AgentError(f"no prompt file {prompt}; pass --prompt prompts/baseline.txt or another file")
    if not plan.palette.is_file():
        raise AgentError(f"no palette file {plan.palette}; pass --palette palettes/curated/<name>.json")
    if plan.bpm is not None and not BPM_RANGE[0] <= plan.bpm <= BPM_RANGE[1]:
        raise AgentError(f"--bpm {plan.bpm:g} is out of range; use {BPM_RANGE[0]:g} to {BPM_RANGE[1]:g}, or leave it out for the palette's tempo")
    if plan.bars < 1:
        raise AgentError(f"--bars must be at least 1, got {plan.bars}")
    reads = {}
    palette_sha = file_sha256(plan.palette)
    for lm in plan.lms:
        policy = parse_policy(lm, api_base=plan.api_base, temperature=plan.temperature, prompt_path=plan.prompts[0])
        policy.check(plan.bars, palette_sha)
        reads[lm] = sorted(policy.reads)
    AudioMetric(plan.scorer).check()
    return reads


def ignored_notes(plan: Plan, reads: dict[str, list[str]]) -> list[str]:
    """What the user varies that a policy does not read: those arms are identical by construction."""
    if len(plan.prompts) < 2:
        return []
    return [
        f"--lm {lm} does not read the prompt: its prompt arms are identical by construction and are "
        "reported as such, not tested (give a model to compare prompts)"
        for lm, inputs in reads.items()
        if "prompt" not in inputs
    ]


def open_folder(plan: Plan, outdir: Path, reads: dict[str, list[str]]) -> Path:
    """The run folder: a new ab-TIMESTAMP under outdir, or outdir itself when it holds jobs.tsv (resume)."""
    config = plan.config(reads)
    if (outdir / "jobs.tsv").is_file():
        folder = outdir
        before = read_run(folder, "A/B settings", old_name="config.json")
        if before is None:
            raise AgentError(f"{run_path(folder)} is missing; pass a new --outdir")
        changed = sorted(k for k in before.keys() | config.keys() if k not in RESUMABLE and before.get(k) != config.get(k))
        if changed:
            lines = "; ".join(f"{k}: recorded {json.dumps(before.get(k))}, now {json.dumps(config.get(k))}" for k in changed)
            raise AgentError(f"{folder} was started with other settings ({lines}); repeat them to resume, or pass a new --outdir")
        if plan.replicas < before["replicas"]:
            config["replicas"] = before["replicas"]  # fewer asked: the runs already planned stay
    else:
        folder = outdir / time.strftime("ab-%Y%m%d-%H%M%S")
        folder.mkdir(parents=True, exist_ok=False)
        shutil.copy(plan.palette, folder / "palette.json")
    clean_leftovers(folder)
    (folder / "prompts").mkdir(exist_ok=True)
    (folder / "logs").mkdir(exist_ok=True)
    (folder / "runs").mkdir(exist_ok=True)
    for index, prompt in enumerate(plan.prompts):
        target = folder / "prompts" / f"{index}-{label(prompt.stem)}.txt"
        if not target.is_file():
            shutil.copy(prompt, target)
    write_run(folder, config)
    _write_jobs(folder, plan, config["replicas"])
    return folder


def clean_leftovers(folder: Path) -> list[Path]:
    """Delete what a killed run leaves: `runs/*.partial` folders and `.tmp` files."""
    removed = []
    for partial in (folder / "runs").glob(f"*{PARTIAL}") if (folder / "runs").is_dir() else []:
        shutil.rmtree(partial, ignore_errors=True)
        removed.append(partial)
    for tmp in [*folder.glob("*.tmp"), *folder.glob(".*.tmp")]:
        tmp.unlink(missing_ok=True)
        removed.append(tmp)
    return removed


def _write_jobs(folder: Path, plan: Plan, replicas: int) -> None:
    rows = ["run_dir\tprompt\tlm\treplica"]
    for index, prompt in enumerate(plan.prompts):
        stem = f"{index}-{label(prompt.stem)}"
        for lm in plan.lms:
            for replica in range(1, replicas + 1):
                rows.append(f"runs/{stem}__{label(lm)}__r{replica}\t{stem}\t{lm}\t{replica}")
    write_text(folder / "jobs.tsv", "\n".join(rows) + "\n")


def _die_with_parent() -> None:
    """In the worker, before exec: the kernel sends SIGTERM when the runner dies (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: SIGINT/SIGTERM handling in the runner still stops the workers


class Workers:
    """Runs `vibesynth dj` jobs in worker processes; stops them all on SIGINT/SIGTERM."""

    def __init__(self, folder: Path, plan: Plan) -> None:
        self.folder = folder
        self.plan = plan
        self.live: set[subprocess.Popen] = set()
        self.lock = threading.Lock()
        self.stopping = False

    def command(self, job: Job) -> list[str]:
        prompt = self.folder / "prompts" / f"{job.prompt}.txt"
        args = [
            sys.executable,
            "-m",
            "vibesynth",
            "dj",
            self.plan.brief,
            "--palette",
            str(self.plan.palette),
            "--bars",
            str(self.plan.bars),
            "--prompt",
            str(prompt),
            "--lm",
            job.lm,
            "--seed",
            str(job.replica),
            "--scorer",
            "none",
            "--out",
            str(job.run_dir) + PARTIAL,
            "--force",
            "--quiet",
        ]
        for flag, value in (("--bpm", self.plan.bpm), ("--temperature", self.plan.temperature), ("--api-base", self.plan.api_base)):
            if value is not None:
                args += [flag, str(value)]
        return args

    def run(self, job: Job) -> bool:
        """Play one job; True when its folder is complete."""
        if self.stopping:
            return False
        log = self.folder / "logs" / f"{job.key}.log"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        with log.open("w") as handle:
            process = subprocess.Popen(self.command(job), stdout=handle, stderr=subprocess.STDOUT, env=env, preexec_fn=_die_with_parent)
            with self.lock:
                self.live.add(process)
            try:
                code = process.wait()
            finally:
                with self.lock:
                    self.live.discard(process)
        partial = Path(str(job.run_dir) + PARTIAL)
        if code != 0 or not (partial / "summary.json").is_file():
            shutil.rmtree(partial, ignore_errors=True)
            return False
        shutil.rmtree(job.run_dir, ignore_errors=True)
        os.replace(partial, job.run_dir)
        return True

    def stop(self, signum: int, _frame: Any) -> None:
        self.stopping = True
        with self.lock:
            for process in self.live:
                if process.poll() is None:
                    process.terminate()
        raise KeyboardInterrupt if signum == signal.SIGINT else SystemExit(128 + signum)


def play_all(folder: Path, plan: Plan, progress=None) -> tuple[list[Job], list[Job]]:
    """Play every job not yet done ((done now or before, failed)); workers stop with the runner."""
    jobs = read_jobs(folder)
    todo = [job for job in jobs if not (job.run_dir / "summary.json").is_file()]
    workers = Workers(folder, plan)
    previous = {sig: signal.signal(sig, workers.stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    failed: list[Job] = []
    try:
        with ThreadPoolExecutor(max_workers=plan.workers) as pool:
            for job, ok in zip(todo, pool.map(workers.run, todo)):
                if not ok:
                    failed.append(job)
                if progress:
                    progress(job, ok)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return [job for job in jobs if job not in failed], failed
