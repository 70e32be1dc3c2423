"""How well the project reads words it was not written for: the frozen vibe sets of `optimize/data/reader/`.

Three measurements, each per axis or field with a Wilson 95 % CI:

- `judge_2afc`: for each expectation of a vibe ("a lazy hammock" -> pace low),
  the rule mapper's config for the vibe with the axis's driving field set to the
  expected end and to the opposite end; a trial is right when the `vibe` judge
  (a CLAP PROXY) gives the expected render the higher reward. Rhythm-driven axes
  raise density to 5 so the rhythm layer sounds.
- `mapper_match`: the mapper's config against the expected field values: exact,
  and within one step for ordinal fields.
- `audio_ends`: the audio side alone: each axis's driving field at its two ends
  on configs drawn like the mapper's outputs (the neutral default first), over
  render seeds; right when the axis's calibrated measurement orders them.

The sets are frozen: `load_frozen` refuses a file whose sha256 is not the one
recorded in `optimize/data/reader/FROZEN.md`.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from scipy import stats

from aesthetics.vibe.reader import ORDINAL, read
from reference.vibe_mapper import NEUTRAL, map_vibe
from tools.files import file_sha256
from tools.schema import MusicConfig, choices

SETS = Path(__file__).resolve().parents[1] / "data" / "reader"
HELD_OUT = "unseen-v6"  # the set the current judge is reported on; never tuned on (FROZEN.md)
# axis -> (field, low end, high end) that drives it in the ambient instrument
DRIVERS = {
    "pace": ("tempo", "very_slow", "very_fast"),
    "energy": ("rhythm", "none", "electronic"),
    "brightness": ("brightness", "very_dark", "very_bright"),
    "space": ("space", "dry", "vast"),
    "density": ("density", 2, 6),
    "valence": ("mode", "minor", "major"),
    "grit": ("grain", "clean", "gritty"),
    "percussion": ("rhythm", "none", "electronic"),
    "width": ("stereo", "mono", "ultra_wide"),
    "register": ("brightness", "very_dark", "very_bright"),
}
# Fields whose values are ordered: the reader's ordinal fields, and two the schema lists in order.
ORDERED = {**{name: values for name, (_axis, values) in ORDINAL.items()}, **{name: choices(name) for name in ("echo", "grain")}}

Measure = Callable[[MusicConfig, int], tuple[dict[str, float], float]]


def load_frozen(name: str, folder: Path = SETS) -> list[dict]:
    """The items of a frozen set (`unseen-v1`, `dev-v1` of `folder`), after checking its recorded sha256."""
    path = folder / f"{name}.jsonl"
    if not path.exists():
        raise SystemExit(f"no set {name!r}: the frozen sets are {sorted(p.stem for p in folder.glob('*.jsonl'))}")
    digest = file_sha256(path)
    recorded = re.search(rf"`{re.escape(path.name)}`[^\n]*`([0-9a-f]{{64}})`", (folder / "FROZEN.md").read_text())
    if recorded is None or recorded.group(1) != digest:
        raise SystemExit(f"{path} does not match the sha256 recorded in {folder / 'FROZEN.md'}: a frozen set is never edited")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def wilson(hits: int, n: int) -> dict:
    if n == 0:
        return {"n": 0, "hits": 0, "rate": None, "ci95": None}
    ci = stats.binomtest(hits, n).proportion_ci(confidence_level=0.95, method="wilson")
    return {"n": n, "hits": hits, "rate": hits / n, "ci95": [float(ci.low), float(ci.high)]}


def _summary(outcomes: Iterable[tuple[str, bool]]) -> dict:
    groups: dict[str, list[bool]] = defaultdict(list)
    for key, right in outcomes:
        groups[key].append(right)
        groups["all"].append(right)
    return {key: wilson(sum(v), len(v)) for key, v in sorted(groups.items())}


def expectations(items: list[dict]) -> list[tuple[dict, str, str]]:
    return [(item, axis, direction) for item in items for axis, direction in item["axes"].items()]


def flipped(config: MusicConfig, axis: str, high: bool) -> MusicConfig:
    field, low_value, high_value = DRIVERS[axis]
    values = config.model_dump()
    if field == "rhythm":
        values["density"] = max(values["density"], 5)
    return MusicConfig(**{**values, field: high_value if high else low_value})


def _renders(text: str, axis: str, direction: str, seed: int, measure: Measure) -> tuple[tuple, tuple]:
    """The measured renders of the mapper's config with the axis's field set the expected way and the other way."""
    base = map_vibe(text)
    return (measure(flipped(base, axis, direction == "high"), seed), measure(flipped(base, axis, direction != "high"), seed))


def judge_2afc(items: list[dict], measure: Measure, reward: Callable[[str, tuple], float], first_seed: int = 0, progress: Callable = iter) -> dict:
    """The judge prefers the render whose driving field matches the expectation (per axis, Wilson CIs)."""
    trials = []
    for i, (item, axis, direction) in enumerate(progress(expectations(items))):
        right, wrong = _renders(item["text"], axis, direction, first_seed + i, measure)
        trials.append(
            {"id": item["id"], "axis": axis, "direction": direction, "right": reward(item["text"], right), "wrong": reward(item["text"], wrong)}
        )
    return {"summary": _summary((t["axis"], t["right"] > t["wrong"]) for t in trials), "trials": trials}


def rejudge(items: list[dict], trials: list[dict], measure: Measure, reward: Callable[[str, tuple], float], first_seed: int = 0) -> dict:
    """The same trials judged by another reward (e.g. the reader with a source left out): the renders are memoised."""
    texts = {item["id"]: item["text"] for item in items}
    outcomes = []
    for i, t in enumerate(trials):
        right, wrong = _renders(texts[t["id"]], t["axis"], t["direction"], first_seed + i, measure)
        outcomes.append((t["axis"], reward(texts[t["id"]], right) > reward(texts[t["id"]], wrong)))
    return _summary(outcomes)


def miss_causes(items: list[dict], trials: list[dict], measure: Measure, first_seed: int = 0) -> dict:
    """Why the judge missed each 2AFC trial it missed, per axis: `text` (the reader has no reading of the asked axis,
    or reads it the other way), `own axis` (the asked axis's measurement orders the two renders the wrong way), else
    `cross-talk` (text and measurement right; the other axes the flipped field moved outweighed it)."""
    texts = {item["id"]: item["text"] for item in items}
    causes: dict[str, dict[str, int]] = defaultdict(lambda: {"text": 0, "own axis": 0, "cross-talk": 0})
    for i, t in enumerate(trials):
        if t["right"] > t["wrong"]:
            continue
        high = t["direction"] == "high"
        reading = read(texts[t["id"]]).axes.get(t["axis"])
        if reading is None or reading.confidence == 0 or reading.target == 0.5 or (reading.target > 0.5) != high:
            cause = "text"
        else:
            right, wrong = _renders(texts[t["id"]], t["axis"], t["direction"], first_seed + i, measure)
            cause = "own axis" if (right[0][t["axis"]] > wrong[0][t["axis"]]) != high else "cross-talk"
        causes[t["axis"]][cause] += 1
        causes["all"][cause] += 1
    return dict(sorted(causes.items()))


def mapper_match(items: list[dict], mapper: Callable[[str], MusicConfig] = map_vibe) -> dict:
    exact, within = [], []
    for item in items:
        config = mapper(item["text"]).model_dump()
        for field, expected in item["fields"].items():
            got = config[field]
            exact.append((field, got == expected))
            order = ORDERED.get(field)
            within.append((field, got == expected or (order is not None and abs(order.index(got) - order.index(expected)) <= 1)))
    return {"exact": _summary(exact), "within_one": _summary(within)}


def audio_ends(vibes: list[str], measure: Measure, seeds: Iterable[int], progress: Callable = iter) -> dict:
    """Per axis: the driving field's high end measures above its low end (mapper-like configs x render seeds)."""
    configs = [MusicConfig.parse(NEUTRAL)] + [map_vibe(v) for v in vibes]
    seeds = list(seeds)
    outcomes = []
    for axis in progress(list(DRIVERS)):
        for config in configs:
            for seed in seeds:
                low, high = (measure(flipped(config, axis, end), seed)[0][axis] for end in (False, True))
                outcomes.append((axis, high > low))
    return {"configs": len(configs), "seeds": seeds, "summary": _summary(outcomes)}


def paired(before: list[dict], after: list[dict]) -> dict:
    """Two judges' 2AFC on the same trials (matched by vibe id, axis and direction): rates, difference and exact McNemar."""
    old = {(t["id"], t["axis"], t["direction"]): t["right"] > t["wrong"] for t in before}
    new = {(t["id"], t["axis"], t["direction"]): t["right"] > t["wrong"] for t in after}
    if old.keys() != new.keys():
        raise SystemExit("the baseline's trials are not this run's: run both on the same frozen set")
    keys = sorted(old)
    gained = sum(new[k] and not old[k] for k in keys)
    lost = sum(old[k] and not new[k] for k in keys)
    p_value = float(stats.binomtest(gained, gained + lost, 0.5).pvalue) if gained + lost else 1.0
    return {
        "before": wilson(sum(old.values()), len(keys)),
        "after": wilson(sum(new.values()), len(keys)),
        "difference": (gained - lost) / len(keys),
        "trials_gained": gained,
        "trials_lost": lost,
        "mcnemar_exact_p": p_value,
    }
