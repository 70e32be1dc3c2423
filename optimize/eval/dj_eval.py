"""The DJ eval (#24 item 6): each producer's set for held-out briefs, judged by the dj judge (a PROXY), paired
against the brief-reading reference, and brief controllability on contrasting pairs.

A producer turns a brief into a set plan on a palette (`reference.set_plan.SetPlan`):
- `reference`: the brief-reading policy, what `vibesynth dj --lm reference` plays (palette and tempo from
  `reference.brief_mapper`, knobs from `reference.set_rules`);
- `random`: a curated palette, a tempo in 100-145 BPM and every knob drawn uniformly (seeded by the brief): the floor;
- `teacher:RUN`: the best plan a `vibesynth teacher-dj` run kept for the brief (read from RUN/optuna.db).
Every set is rendered through the mixer's tools and guardrails and measured once (the DJ teacher's `SetJudge`, with
its feature cache in OUT), then judged under its own brief (`dj_reward`; `dj_quality` is the dsp quality PROXY that
gates it) and under `others` other briefs of the set: `specificity` = own reward - their mean (a set that fits any
brief earns nothing there).

Controllability (`control.jsonl` of the brief sets): the producer's plans for the pair's `a` (low pole) and `b` (high
pole); met when the knob the axis names is strictly higher for `b` (brightness: highs, hypnotic: variation, pace: bpm,
density: density). Plan-level, like the ambient eval's config-level check: it asks whether the producer follows the
words, not what the audio measures.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from optimize.eval.reader_check import wilson
from optimize.eval.stats import adjust, paired_test, summarise
from optimize.teacher.dj import RATE, BriefItem, SetJudge, reference_plan
from optimize.teacher.reward import other_vibes
from reference.set_plan import HOLDS, SetPlan
from tools import safe_json
from tools.errors import ConfigError
from tools.files import write_json, write_jsonl, write_text
from tools.run_record import read_run, write_run

KNOB_OF_AXIS = {"brightness": "highs", "hypnotic": "variation", "pace": "bpm", "density": "density"}
RANDOM_BPM = (100.0, 145.0)
BASELINE = "reference"
METRICS = {"dj_reward": "dj judge reward (PROXY)", "dj_quality": "dsp quality (PROXY)", "specificity": "own - others' reward"}


@dataclass(frozen=True)
class DjEvalSettings:
    producers: tuple[str, ...] = ("reference", "random")
    briefs: str = "optimize/data/dj-briefs/test.jsonl"
    control: str | None = "optimize/data/dj-briefs/control.jsonl"
    limit: int | None = None
    bars: int = 16
    seed: int = 0
    others: int = 8
    judge: str = "dj-proxy-2"


def _palette_path(stem: str) -> Path:
    from palettes import curated_palettes

    found = [p for p in curated_palettes() if p.stem == stem]
    if not found:
        raise ConfigError(f"no curated palette {stem!r}; the teacher run was made with palettes this checkout lacks")
    return found[0]


def _random_plan(brief: str, bars: int, seed: int) -> tuple[SetPlan, Path]:
    from palettes import curated_palettes

    rng = np.random.default_rng(int.from_bytes(hashlib.sha256(f"{seed}:random:{brief}".encode()).digest()[:8], "little"))
    palettes = sorted(curated_palettes())
    knobs = {name: round(float(rng.uniform()), 4) for name in ("variation", "highs", "percussion", "density", "energy", "space", "drop")}
    plan = SetPlan(
        palette=palettes[int(rng.integers(len(palettes)))].stem,
        bpm=round(float(rng.uniform(*RANDOM_BPM)), 1),
        bars=bars,
        hold=HOLDS[int(rng.integers(len(HOLDS)))],
        breakdown_at=round(float(rng.uniform(0.4, 0.75)), 4),
        **knobs,
    )
    return plan, _palette_path(plan.palette)


def _teacher_plans(run: str) -> dict[str, tuple[SetPlan, Path]]:
    """brief -> (best plan, palette) of every brief a teacher-dj run finished."""
    import optuna

    from optimize.teacher.storage import open_storage

    database = Path(run) / "optuna.db"
    if not database.is_file():
        raise ConfigError(f"teacher:{run} has no optuna.db; give the folder `vibesynth teacher-dj -o` wrote")
    plans = {}
    for summary in optuna.get_all_study_summaries(open_storage(f"sqlite:///{database.resolve()}")):
        attrs = summary.user_attrs
        if "best_plan" in attrs:
            plan = SetPlan(**attrs["best_plan"])
            plans[attrs["brief"]] = (plan, _palette_path(plan.palette))
    return plans


class Producers:
    """`plan(name, brief)` for every producer of the settings (teacher runs read once)."""

    def __init__(self, settings: DjEvalSettings) -> None:
        self.settings = settings
        self.teachers = {name: _teacher_plans(name.removeprefix("teacher:")) for name in settings.producers if name.startswith("teacher:")}
        unknown = [n for n in settings.producers if n not in ("reference", "random") and n not in self.teachers]
        if unknown:
            raise ConfigError(f"unknown DJ producer(s) {', '.join(unknown)}; use reference, random or teacher:RUN")

    def plan(self, name: str, brief: str) -> tuple[SetPlan, Path] | None:
        bars, seed = self.settings.bars, self.settings.seed
        if name == "reference":
            return reference_plan(brief, bars)
        if name == "random":
            return _random_plan(brief, bars, seed)
        found = self.teachers[name].get(brief)
        return (found[0].model_copy(update={"bars": bars}), found[1]) if found else None


def load_briefs(path: str, limit: int | None) -> list[BriefItem]:
    items = [
        BriefItem(str(r.get("id", n)), str(r["brief"]), str(r.get("split", "test")))
        for n, r in safe_json.read_jsonl(path, "brief set")
        if isinstance(r, dict) and str(r.get("brief", "")).strip()
    ]
    if not items:
        raise ConfigError(f'{path} has no briefs; give a JSONL file of {{"id", "brief"}} (e.g. optimize/data/dj-briefs/test.jsonl)')
    return items[:limit] if limit else items


def run_dj_eval(settings: DjEvalSettings, out: Path, on_row=lambda row: None) -> dict:
    """Produce, render, judge and checkpoint every (producer, brief); then the controllability pairs; returns results."""
    out.mkdir(parents=True, exist_ok=True)
    record = {"settings": asdict(settings), "rate": RATE}
    before = read_run(out, "DJ eval settings")
    if before is not None and before != json.loads(json.dumps(record)):
        raise ConfigError(f"{out} holds a DJ eval with other settings; resume with the same settings or use a new --out")
    write_run(out, record)
    producers, judge = Producers(settings), SetJudge(settings.judge, settings.seed, out / "feature_cache.sqlite")
    items = load_briefs(settings.briefs, settings.limit)
    pool = [item.brief for item in items]
    rows_file = out / "examples.jsonl"
    rows = [r for _, r in safe_json.read_jsonl(rows_file, "DJ eval rows")] if rows_file.is_file() else []
    done = {(r["producer"], r["id"]) for r in rows}
    for name in settings.producers:
        for item in items:
            if (name, item.id) in done:
                continue
            produced = producers.plan(name, item.brief)
            row = {"producer": name, "id": item.id, "brief": item.brief, "plan": None}
            if produced is not None:
                plan, palette = produced
                features = judge.features(plan, palette)
                others = other_vibes(item.id, item.brief, pool, settings.others, settings.seed)
                own = judge.reward(item.brief, features)
                mean_others = float(np.mean([judge.reward(text, features) for text in others])) if others else None
                row.update(
                    plan=plan.model_dump(mode="json"),
                    dj_reward=round(own, 6),
                    dj_quality=round(float(features["quality"]), 6),
                    specificity=round(own - mean_others, 6) if mean_others is not None else None,
                )
            rows.append(row)
            write_jsonl(rows_file, rows)
            on_row(row)
    results = {"settings": asdict(settings), "judge": judge.scorer.version, "producers": summarise_rows(rows, settings.producers)}
    if settings.control:
        results["controllability"] = controllability(producers, settings)
    write_json(out / "results.json", results)
    return results


def summarise_rows(rows: list[dict], names: tuple[str, ...]) -> dict:
    by = {name: {r["id"]: r for r in rows if r["producer"] == name and r["plan"] is not None} for name in names}
    table, tests = {}, []
    for name in names:
        found = by[name]
        table[name] = {metric: summarise([r[metric] for r in found.values() if r[metric] is not None]) for metric in METRICS}
        table[name]["missing"] = sum(1 for r in rows if r["producer"] == name and r["plan"] is None)
        if name != BASELINE and BASELINE in by:
            shared = sorted(set(found) & set(by[BASELINE]))
            test = paired_test([found[i]["dj_reward"] for i in shared], [by[BASELINE][i]["dj_reward"] for i in shared])
            table[name]["vs_reference"] = test
            tests.append(test)
    adjust(tests)
    return table


def controllability(producers: Producers, settings: DjEvalSettings) -> dict:
    pairs = [p for _, p in safe_json.read_jsonl(settings.control, "DJ control pairs")]
    results = {}
    for name in settings.producers:
        hits: dict[str, list[bool]] = {}
        for pair in pairs:
            low, high = producers.plan(name, pair["a"]), producers.plan(name, pair["b"])
            if low is None or high is None:
                continue
            knob = KNOB_OF_AXIS[pair["axis"]]
            hits.setdefault(pair["axis"], []).append(getattr(high[0], knob) > getattr(low[0], knob))
        every = [h for axis_hits in hits.values() for h in axis_hits]
        results[name] = {"all": wilson(sum(every), len(every)), **{axis: wilson(sum(h), len(h)) for axis, h in sorted(hits.items())}}
    return results


def write_report(results: dict, out: Path) -> Path:
    """report.md (tables with n, mean, 95 % CI and the paired tests) and metrics.png beside results.json."""
    from optimize.eval.plots import bar_chart, pyplot, save_png

    names = list(results["producers"])
    plt = pyplot()
    fig, axes = plt.subplots(1, len(METRICS), figsize=(3.4 * len(METRICS), 3.4), squeeze=False)
    for ax, (metric, title) in zip(axes[0], METRICS.items()):
        bar_chart(ax, names, [results["producers"][n][metric] for n in names], title)
    fig.suptitle(f"DJ eval, judge {results['judge']}: mean and 95% CI", fontsize=10)
    save_png(fig, out / "metrics.png")
    settings = results["settings"]
    lines = [
        f"# DJ eval: {', '.join(names)}",
        "",
        f"Briefs `{settings['briefs']}` (first {settings['limit'] or 'all'}), {settings['bars']}-bar sets at {RATE} Hz, seed "
        f"{settings['seed']}; judge `{results['judge']}` (every score a PROXY). Mean [95 % bootstrap CI]; vs reference: mean "
        "paired difference [95 % CI], Wilcoxon signed-rank, Holm-adjusted p.",
        "",
        "| producer | n | dj reward | dsp quality | specificity | vs reference | p (Holm) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in names:
        row = results["producers"][name]
        test = row.get("vs_reference")
        versus = f"{test['mean_diff']:+.3f} {_ci(test['diff_ci95'])}" if test and test["mean_diff"] is not None else "baseline"
        p = f"{test['p_holm']:.2g}" if test and test.get("p_holm") is not None else ""
        cells = [f"{row[m]['mean']:.3f} {_ci(row[m]['ci95'])}" if row[m]["mean"] is not None else "" for m in METRICS]
        lines.append(f"| {name} | {row['dj_reward']['n']} | {' | '.join(cells)} | {versus} | {p} |")
    if "controllability" in results:
        axes_names = sorted({a for r in results["controllability"].values() for a in r if a != "all"})
        lines += ["", "Brief controllability (plan-level, Wilson 95 % CI): the knob the axis names is higher for the high pole.", ""]
        lines += [f"| producer | all | {' | '.join(axes_names)} |", "|---|---|" + "---|" * len(axes_names)]
        for name, found in results["controllability"].items():
            cells = [_rate(found.get(a)) for a in ["all", *axes_names]]
            lines.append(f"| {name} | {' | '.join(cells)} |")
    lines += ["", "![metrics](metrics.png)", ""]
    return write_text(out / "report.md", "\n".join(lines))


def _ci(ci) -> str:
    return f"[{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""


def _rate(found: dict | None) -> str:
    return f"{found['rate']:.3f} {_ci(found['ci95'])} (n {found['n']})" if found and found["n"] else ""
