"""The summary.json of a DJ run: what was played, how it ended, how it scored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from agent.dj.config import DJRun
from reference.policy import Played
from tools.audio_io import finite_or_none
from tools.loudness import integrated_lufs, true_peak_dbtp
from tools.mixer import MixerSession
from tools.mixer.guardrails import phase_at

if TYPE_CHECKING:
    from agent.toolbox import MixerTools


def phases_played(session: MixerSession) -> list[dict]:
    """Consecutive bars grouped by arc phase: [{"phase", "start_bar", "end_bar"}] (1-based, inclusive)."""
    spans: list[dict] = []
    for bar in range(session.bars_played):
        name, _ = phase_at(bar, session.max_bars, session.config)
        if spans and spans[-1]["phase"] == name:
            spans[-1]["end_bar"] = bar + 1
        else:
            spans.append({"phase": name, "start_bar": bar + 1, "end_bar": bar + 1})
    return spans


def score(scorer_name: str | None, audio: np.ndarray, sample_rate: int, text: str) -> dict | None:
    """The run's scores through the one metric (agent.metric); None without a scorer or audio."""
    if scorer_name is None or audio.shape[0] == 0:
        return None
    from agent.metric import AudioMetric

    return AudioMetric(scorer_name).scores(audio, sample_rate, text).model_dump()


def build_summary(
    run: DJRun,
    header: dict,
    session: MixerSession,
    tools: MixerTools,
    *,
    played: Played,
    ended_by: str,
    audio: np.ndarray,
    digest: str,
    wall_s: float,
) -> dict[str, Any]:
    sample_rate = session.sample_rate
    return {
        "run_id": header["run_id"],
        "brief": run.brief,
        "palette": {"id": header["palette_id"], "path": header["palette_path"]},
        "policy": header["policy"],
        "prompt": header["prompt_path"],
        "seed": run.seed,
        "bpm": session.bpm,
        "brief_choice": header.get("brief_choice"),
        "bars_requested": run.bars,
        "bars_played": session.bars_played,
        "ended_by": ended_by,
        "phases": phases_played(session),
        "guardrail_events": session.events,
        "tool_calls": tools.calls,
        "lm_calls": played.lm_calls,
        "lm_usage": played.usage or None,
        "audio": {
            "file": "set.wav",
            "seconds": round(audio.shape[0] / sample_rate, 3),
            "sample_rate": sample_rate,
            "sha256": digest,
            # null for silence, or audio under the loudness gate (JSON has no -Infinity)
            "lufs": finite_or_none(integrated_lufs(audio, sample_rate), 2) if np.any(audio) else None,
            "true_peak_dbtp": finite_or_none(true_peak_dbtp(audio), 2) if np.any(audio) else None,
        },
        "scores": score(run.scorer, audio, sample_rate, run.brief),
        "wall_s": round(wall_s, 3),
    }
