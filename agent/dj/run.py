"""One DJ run: a policy plays a mixer session; audio, trajectory and summary land in a folder.

Policies (see agent.lm): an LM through `dspy.RLM` in the sandbox, the
reference arrangement, or a replayed trajectory. All of them call the mixer
through `MixerTools`, so every run is recorded and replayable the same way.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from agent.dj.config import DJRun
from agent.dj.header import replay_settings
from agent.dj.summary import build_summary
from agent.lm import LMSpec
from agent.toolbox import MixerTools
from agent.trajectory import TrajectoryWriter, read_trajectory
from reference.arrangements import kind_for_bars, reference_calls, run_calls
from tools.audio_io import write_audio, write_json
from tools.errors import AgentError
from tools.loudness import normalize_peak
from tools.mixer import MixerSession
from tools.mixer.session import TOOL_NAMES

if TYPE_CHECKING:
    import dspy

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


def replay_run(path: Path, lm: LMSpec, **overrides: Any) -> DJRun:
    """The DJRun a trajectory was recorded with, driven by the replay policy."""
    settings = {**replay_settings(read_trajectory(path).header, path), **overrides}
    return DJRun(lm=lm, **settings)


def run_dj(
    run: DJRun,
    out_dir: Path,
    on_call: Callable[[dict], None] | None = None,
    lm: dspy.BaseLM | None = None,
) -> DJOutcome:
    """Play one set and write `set.wav`, `trajectory.jsonl`, `summary.json` into out_dir.

    `lm` replaces the LM built from `run.lm` (a scripted LM in tests and benchmarks).
    """
    from palettes.library import load_palette

    calls = _fixed_calls(run)
    palette = load_palette(run.palette_path)
    bpm = float(palette.bpm if run.bpm is None else run.bpm)
    session = MixerSession(
        palette.samples, bpm=bpm, max_bars=run.bars, seed=run.seed, alternatives=palette.alternatives
    )
    out_dir = prepare_out_dir(Path(out_dir))
    started = time.perf_counter()
    failure: BaseException | None = None
    with TrajectoryWriter(out_dir / "trajectory.jsonl") as trajectory:
        header = trajectory.write(
            "run",
            brief=run.brief,
            palette_path=str(run.palette_path.resolve()),
            palette_sha256=_sha256_file(run.palette_path),
            palette_id=palette.id,
            bars=run.bars,
            bpm=bpm,
            seed=run.seed,
            prompt_path=str(run.prompt_path) if run.lm.kind == "model" else None,
            prompt_sha256=_sha256_file(run.prompt_path) if run.lm.kind == "model" else None,
            policy=run.lm.describe(),
        )
        tools = MixerTools(session, trajectory, on_call)
        try:
            if calls is None:
                ended_by, lm_calls = _play_model(run, session, tools, trajectory, lm)
            else:
                run_calls(tools.table(), calls)
                ended_by, lm_calls = ("set_complete" if tools.complete else "calls_exhausted"), 0
        except BaseException as err:  # crash, LM or sandbox failure, Ctrl-C: what was played is still written
            failure = err
            ended_by = "interrupted" if isinstance(err, KeyboardInterrupt) else f"error: {type(err).__name__}"
            lm_calls = trajectory.counts["lm"]
            trajectory.write("event", source="run", event={"kind": "run_died", "error": f"{type(err).__name__}: {err}"[:500]})
        audio = normalize_peak(session.render(), CEILING_DBTP)
        digest = audio_digest(audio)
        trajectory.write("end", ended_by=ended_by, bars=session.bars_played, audio_sha256=digest)
    if failure is None or session.bars_played > 0:
        write_audio(out_dir / "set.wav", audio, session.sample_rate, subtype="float")
        summary = build_summary(
            replace(run, scorer=None) if isinstance(failure, KeyboardInterrupt) else run, header, session, tools,
            ended_by=ended_by, lm_calls=lm_calls, audio=audio, digest=digest, wall_s=time.perf_counter() - started,
        )
        write_json(out_dir / "summary.json", summary)
    if isinstance(failure, (KeyboardInterrupt, AgentError)):
        raise failure
    if failure is not None:
        raise AgentError(f"the run died ({type(failure).__name__}: {str(failure)[:300]}); the {session.bars_played} "
                         f"bars played are in {out_dir} (summary.json: ended_by {ended_by!r})") from failure
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
        raise AgentError(f"cannot create the output folder {out_dir} ({err.strerror or err}); "
                         "pass --out a writable folder path") from None
    return out_dir


def _fixed_calls(run: DJRun) -> list[tuple[str, dict]] | None:
    """The tool calls of the reference or a replay (None for an LM), checked before anything is written.

    A replay must use the palette file it was recorded with (same sha256):
    the same calls over other samples are another set.
    """
    if run.lm.kind == "replay":
        trajectory = read_trajectory(run.lm.replay_path)
        _check_palette(run.lm.replay_path, run.palette_path, trajectory.header.get("palette_sha256"))
        calls = trajectory.tool_calls()
        unknown = sorted({name for name, _ in calls} - set(TOOL_NAMES))
        if unknown:
            raise AgentError(f"{run.lm.replay_path} calls unknown tools {unknown}; it is not a vibesynth trajectory")
        return calls
    if run.lm.kind == "reference":
        return reference_calls(kind_for_bars(run.bars))
    return None


def _check_palette(trajectory: Path, palette: Path, recorded: str | None) -> None:
    if recorded is None:
        raise AgentError(f"{trajectory} records no palette_sha256 (written before palettes were pinned); "
                         "record the run again to replay it")
    if not palette.is_file():
        raise AgentError(f"no palette at {palette}, the one {trajectory} was recorded with; restore it to replay")
    if _sha256_file(palette) != recorded:
        raise AgentError(f"{palette} changed since {trajectory} was recorded (sha256 differs); "
                         "restore the recorded palette file to replay the run")


def _play_model(
    run: DJRun, session: MixerSession, tools: MixerTools, trajectory: TrajectoryWriter, lm: dspy.BaseLM | None
) -> tuple[str, int]:
    import dspy

    from agent.dj.program import LMRecorder, build_program, palette_menu
    from agent.lm import build_lm

    if not run.prompt_path.is_file():
        raise AgentError(f"no prompt file at {run.prompt_path}; pass --prompt prompts/baseline.txt or another file")
    recorder = LMRecorder(trajectory.write)
    program, sandboxes = build_program(
        run.prompt_path.read_text(encoding="utf-8"),
        tools.functions(),
        stop_reason=tools.stop_reason,
        on_record=lambda kind, payload: trajectory.write(kind, **payload),
        refuse_submit=lambda: f"the set is not finished: {run.bars - session.bars_played} bars left; keep calling play()",
        limits=run.limits,
        max_iters=run.max_iters,
        max_llm_calls=run.max_llm_calls,
    )
    try:
        with dspy.context(lm=lm or build_lm(run.lm), callbacks=[recorder]):
            prediction = program(brief=run.brief, palette=palette_menu(session), bars=run.bars, bpm=session.bpm)
    except dspy.LMError as err:
        if session.bars_played == 0:
            raise AgentError(f"the LM {run.lm.label} failed before anything was played: {err}") from None
        trajectory.write("event", source="lm", event={"kind": "lm_error", "message": str(err)[:500]})
        return "lm_error", recorder.calls
    if tools.complete:
        return "set_complete", recorder.calls
    # Early SUBMITs are refused, so without the hard stop the RLM ran out of iterations or sandboxes.
    trajectory.write("submit", summary=str(prediction.summary))
    if any(sandbox.ended for sandbox in sandboxes.created):
        return "sandbox_failed", recorder.calls
    return "max_iters", recorder.calls
