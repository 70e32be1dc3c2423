"""The edit benchmark: held-out configs x held-out instructions; does a refiner do what the words ask?

Per producer (a refiner, or a floor: `none` changes nothing, `random` moves as many
random fields as the instruction names, to random values):

- **direction**: each expectation met: a relative one ("slower") moved its field at
  least one step the right way, an absolute one ("in D minor") set its value;
- **exact**: relative ones moved exactly the asked steps, absolute ones set;
- **locality**: no field outside the instruction's expectations moved (per case);
- **audio** (a subset of cases, rendered): for every expectation on a field that
  drives a judge axis (tempo -> pace, brightness, space, mode -> valence, ...), the
  axis's measurement by the `vibe` judge (`measured_axes`) of the edited render moved the
  expected way from the source render (same seed). It is a DSP PROXY of what a listener hears.

Instructions come from a frozen set written without seeing the refiner
(`optimize/data/edits/`, sha256 in FROZEN.md); configs are the teacher v2's best
configs for held-out test vibes (`start-configs.jsonl`). A case pairs an instruction with a config on which
every expectation can be met (room to move, a value to set). Rates carry Wilson 95%
CIs; producers are compared with the first on the same cases by McNemar's exact test
(all expectations met, per case).
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from scipy import stats

from aesthetics.vibe.reader import field_level
from optimize.eval.reader_check import load_frozen, wilson
from reference.refiner import ORDER
from tools.errors import ConfigError
from tools.schema import FIELDS, MusicConfig, choices

EDIT_SETS = Path(__file__).resolve().parents[1] / "data" / "edits"
HELD_OUT = "unseen-v8"  # the held-out set of the day (FROZEN.md): never tuned on, never in the refiner's memory
# The teacher v2 (judge vibe-proxy-4) best configs of the first 200 test vibes, duplicates dropped, copied here so
# that rebuilding the teacher's datasets does not change the benchmark's cases.
CONFIGS = EDIT_SETS / "start-configs.jsonl"
Producer = Callable[[MusicConfig, str], MusicConfig]
Measure = Callable[[MusicConfig], dict[str, float]]


@dataclass(frozen=True)
class Case:
    item: dict
    config: MusicConfig


def held_out_configs(path: Path = CONFIGS) -> list[MusicConfig]:
    """The benchmark's start configs (teacher v2's best for held-out test vibes), in file order, duplicates dropped."""
    configs = [MusicConfig.parse(json.loads(line)["config"]) for line in path.read_text().splitlines() if line.strip()]
    return list(dict.fromkeys(configs))


def testable(expect: dict, config: MusicConfig) -> bool:
    now = getattr(config, expect["field"])
    if "value" in expect:
        return now != expect["value"]
    order = ORDER[expect["field"]]
    room = len(order) - 1 - order.index(now) if expect["move"] == "up" else order.index(now)
    return room >= expect["steps"]


def make_cases(items: list[dict], configs: list[MusicConfig], per_item: int, seed: int = 0) -> list[Case]:
    """Each instruction with `per_item` configs (drawn per item, deterministic) on which all its expectations are testable."""
    cases = []
    for number, item in enumerate(items):
        order = list(configs)
        random.Random(f"{seed}:{number}").shuffle(order)
        fitting = [c for c in order if all(testable(e, c) for e in item["expect"])]
        cases += [Case(item, config) for config in fitting[:per_item]]
    return cases


def met(expect: dict, before: MusicConfig, after: MusicConfig, exact: bool) -> bool:
    got = getattr(after, expect["field"])
    if "value" in expect:
        return got == expect["value"]
    order = ORDER[expect["field"]]
    moved = (order.index(got) - order.index(getattr(before, expect["field"]))) * (1 if expect["move"] == "up" else -1)
    return moved == expect["steps"] if exact else moved >= 1


def local(item: dict, before: MusicConfig, after: MusicConfig) -> bool:
    asked = {e["field"] for e in item["expect"]}
    return all(getattr(before, name) == getattr(after, name) for name in FIELDS if name not in asked)


def audio_sign(expect: dict, before: MusicConfig) -> tuple[str, int] | None:
    """(axis, +1/-1): which way the axis the field drives should move, or None when the field drives no axis."""
    found = field_level(expect["field"], getattr(before, expect["field"]))
    if found is None:
        return None
    if "value" in expect:
        target = field_level(expect["field"], expect["value"])[1]
        return (found[0], 1 if target > found[1] else -1) if target != found[1] else None
    return found[0], 1 if expect["move"] == "up" else -1


def rule_producer(config: MusicConfig, instruction: str) -> MusicConfig:
    from reference.refiner import refine

    try:
        return refine(config, instruction).config
    except ConfigError:  # refused: nothing read as an edit; scored as no change
        return config


def none_producer(config: MusicConfig, instruction: str) -> MusicConfig:
    return config


def random_producer(seed: int) -> Producer:
    def produce(config: MusicConfig, instruction: str) -> MusicConfig:
        rng = random.Random(f"{seed}:{instruction}:{config.model_dump_json()}")
        values = config.model_dump()
        for name in rng.sample(FIELDS, k=max(1, instruction.count(",") + 1)):
            values[name] = rng.choice([v for v in choices(name) if v != values[name]])
        return MusicConfig(**values)

    return produce


def lm_producer(model: str, api_base: str | None) -> Producer:
    from agent.lm import parse_lm
    from agent.refine import refine_with_lm

    spec = parse_lm(model, api_base=api_base)
    return lambda config, instruction: refine_with_lm(config, instruction, spec).config


def producers(names: Iterable[str], seed: int = 0, api_base: str | None = None) -> dict[str, Producer]:
    built = {}
    for name in names:
        if name == "rule":
            built[name] = rule_producer
        elif name == "none":
            built[name] = none_producer
        elif name == "random":
            built[name] = random_producer(seed)
        elif name.startswith("lm:"):
            built[name] = lm_producer(name.removeprefix("lm:"), api_base)
        else:
            raise ConfigError(f"unknown edit producer {name!r}; use rule, none, random or lm:PROVIDER/MODEL")
    return built


def run(cases: list[Case], made: dict[str, Producer], measure: Measure | None, audio_cases: int, progress: Callable = iter) -> dict:
    """Every producer on every case; the audio check on the first `audio_cases` cases."""
    outcomes: dict[str, list[dict]] = {name: [] for name in made}
    measured: dict[MusicConfig, dict[str, float]] = {}

    def measure_once(config: MusicConfig) -> dict[str, float]:
        if config not in measured:
            measured[config] = measure(config)
        return measured[config]

    for number, case in enumerate(progress(cases)):
        for name, produce in made.items():
            after = produce(case.config, case.item["instruction"])
            row = {
                "id": case.item["id"],
                "category": case.item["category"],
                "direction": [met(e, case.config, after, False) for e in case.item["expect"]],
                "exact": [met(e, case.config, after, True) for e in case.item["expect"]],
                "local": local(case.item, case.config, after),
                "audio": [],
            }
            if measure is not None and number < audio_cases:
                for expect in case.item["expect"]:
                    sign = audio_sign(expect, case.config)
                    if sign is not None:
                        axis, way = sign
                        delta = measure_once(after)[axis] - measure_once(case.config)[axis]
                        row["audio"].append({"axis": axis, "right": delta * way > 0})
            outcomes[name].append(row)
    return outcomes


def summarise(outcomes: dict[str, list[dict]]) -> dict:
    """Per producer: Wilson rates overall and per category; McNemar against the first producer."""
    names = list(outcomes)
    summary = {}
    for name in names:
        rows = outcomes[name]
        by_category: dict[str, list[bool]] = defaultdict(list)
        for row in rows:
            by_category[row["category"]].append(all(row["direction"]))
        audio = [a["right"] for row in rows for a in row["audio"]]
        audio_axes: dict[str, list[bool]] = defaultdict(list)
        for row in rows:
            for a in row["audio"]:
                audio_axes[a["axis"]].append(a["right"])
        summary[name] = {
            "cases": len(rows),
            "direction": _rate(x for row in rows for x in row["direction"]),
            "all_met": _rate(all(row["direction"]) for row in rows),
            "exact": _rate(x for row in rows for x in row["exact"]),
            "locality": _rate(row["local"] for row in rows),
            "audio": _rate(audio),
            "audio_by_axis": {axis: _rate(v) for axis, v in sorted(audio_axes.items())},
            "all_met_by_category": {c: _rate(v) for c, v in sorted(by_category.items())},
        }
    first = names[0]
    for name in names[1:]:
        summary[name]["vs_" + first] = mcnemar([all(r["direction"]) for r in outcomes[first]], [all(r["direction"]) for r in outcomes[name]])
    return summary


def mcnemar(a: list[bool], b: list[bool]) -> dict:
    """Exact McNemar on paired outcomes: a right and b wrong vs the other way round."""
    only_a = sum(x and not y for x, y in zip(a, b))
    only_b = sum(y and not x for x, y in zip(a, b))
    p = stats.binomtest(only_a, only_a + only_b).pvalue if only_a + only_b else 1.0
    return {"only_first": only_a, "only_this": only_b, "p": float(p), "test": "McNemar exact (all expectations met)"}


def _rate(values: Iterable[bool]) -> dict:
    values = list(values)
    return wilson(sum(values), len(values))


def load_edit_set(name: str) -> list[dict]:
    """A frozen edit set, after checking its sha256 against FROZEN.md and every line against the schema."""
    items = load_frozen(name, EDIT_SETS)
    bad = problems(items)
    if bad:
        raise ConfigError(
            f"{name}: {len(bad)} expectation(s) in {len(items)} lines do not validate against "
            f"tools/schema.py, so the benchmark cannot score them: {'; '.join(bad)}. A frozen set is never "
            "edited: write a corrected set as a new version with its own row in FROZEN.md"
        )
    return items


def problems(items: list[dict]) -> list[str]:
    """What the schema refuses in a set's lines, each as "line N (id): what, and the valid choices"."""
    found = []
    for number, item in enumerate(items, 1):
        missing = [key for key in ("id", "instruction", "category", "expect") if key not in item]
        if missing or not isinstance(item["expect"], list) or not item["expect"]:
            found.append(f"line {number} ({item.get('id', '?')}): needs id, instruction, category and a non-empty expect list")
            continue
        found += [f"line {number} ({item['id']}): {problem}" for e in item["expect"] if (problem := _problem(e))]
    return found


def _problem(expect: dict) -> str | None:
    name = expect.get("field") if isinstance(expect, dict) else None
    if name not in FIELDS:
        return f"field {name!r} is not a config field (fields: {', '.join(FIELDS)})"
    if "value" in expect:
        if expect["value"] in choices(name):
            return None
        return f"{name} value {expect['value']!r} is not allowed (values: {', '.join(map(str, choices(name)))})"
    if name not in ORDER:
        return f"{name} has no order to move along; give a value (values: {', '.join(map(str, choices(name)))})"
    if expect.get("move") not in ("up", "down") or expect.get("steps") not in (1, 2):
        return f"{name}: a relative expectation needs move up/down and steps 1 or 2, got {expect}"
    return None
