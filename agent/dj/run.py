"""One DJ run: a policy plays a mixer session; audio, trajectory and summary land in a folder.

Policies (reference.policy): an LM through `dspy.RLM` in the sandbox, the
reference arrangement, a random DJ, or a replayed trajectory. All of them call
the mixer through `MixerTools`, so every run is recorded and replayable the
same way.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from agent.dj.config import DJRun
from agent.dj.header import replay_settings
from agent.dj.summary import build_summary
from agent.toolbox import MixerTools
from agent.trajectory import TrajectoryWriter, read_trajectory
from reference.policy import Played, Policy, Stage
from tools.audio_io import write_audio, write_json
from tools.errors import AgentError
from tools.loudness import normalize_peak
from tools.mixer import MixerSession, SetComplete

CEILING_DBTP = -1.0


@dataclass
class DJOutcome:
    out_dir: Path
    summary: dict
    audio: np.ndarray
    sample_rate: int


def audio_digest(audio: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(audio, dtype=np.float32).tobytes()).hexdigest()


def _sha256_file(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def replay_run(path: Path, policy: Policy | None = None, **overrides: Any) -> DJRun:
    """The DJRun a trajectory was recorded with, played by its replay (or by `policy`)."""
    from agent.policies import replay_policy

    settings = {**replay_settings(read_trajectory(path).header, path), **overrides}
    return DJRun(policy=policy or replay_policy(path), **settings)


def run_dj(run: DJRun, out_dir: Path, on_call: Callable[[dict], None] | None = None) -> DJOutcome:
    """Play one set and write `set.wav`, `trajectory.jsonl`, `summary.json` into out_dir."""
    from palettes.library import load_palette

    palette_sha256 = _sha256_file(run.palette_path)
    run.policy.check(run.bars, palette_sha256)  # before anything is written
    palette = load_palette(run.palette_path)
    bpm = float(palette.bpm if run.bpm is None else run.bpm)
    session = MixerSession(
        palette.samples, bpm=bpm, max_bars=run.bars, seed=run.seed, alternatives=palette.alternatives,
        guardrails=run.guardrails,
    )
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AgentError(f"cannot create the output folder {out_dir} ({err.strerror or err}); "
                         "pass --out a writable folder path") from None
    started = time.perf_counter()
    with TrajectoryWriter(out_dir / "trajectory.jsonl") as trajectory:
        policy_settings = run.policy.settings()
        header = trajectory.write(
            "run",
            brief=run.brief,
            palette_path=str(run.palette_path.resolve()),
            palette_sha256=palette_sha256,
            palette_id=palette.id,
            bars=run.bars,
            bpm=bpm,
            seed=run.seed,
            prompt_path=policy_settings.get("prompt"),
            prompt_sha256=policy_settings.get("prompt_sha256"),
            policy=policy_settings,
            guardrails=run.guardrails.model_dump(mode="json") if run.guardrails else None,
            brief_choice=run.brief_choice,
        )
        tools = MixerTools(session, trajectory, on_call)
        stage = Stage.of_session(
            session, tools=tools.table(), seed=run.seed, brief=run.brief, record=trajectory.write,
            stop_reason=tools.stop_reason,
        )
        try:
            played = run.policy.play(stage)
        except SetComplete:  # a policy that let the hard stop through
            played = Played()
        ended_by = played.ended_by or ("set_complete" if tools.complete else "calls_exhausted")
        audio = normalize_peak(session.render(), CEILING_DBTP)
        digest = audio_digest(audio)
        trajectory.write("end", ended_by=ended_by, bars=session.bars_played, audio_sha256=digest)
    write_audio(out_dir / "set.wav", audio, session.sample_rate, subtype="float")
    summary = build_summary(
        run, header, session, tools, played=played, ended_by=ended_by, audio=audio, digest=digest,
        wall_s=time.perf_counter() - started,
    )
    write_json(out_dir / "summary.json", summary)
    return DJOutcome(out_dir, summary, audio, session.sample_rate)
