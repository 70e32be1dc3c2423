"""Writing a listening report: CSV tables, report.json, the config beside them, and a PNG plot."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from optimize.listen.pack import load_pack, manifest_digest
from optimize.listen.proxies import score_clips
from optimize.listen.report import Judged, agreement_table, pair_table, resolve, system_table, vibe_table
from optimize.listen.votes import read_votes
from tools.errors import ConfigError
from tools.files import write_bytes, write_json
from tools.run_record import write_run

VOTE_COLUMNS = ("rater", "pair_id", "item", "brief", "system_a", "system_b", "choice", "winner", "loser", "vibe_a", "vibe_b", "created_at")


def build_report(
    pack_dir: Path,
    vote_paths: list[Path],
    out: Path,
    *,
    judges: list[str],
    seed: int = 0,
    on_judge: Callable[[str], Callable[[int, int], None] | None] = lambda name: None,
) -> dict:
    """Read the pack and its votes, score clips with each judge, write every table; returns report.json's content."""
    manifest = load_pack(pack_dir)
    digest = manifest_digest(pack_dir)
    votes = [v for path in vote_paths for v in read_votes(path, digest)]
    judged = resolve(manifest, votes)
    if not judged:
        raise ConfigError(f"no votes yet in {', '.join(map(str, vote_paths))}; collect some with `vibesynth listen serve`")
    out.mkdir(parents=True, exist_ok=True)
    config = {"pack": str(pack_dir), "pack_sha256": digest, "votes": [str(p) for p in vote_paths], "judges": judges, "seed": seed}
    write_run(out, config)
    scores = [score_clips(name, pack_dir, manifest, out / "proxy_scores.json", on_judge(name)) for name in judges]
    rng = np.random.default_rng(seed)
    report = {
        "config": config,
        "n_votes": len(judged),
        "n_raters": len({j.vote.rater for j in judged}),
        "n_pairs_voted": len({j.vote.pair_id for j in judged}),
        "n_pairs": len(manifest.pairs),
        "systems": system_table(manifest.systems, judged, rng),
        "system_pairs": pair_table(manifest.systems, judged),
        "vibe_match": vibe_table(manifest.systems, judged),
        "agreement": agreement_table(scores, judged),
        "judges_unavailable": {s.name: s.unavailable for s in scores if s.unavailable},
        "clips_unscored": {s.name: s.unscored for s in scores if s.unscored},
    }
    _write_csv(out / "votes.csv", VOTE_COLUMNS, [_vote_row(j) for j in judged])
    for name in ("systems", "system_pairs", "vibe_match", "agreement"):
        rows = report[name]
        _write_csv(out / f"{name}.csv", tuple(rows[0]) if rows else ("empty",), rows)
    write_json(out / "report.json", _finite(report))
    plot(report, out / "report.png")
    return report


def plot(report: dict, path: Path) -> Path:
    """Win rate (Wilson CI), Bradley-Terry log strength (bootstrap CI), proxy agreement (Wilson CI)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [
        ("systems", "win rate", "win_rate", "ci_low", "ci_high", 0.5),
        ("systems", "Bradley-Terry log strength", "bt_log_strength", "bt_ci_low", "bt_ci_high", 0.0),
    ]
    agreement = [r for r in report["agreement"] if r["unit"] == "votes"]
    if agreement:
        panels.append(("agreement", "proxy agrees with listeners", "rate", "ci_low", "ci_high", 0.5))
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.6), squeeze=False)
    for ax, (table, title, key, low, high, ref) in zip(axes[0], panels):
        rows = report[table] if table == "systems" else agreement
        labels = [r.get("system") or r["judge"] for r in rows]
        values = np.array([r[key] for r in rows], dtype=float)
        err = np.abs(np.array([[r[low] for r in rows], [r[high] for r in rows]], dtype=float) - values)
        ax.bar(range(len(rows)), values, yerr=np.nan_to_num(err), capsize=4, color="#4c72b0")
        ax.axhline(ref, color="#888", lw=1, ls="--")
        ax.set_xticks(range(len(rows)), labels, rotation=20, ha="right")
        ax.set_title(f"{title}\n(n = {', '.join(str(r['n']) for r in rows)}, 95% CI)", fontsize=9)
    fig.suptitle(f"{report['n_votes']} votes by {report['n_raters']} raters on {report['n_pairs_voted']} pairs", fontsize=10)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    write_bytes(path, buffer.getvalue())
    return path


def _vote_row(j: Judged) -> dict:
    v = j.vote
    return {
        "rater": v.rater,
        "pair_id": v.pair_id,
        "item": j.item,
        "brief": j.brief or "",
        "system_a": j.system_a,
        "system_b": j.system_b,
        "choice": v.choice,
        "winner": j.winner,
        "loser": j.loser,
        "vibe_a": v.vibe_a or "",
        "vibe_b": v.vibe_b or "",
        "created_at": round(v.created_at, 3),
    }


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_bytes(path, text.getvalue().encode())


def _finite(value):
    """JSON has no NaN: write null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value
