"""Proxy judges' scores of a pack's clips, cached beside the report (resumable).

A judge is any `aesthetics.get_scorer` backend. Its value for a clip is
`<backend>_reward` when the backend gives one (the vibe judge, clap), else
OBJ (dsp, audiobox). Clips are scored as the listeners heard them: the
loudness-matched audio in the pack, with the pair's brief as the text.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aesthetics import Scores, get_scorer
from optimize.listen.pack import PackManifest
from tools.audio_io import read_audio
from tools.errors import VibesynthError
from tools.files import write_json


@dataclass
class JudgeScores:
    name: str
    field: str | None = None
    version: str | None = None
    values: dict[str, float] = dataclasses.field(default_factory=dict)
    unscored: dict[str, str] = dataclasses.field(default_factory=dict)
    unavailable: str | None = None


def proxy_value(scores: Scores) -> tuple[str, float]:
    reward = f"{scores.backend}_reward"
    if reward in scores.extra:
        return reward, float(scores.extra[reward])
    if scores.OBJ is not None:
        return "OBJ", float(scores.OBJ)
    raise VibesynthError(f"backend {scores.backend!r} gives neither OBJ nor {reward}; it cannot act as a proxy judge here")


def score_clips(
    judge: str,
    pack_dir: Path,
    manifest: PackManifest,
    cache_path: Path,
    on_clip: Callable[[int, int], None] | None = None,
) -> JudgeScores:
    """Score every clip of the pack with one judge, reusing the cache where the judge's version matches."""
    try:
        scorer = get_scorer(judge)
    except VibesynthError as err:
        return JudgeScores(judge, unavailable=str(err))
    cache = json.loads(cache_path.read_text()) if cache_path.is_file() else {}
    entry = cache.get(judge, {})
    result = JudgeScores(judge, version=scorer.version)
    if entry.get("version") == scorer.version:
        result.field = entry.get("field")
        result.values = dict(entry.get("values", {}))
    brief_of = {}
    for pair in manifest.pairs:
        brief_of.setdefault(pair.a, pair.brief)
        brief_of.setdefault(pair.b, pair.brief)
    todo = [token for token in manifest.clips if token not in result.values]
    for number, token in enumerate(todo, 1):
        audio, rate = read_audio(pack_dir / manifest.clips[token].file)
        try:
            result.field, result.values[token] = proxy_value(scorer.score(audio, rate, text=brief_of.get(token)))
        except VibesynthError as err:
            result.unscored[token] = str(err)
        if on_clip:
            on_clip(number, len(todo))
        if number % 16 == 0 or number == len(todo):
            cache[judge] = {"version": result.version, "field": result.field, "values": result.values}
            write_json(cache_path, cache)
    return result
