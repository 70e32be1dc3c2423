"""2AFC check of `dj` judge versions on a frozen DJ brief set, paired across versions on the same sets.

A trial: under brief A of a contrasting pair, the judge must score A's set (the
brief-reading reference policy's, `optimize.eval.dj_sets`) above B's; a tie is
a miss; two trials per pair. Every judge version scores the very same sets: the
raw descriptors of a set (`aesthetics.dj.audio.measure`) are measured once and
calibrated per version (`aesthetics.dj.scorer.calibrated_axes`), so versions
differ only in what the judge does with them. Per group: n, hit rate, Wilson
95 % CI, exact binomial test against chance; between versions, exact McNemar on
the paired trials.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from scipy import stats

from optimize.eval.edits import mcnemar
from optimize.eval.reader_check import wilson

ROOT = Path(__file__).resolve().parents[2]
DESCRIPTOR_SOURCES = (
    "aesthetics/dj/audio.py",
    "aesthetics/vibe/audio.py",
    "aesthetics/dsp/analysis.py",
    "aesthetics/dsp/content.py",
    "aesthetics/dsp/technical.py",
    "aesthetics/dsp/scoring.py",
    "aesthetics/base.py",
)


def descriptor_fingerprint() -> str:
    """sha256 (16 hex) of the code that turns a set's audio into raw descriptors (keys the raw cache)."""
    digest = hashlib.sha256()
    for name in DESCRIPTOR_SOURCES:
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes())
    return digest.hexdigest()[:16]


def measure_set(job: tuple[str, int]) -> tuple[str, dict]:
    """(brief, raw descriptors) of the reference policy's set for the brief, `bars` long (rendered or from the cache)."""
    from aesthetics.dj.audio import measure
    from optimize.eval.dj_sets import reference_set

    brief, bars = job
    audio, rate, meta = reference_set(brief, bars)
    return brief, {**measure(audio, rate), "_palette": meta["palette"], "_bpm": meta["bpm"]}


def trials(pairs: list[dict], raw: dict[str, dict], version: str) -> list[dict]:
    """Every 2AFC trial of the pairs under one judge version."""
    from aesthetics.dj.scorer import calibrated_axes, judge

    axes = {brief: calibrated_axes(values, version) for brief, values in raw.items()}

    def reward(set_brief: str, text: str) -> float:
        return judge(text, axes[set_brief], raw[set_brief]["quality"])["dj_reward"]

    out = []
    for pair in pairs:
        for own, other in (("a", "b"), ("b", "a")):
            mine, theirs = reward(pair[own], pair[own]), reward(pair[other], pair[own])
            out.append(
                {"id": pair["id"], "axis": pair["axis"], "under": own, "own": mine, "other": theirs, "hit": mine > theirs, "tie": mine == theirs}
            )
    return out


def summarise(rows: list[dict]) -> dict:
    """Per group (all, then each axis): Wilson CI, ties, exact binomial p against chance (one-sided)."""
    groups = {"all": rows, **{axis: [r for r in rows if r["axis"] == axis] for axis in sorted({r["axis"] for r in rows})}}
    summary = {}
    for name, group in groups.items():
        hits = sum(r["hit"] for r in group)
        summary[name] = {
            **wilson(hits, len(group)),
            "ties": sum(r["tie"] for r in group),
            "p_vs_chance": float(stats.binomtest(hits, len(group), 0.5, alternative="greater").pvalue),
        }
    return summary


def compare(first: list[dict], other: list[dict]) -> dict:
    """Exact McNemar between two versions' paired trials (same order), overall and per axis."""
    out = {}
    for name in ["all", *sorted({r["axis"] for r in first})]:
        keep = [i for i, r in enumerate(first) if name == "all" or r["axis"] == name]
        out[name] = mcnemar([first[i]["hit"] for i in keep], [other[i]["hit"] for i in keep])
    return out


def compare_to_baseline(baseline: list[dict], rows: list[dict]) -> dict:
    """Exact McNemar of the same judge's trials against an earlier run's (matched on pair id and brief side):
    n, both rates and per group; `only_first` = right only in the baseline, `only_this` = right only now."""
    now = {(r["id"], r["under"]): r for r in rows}
    keys = [(r["id"], r["under"]) for r in baseline if (r["id"], r["under"]) in now]
    if len(keys) != len(rows) or len(keys) != len(baseline):
        raise ValueError(f"baseline and this run share {len(keys)} trials of {len(baseline)} / {len(rows)}")
    before = {(r["id"], r["under"]): r for r in baseline}
    first, other = [before[k] for k in keys], [now[k] for k in keys]
    out = compare(first, other)
    for name in out:
        group = [i for i, r in enumerate(first) if name == "all" or r["axis"] == name]
        out[name].update(
            n=len(group), rate_first=sum(first[i]["hit"] for i in group) / len(group), rate_this=sum(other[i]["hit"] for i in group) / len(group)
        )
    return out


def plot(results: dict, out: Path) -> Path:
    """Hit rate per axis and overall with Wilson 95 % CIs, one bar per judge version."""
    from optimize.eval.plots import pyplot, save_png

    plt = pyplot()
    versions = list(results["judges"])
    groups = list(results["judges"][versions[0]]["summary"])
    fig, ax = plt.subplots(figsize=(8, 3.6))
    width = 0.8 / len(versions)
    for k, version in enumerate(versions):
        summary = results["judges"][version]["summary"]
        rates = [summary[g]["rate"] for g in groups]
        low = [summary[g]["rate"] - summary[g]["ci95"][0] for g in groups]
        high = [summary[g]["ci95"][1] - summary[g]["rate"] for g in groups]
        ax.bar([i + (k - (len(versions) - 1) / 2) * width for i in range(len(groups))], rates, width, yerr=[low, high], capsize=2, label=version)
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.axhline(0.85, color="black", lw=0.8, ls="--")
    ax.set_xticks(range(len(groups)), groups, rotation=20)
    ax.set_ylim(0, 1)
    ax.set_ylabel("2AFC hit rate (PROXY judge)")
    ax.set_title(f"{results['settings']['set']}: n = {results['judges'][versions[0]]['summary']['all']['n']} trials, Wilson 95% CI", fontsize=9)
    ax.legend(fontsize=8)
    return save_png(fig, out)
