"""One DJ run: a policy plays a mixer session; audio, trajectory and summary land in a folder.

Policies (reference.policy): an LM through `dspy.RLM` in the sandbox, the
reference arrangement, a random DJ, or a replayed trajectory. All of them call
the mixer through `MixerTools`, so every run is recorded and replayable the
same way.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np

from agent.dj.config import DJRun
from agent.dj.header import replay_settings
from agent.dj.replay import replay_policy
from agent.dj.summary import build_summary
from agent.toolbox import MixerTools
from agent.trajectory import TrajectoryWriter, read_trajectory
from reference.policy import Played, Policy, Stage
from tools.audio_io import write_audio
from tools.errors import AgentError
from tools.files import file_sha256_or_none, write_json
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


def replay_run(path: Path, policy: Policy | None = None, **overrides: Any) -> DJRun:
    """The DJRun a trajectory was recorded with, played by its replay (or by `policy`)."""
    settings = {**replay_settings(read_trajectory(path).header, path), **overrides}
    return DJRun(policy=policy or replay_policy(path), **settings)


def run_dj(run: DJRun, out_dir: Path, on_call: Callable[[dict], None] | None = None) -> DJOutcome:
    """Play one set and write `set.wav`, `trajectory.jsonl`, `summary.json` into out_dir."""
    from palettes.library import load_palette

    palette_sha256 = file_sha256_or_none(run.palette_path)
    run.policy.check(run.bars, palette_sha256)  # before anything is written
    palette = load_palette(run.palette_path)
    bpm = float(palette.bpm if run.bpm is None else run.bpm)
    session = MixerSession(
        palette.samples,
        bpm=bpm,
        max_bars=run.bars,
        seed=run.seed,
        alternatives=palette.alternatives,
        guardrails=run.guardrails,
    )
    out_dir = prepare_out_dir(Path(out_dir))
    started = time.perf_counter()
    failure: BaseException | None = None
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
            session,
            tools=tools.table(),
            seed=run.seed,
            brief=run.brief,
            record=trajectory.write,
            stop_reason=tools.stop_reason,
        )
        try:
            played = run.policy.play(stage)
        except SetComplete:  # a policy that let the hard stop through
            played = Played()
        except BaseException as err:  # crash, LM or sandbox failure, Ctrl-C: what was played is still written
            failure = err
            played = Played(
                ended_by="interrupted" if isinstance(err, KeyboardInterrupt) else f"error: {type(err).__name__}",
                lm_calls=trajectory.counts["lm"],
            )
            trajectory.write("event", source="run", event={"kind": "run_died", "error": f"{type(err).__name__}: {err}"[:500]})
        ended_by = played.ended_by or ("set_complete" if tools.complete else "calls_exhausted")
        audio = normalize_peak(session.render(), CEILING_DBTP)
        digest = audio_digest(audio)
        trajectory.write("end", ended_by=ended_by, bars=session.bars_played, audio_sha256=digest)
    if failure is None or session.bars_played > 0:
        write_audio(out_dir / "set.wav", audio, session.sample_rate, subtype="float")
        summary = build_summary(
            replace(run, scorer=None) if isinstance(failure, KeyboardInterrupt) else run,
            header,
            session,
            tools,
            played=played,
            ended_by=ended_by,
            audio=audio,
            digest=digest,
            wall_s=time.perf_counter() - started,
        )
        write_json(out_dir / "summary.json", summary)
    if isinstance(failure, (KeyboardInterrupt, AgentError)):
        raise failure
    if failure is not None:
        raise AgentError(
            f"the run died ({type(failure).__name__}: {str(failure)[:300]}); the {session.bars_played} "
            f"bars played are in {out_dir} (summary.json: ended_by {ended_by!r})"
        ) from failure
    return DJOutcome(out_dir, summary, audio, session.sample_rate)


RUN_FILES = ("summary.json", "set.wav", "trajectory.jsonl")  # cleared in this order: a finished run's mark goes first


def prepare_out_dir(out_dir: Path) -> Path:
    """Create `out_dir` and clear an earlier run's files from it, so it never holds two runs' files.

    Temporary files a killed writer left (`.set.wav.*.tmp`, tens of MB each) go too.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in RUN_FILES:
            (out_dir / name).unlink(missing_ok=True)
        for name in RUN_FILES:
            for stale in out_dir.glob(f".{name}.*.tmp"):
                stale.unlink(missing_ok=True)
    except OSError as err:
        raise AgentError(f"cannot create the output folder {out_dir} ({err.strerror or err}); pass --out a writable folder path") from None
    return out_dir
