"""Export the teacher's studies as an HF-datasets-compatible dataset with a card.

One gzipped JSONL per split (`datasets.load_dataset("json", data_files=...)`
reads them), one record per vibe: the best config, its reward and reward
parts, the teacher settings, and every candidate with its reward (preference
pairs for later use). The card (README.md) holds the coverage of every enum
value in train, reward statistics and the command that made it.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import stats

from optimize.eval.teacher import EMBEDDINGS
from optimize.teacher.search import STUDY_PREFIX
from optimize.teacher.storage import open_storage
from tools.files import dumps_json, write_atomic, write_json, write_text
from tools.schema import FIELDS, choices

COVERAGE_TARGET = 0.02  # seeds/000: every enum value in >= 2 % of train


def study_records(storage_url: str, teacher: dict) -> list[dict]:
    """One record per vibe whose study holds its budget of finished trials, sorted by id."""
    storage = open_storage(storage_url)
    records = []
    for study in storage.get_all_studies():
        trials = study.user_attrs.get("candidates", [])
        if not study.study_name.startswith(STUDY_PREFIX) or len(trials) < teacher["budget"]:
            continue  # still being searched: exported once its candidates are saved
        fixed = study.user_attrs.get("fixed", {})
        ranked = sorted(trials, key=lambda trial: (-trial["value"], trial["number"]))
        candidates = [
            {
                "config": {field: fixed.get(field, trial["params"].get(field)) for field in FIELDS},
                "reward": trial["value"],
                "judge_reward": trial["parts"].get("judge_reward", trial["value"]),
                "source": trial["source"],
            }
            for trial in ranked
        ]
        rule = [c for c in candidates if c["source"] == "rule"]
        records.append(
            {
                "id": study.study_name.removeprefix(STUDY_PREFIX),
                "vibe": study.user_attrs["vibe"],
                "split": study.user_attrs.get("split", "train"),
                "config": candidates[0]["config"],
                "reward": ranked[0]["value"],
                "judge_reward": candidates[0]["judge_reward"],
                "reward_parts": ranked[0]["parts"],
                "rule_reward": rule[0]["reward"] if rule else None,
                "rule_judge_reward": rule[0]["judge_reward"] if rule else None,
                "fixed": fixed,
                "others": study.user_attrs.get("others", []),
                "search_s": study.user_attrs.get("search_s"),
                "teacher": teacher,
                "candidates": candidates,
            }
        )
    return sorted(records, key=lambda record: record["id"])


def coverage(records: list[dict]) -> dict[str, dict[str, float]]:
    """Share of records using each value of each field (every schema value listed, zeros included)."""
    shares = {}
    for field in FIELDS:
        counts = Counter(json.dumps(record["config"][field]) for record in records)
        shares[field] = {json.dumps(value): counts.get(json.dumps(value), 0) / max(len(records), 1) for value in choices(field)}
    return shares


def reward_stats(values: list[float]) -> dict:
    data = np.asarray(values, float)
    if len(data) < 2:
        return {"n": len(data), "mean": float(data.mean()) if len(data) else None, "ci95": None}
    sem = stats.sem(data)
    # identical values: the interval is the value itself (scipy gives NaN for a zero scale)
    low, high = stats.t.interval(0.95, len(data) - 1, loc=data.mean(), scale=sem) if sem > 0 else (data.mean(),) * 2
    return {
        "n": len(data),
        "mean": float(data.mean()),
        "ci95": [float(low), float(high)],
        "p10": float(np.quantile(data, 0.1)),
        "median": float(np.median(data)),
        "p90": float(np.quantile(data, 0.9)),
    }


def _write_jsonl_gz(path: Path, records: list[dict]) -> None:
    def write(tmp: Path) -> None:
        with gzip.GzipFile(tmp, "wb", mtime=0) as f:  # mtime=0: the same records give the same bytes
            for record in records:
                f.write((dumps_json(record, sort_keys=True) + "\n").encode())

    write_atomic(path, write)


def write_embeddings(path: Path, texts: list[str]) -> None:
    """The MiniLM vectors of the dataset's vibes, so retrieval over it embeds nothing but its queries."""
    from aesthetics.embed import EMBED_VERSION, embed_texts

    vectors = embed_texts(texts).astype(np.float32) if texts else np.zeros((0, 384), np.float32)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            np.savez_compressed(f, texts=np.array(texts), vectors=vectors, version=np.array(EMBED_VERSION))

    write_atomic(path, write)


def distinct_share(records: list[dict]) -> float:
    """Share of vibes whose best config no other vibe of the list has (1.0: every vibe its own config)."""
    counts = Counter(json.dumps(r["config"], sort_keys=True) for r in records)
    return sum(counts[json.dumps(r["config"], sort_keys=True)] == 1 for r in records) / max(len(records), 1)


def export_dataset(storage_url: str, out: Path, teacher: dict, command: str, wall_s: float | None = None) -> dict:
    """Write {split}.jsonl.gz, stats.json and README.md (the card) into `out`; returns the stats."""
    out.mkdir(parents=True, exist_ok=True)
    records = study_records(storage_url, teacher)
    splits = sorted({record["split"] for record in records})
    for split in splits:
        _write_jsonl_gz(out / f"{split}.jsonl.gz", [r for r in records if r["split"] == split])
    write_embeddings(out / EMBEDDINGS, [r["vibe"] for r in records])
    train = [r for r in records if r["split"] == "train"]
    by_split = {split: [r for r in records if r["split"] == split] for split in splits}
    ruled = [r for r in records if r["rule_reward"] is not None]
    summary = {
        "command": command,
        "wall_s": wall_s,
        "search_s": round(sum(r["search_s"] or 0.0 for r in records), 1),
        "teacher": teacher,
        "counts": {split: len(rows) for split, rows in by_split.items()},
        "reward": {split: reward_stats([r["reward"] for r in rows]) for split, rows in by_split.items()},
        "judge_reward": {split: reward_stats([r["judge_reward"] for r in rows]) for split, rows in by_split.items()},
        "distinct_configs": {split: distinct_share(rows) for split, rows in by_split.items()},
        "gain_over_rule_config": reward_stats([r["reward"] - r["rule_reward"] for r in ruled]),
        "judge_gain_over_rule_config": reward_stats([r["judge_reward"] - r["rule_judge_reward"] for r in ruled]),
        "coverage_of": "train" if train else "all",
        "coverage": coverage(train or records),
    }
    write_json(out / "stats.json", summary)
    write_text(out / "README.md", card(summary))
    return summary


def _fmt_stats(s: dict) -> str:
    if not s.get("ci95"):
        return f"n={s['n']}"
    return f"n={s['n']}, mean {s['mean']:.4f} [95% CI {s['ci95'][0]:.4f}, {s['ci95'][1]:.4f}], median {s['median']:.4f}"


def card(summary: dict) -> str:
    """The dataset card: what the data is, how it was made, coverage and reward statistics."""
    teacher = summary["teacher"]
    wall = (
        (
            f" (searches took {summary['search_s'] / 60:.1f} worker-minutes summed over vibes; the last command ran"
            f" {summary['wall_s'] / 60:.1f} minutes)"
        )
        if summary.get("wall_s") is not None
        else ""
    )
    lines = [
        "---",
        "license: gpl-3.0",
        "task_categories: [text-generation]",
        "configs:",
        "- config_name: default",
        "  data_files:",
        *[f"  - split: {split}\n    path: {split}.jsonl.gz" for split in summary["counts"]],
        "---",
        "",
        "# vibesynth teacher dataset: vibe -> MusicConfig",
        "",
        "Best-of-N configs found by search against the judge (seeds/000 section 3). For each vibe an Optuna",
        f"TPE study tried {teacher['budget']} configs (warm-started from the rule-based mapper"
        + (f" and {teacher['lm_samples']} samples of `{teacher['lm']}`" if teacher.get("lm") else "")
        + "),",
        f"each rendered ({teacher['clip']['duration']} s at {teacher['clip']['sample_rate']} Hz, seed {teacher['clip']['seed']})",
        f"and scored by the `{teacher['judge']}` judge. **The judge reward is a proxy** (the `vibe` judge is an offline",
        "proxy for CLAP; `dsp` is a proxy for audiobox-aesthetics), not a human rating.",
        "",
        "The search maximised `reward` = judge reward for this vibe"
        f" - {teacher.get('contrast', 0)} x its mean judge reward under {teacher.get('others', 0)} other vibes of the split"
        f" - {teacher.get('prior', 0)} x contradiction of the reader's confident implied fields. Fields the vibe names",
        '("no drums", "in D minor", "presto") were fixed, never searched (`fixed`).',
        "",
        f"Made by{wall}:",
        "",
        "```",
        summary["command"],
        "```",
        "",
        "Fields: `id`, `vibe`, `split`, `config` (the best, 19 fields), `reward` (the objective), `judge_reward`,",
        "`reward_parts`, `rule_reward` and `rule_judge_reward` (the rule-based mapper's config), `fixed`, `others` (the",
        "contrastive vibes), `teacher` (settings), `candidates` (every config tried with both rewards, best first).",
        "",
        "## Sizes and rewards",
        "",
        "| split | vibes | objective | judge reward | distinct best configs |",
        "|---|---|---|---|---|",
        *[
            f"| {split} | {n} | {_fmt_stats(summary['reward'][split])} | {_fmt_stats(summary['judge_reward'][split])} "
            f"| {summary['distinct_configs'][split]:.1%} |"
            for split, n in summary["counts"].items()
        ],
        "",
        f"Best config minus the rule-based config, per vibe, objective: {_fmt_stats(summary['gain_over_rule_config'])};",
        f"judge reward: {_fmt_stats(summary['judge_gain_over_rule_config'])}.",
        "",
        f"## Coverage of {summary['coverage_of']} (share of vibes using each value; target >= {COVERAGE_TARGET:.0%})",
        "",
        "| field | values below target | shares |",
        "|---|---|---|",
    ]
    for field, shares in summary["coverage"].items():
        low = [value for value, share in shares.items() if share < COVERAGE_TARGET]
        cells = ", ".join(f"{json.loads(value)} {share:.1%}" for value, share in shares.items())
        lines.append(f"| {field} | {', '.join(str(json.loads(v)) for v in low) or 'none'} | {cells} |")
    return "\n".join(lines) + "\n"
