"""Aggregate a run: per producer n, mean, 95 % CI; paired Wilcoxon tests against the baseline, Holm-corrected.

Families for Holm: one per metric (all producers against the baseline on
that metric), and one for controllability.
"""

from __future__ import annotations

from optimize.eval import controllability as ctl
from optimize.eval.run import Run
from optimize.eval.stats import adjust, paired_test, ratio_of_means, summarise

# metric key -> (row field, label)
METRICS: dict[str, tuple[str, str]] = {
    "validity": ("valid", "JSON/schema validity (share of outputs MusicConfig accepts)"),
    "schema_score": ("schema_score", "granular schema score (seeds/000 field weights)"),
    "reward": ("reward", "judge reward in [0, 1] (invalid output = 0)"),
    "dsp_obj": ("dsp_obj", "dsp OBJ proxy, 1-10 (valid outputs only)"),
    "agreement": ("agreement", "field agreement with the teacher (share of 19 fields)"),
    "latency_ms": ("latency_ms", "latency, ms per config (audio producers: per clip)"),
    "cost_usd": ("cost_usd", "cost, USD per clip (audio producers: latency at the hourly price you set; empty when unset)"),
}


def _value(row: dict, field: str) -> float | None:
    value = row.get(field)
    if value is None:
        return None
    return float(value)


def _by_producer(rows: list[dict]) -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = {}
    for row in rows:
        out.setdefault(row["producer"], {})[row["id"]] = row
    return out


def aggregate(run: Run) -> dict:
    settings = run.settings
    table = _by_producer(run.rows)
    names = list(run.producers)
    baseline = settings.baseline
    metrics: dict[str, dict] = {}
    tests: dict[str, list[dict]] = {}
    for i, name in enumerate(names):
        rows = [r for r in table.get(name, {}).values() if not r.get("missing")]
        entry = {"missing": sum(1 for r in table.get(name, {}).values() if r.get("missing"))}
        for key, (field, _label) in METRICS.items():
            values = [_value(r, field) for r in rows]
            entry[key] = summarise([v for v in values if v is not None], seed=settings.seed + i)
        metrics[name] = entry
    for key, (field, _label) in METRICS.items():
        family = []
        for name in names:
            if name == baseline:
                continue
            mine, base = table.get(name, {}), table.get(baseline, {})
            pairs = [(_value(mine[k], field), _value(base[k], field)) for k in mine if k in base]
            pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
            if pairs:
                family.append(
                    {"producer": name, "baseline": baseline, **paired_test([a for a, _ in pairs], [b for _, b in pairs], seed=settings.seed)}
                )
        adjust(family)
        tests[key] = family
    teacher_name = next((n for n in names if n.split(":")[0] == "teacher"), None)
    if teacher_name:
        teacher_rows = table.get(teacher_name, {})
        for i, name in enumerate(names):
            mine = table.get(name, {})
            keys = [k for k in mine if k in teacher_rows and not teacher_rows[k].get("missing") and not mine[k].get("missing")]
            metrics[name]["pct_of_teacher"] = ratio_of_means(
                [mine[k]["reward"] for k in keys], [teacher_rows[k]["reward"] for k in keys], seed=settings.seed + i
            )
    return {
        "settings": {**settings.__dict__},
        "judge": run.judge,
        "producers": run.producers,
        "split_size": len(run.examples),
        "teacher_records": len(run.teacher) if run.teacher else None,
        "metrics": metrics,
        "tests": tests,
        "controllability": _controllability(run),
    }


def _controllability(run: Run) -> dict:
    if not run.control_rows:
        return {}
    names = [name for name, described in run.producers.items() if described.get("makes") != "audio"]  # no config fields
    table = _by_producer(run.control_rows)
    out: dict = {"producers": {}, "tests": []}
    for i, name in enumerate(names):
        rows = [r for r in table.get(name, {}).values() if r["moved"] is not None]
        axes = {axis: summarise([float(r["moved"]) for r in rows if r["axis"] == axis], seed=i) for axis in ctl.AXES}
        out["producers"][name] = {"overall": summarise([float(r["moved"]) for r in rows], seed=i), "axes": axes}
    baseline = run.settings.baseline
    base = table.get(baseline, {})
    for name in names:
        if name == baseline:
            continue
        mine = table.get(name, {})
        keys = [k for k in mine if k in base and mine[k]["moved"] is not None and base[k]["moved"] is not None]
        out["tests"].append(
            {"producer": name, "baseline": baseline, **paired_test([float(mine[k]["moved"]) for k in keys], [float(base[k]["moved"]) for k in keys])}
        )
    adjust(out["tests"])
    return out


def _fmt(value, digits: int = 3) -> str:
    if value is None:
        return "n/a"
    return f"{value:.{digits}f}"


def _p(value) -> str:
    if value is None:
        return "n/a"
    return "<0.0001" if value < 1e-4 else f"{value:.4f}"


def _ci(summary: dict, digits: int = 3) -> str:
    ci = summary.get("ci95")
    return f"[{_fmt(ci[0], digits)}, {_fmt(ci[1], digits)}]" if ci else "n/a"


def markdown(results: dict) -> str:
    s = results["settings"]
    judge = results["judge"]
    lines = [
        "# Evaluation report",
        "",
        f"Split `{s['split']}` ({results['split_size']} vibes), producers {', '.join(f'`{p}`' for p in results['producers'])}; "
        f"baseline `{s['baseline']}`.",
        f"Judge `{judge['judge']}` ({judge['judge_version']}) on {judge['duration_s']} s renders at "
        f"{judge['sample_rate']} Hz, render seed {judge['render_seed']}, engine {judge['engine']}; dsp proxy {judge['dsp_version']}.",
        "Each cell: n, mean, 95 % percentile-bootstrap CI. Tests: Wilcoxon signed-rank on the paired vibes against the baseline, "
        "two-sided, Holm-corrected across the producers of each metric.",
        "",
    ]
    if judge["judge"] == "dsp":
        lines += ["**Judge reward here is dsp OBJ / 10: text-blind, it does not read the vibe.**", ""]
    audio = [name for name, described in results["producers"].items() if described.get("makes") == "audio"]
    if audio:
        lines += [
            f"Audio producers ({', '.join(f'`{n}`' for n in audio)}) make clips, not configs: each clip is made at the "
            "judge's length and rate, levelled like a render and scored by the same judge; validity, schema score, "
            "teacher agreement and controllability are left empty for them (n = 0), not counted as zero. "
            "Their clips are in `clips/`.",
            "",
        ]
    for key, (_field, label) in METRICS.items():
        if all(results["metrics"][p][key]["n"] == 0 for p in results["metrics"]):
            continue
        digits = 1 if key == "latency_ms" else 3
        tests = {t["producer"]: t for t in results["tests"].get(key, [])}
        lines += [f"## {label}", "", "| producer | n | mean | 95% CI | diff vs baseline (95% CI) | p | p (Holm) |", "|---|---|---|---|---|---|---|"]
        for name, entry in results["metrics"].items():
            m = entry[key]
            t = tests.get(name)
            diff = (
                f"{_fmt(t['mean_diff'], digits)} {_ci({'ci95': t.get('diff_ci95')}, digits)}" if t else "baseline" if name == s["baseline"] else "n/a"
            )
            p = (_p(t["p"]) if t["p"] is not None else t["note"]) if t else ""
            lines.append(
                f"| `{name}` | {m['n']} | {_fmt(m['mean'], digits)} | {_ci(m, digits)} | {diff} | {p} | {_p(t.get('p_holm')) if t else ''} |"
            )
        lines.append("")
    if any("pct_of_teacher" in e for e in results["metrics"].values()):
        lines += ["## % of teacher (judge reward, paired vibes)", "", "| producer | n | % | 95% CI |", "|---|---|---|---|"]
        for name, entry in results["metrics"].items():
            m = entry.get("pct_of_teacher") or {"n": 0, "mean": None}
            lines.append(f"| `{name}` | {m['n']} | {_fmt(m['mean'], 1)} | {_ci(m, 1)} |")
        lines.append("")
    missing = {n: e["missing"] for n, e in results["metrics"].items() if e["missing"]}
    if missing:
        lines += ["Vibes a producer had no answer for (left out of its rows): " + ", ".join(f"`{n}` {c}" for n, c in missing.items()) + ".", ""]
    control = results.get("controllability")
    if control:
        axes = list(ctl.AXES)
        tests = {t["producer"]: t for t in control["tests"]}
        lines += [
            "## Controllability (share of pairs where the field moves the way the plain words say)",
            "",
            "| producer | overall (n, mean, 95% CI) | " + " | ".join(f"{a} ({ctl.AXES[a][0]})" for a in axes) + " | p vs baseline (Holm) |",
            "|---|---|" + "---|" * len(axes) + "---|",
        ]
        for name, entry in control["producers"].items():
            o = entry["overall"]
            t = tests.get(name)
            cells = " | ".join(_fmt(entry["axes"][a]["mean"], 2) for a in axes)
            p = "baseline" if t is None else _p(t.get("p_holm")) if t.get("p") is not None else t["note"]
            lines.append(f"| `{name}` | {o['n']}, {_fmt(o['mean'])} {_ci(o)} | {cells} | {p} |")
        lines.append("")
    lines += [
        "Files: `results.json` (everything above), `examples.jsonl` (one row per producer and vibe), "
        "`controllability.jsonl`, `run.json` (the run's settings), `*.png` plots.",
        "",
    ]
    return "\n".join(lines)
