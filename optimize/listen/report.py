"""What the listeners said: win rates, pairwise tests, a Bradley-Terry ranking, proxy agreement.

Votes are the unit for win rates and tests (votes on one pair by several
raters are not independent; the per-pair majority rows of the agreement
table show the same question with pairs as the unit).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from agent.ab.stats import holm
from optimize.listen.pack import PackManifest
from optimize.listen.proxies import JudgeScores
from optimize.listen.stats import binomial_p, bootstrap_bt, bradley_terry, mean_ci, wilson_ci
from optimize.listen.votes import Vote
from tools.errors import ConfigError


@dataclass(frozen=True)
class Judged:
    """One vote resolved against the pack's key."""

    vote: Vote
    item: str
    brief: str | None
    system_a: str
    system_b: str
    token_a: str
    token_b: str

    @property
    def winner(self) -> str:
        return self.system_a if self.vote.choice == "A" else self.system_b

    @property
    def loser(self) -> str:
        return self.system_b if self.vote.choice == "A" else self.system_a


def resolve(manifest: PackManifest, votes: list[Vote]) -> list[Judged]:
    """Votes joined with the key; the same vote from two copies of a database counts once."""
    pairs = {p.id: p for p in manifest.pairs}
    seen: dict[str, Vote] = {}
    by_ballot: dict[tuple[str, str], str] = {}
    out = []
    for vote in votes:
        if vote.idem_key in seen:
            continue
        if vote.pair_id not in pairs:
            raise ConfigError(f"a vote names pair {vote.pair_id!r}, which this pack lacks; pass the pack the votes were cast on")
        other = by_ballot.get((vote.rater, vote.pair_id))
        if other is not None:
            raise ConfigError(
                f"rater {vote.rater!r} voted twice on pair {vote.pair_id} in different databases; "
                "give raters distinct ids per machine, or pass one database"
            )
        seen[vote.idem_key] = vote
        by_ballot[(vote.rater, vote.pair_id)] = vote.idem_key
        pair = pairs[vote.pair_id]
        out.append(Judged(vote, pair.item, pair.brief, manifest.clips[pair.a].system, manifest.clips[pair.b].system, pair.a, pair.b))
    return out


def system_table(systems: list[str], judged: list[Judged], rng: np.random.Generator) -> list[dict]:
    index = {s: i for i, s in enumerate(systems)}
    wins = np.zeros((len(systems), len(systems)))
    for j in judged:
        wins[index[j.winner], index[j.loser]] += 1
    strength = np.log(bradley_terry(wins))
    if judged:
        interval = bootstrap_bt(np.array([index[j.winner] for j in judged]), np.array([index[j.loser] for j in judged]), len(systems), rng)
    else:
        interval = np.full((len(systems), 2), np.nan)
    order = np.argsort(-strength, kind="stable")
    rank = {int(i): r + 1 for r, i in enumerate(order)}
    rows = []
    for s, i in index.items():
        k, n = int(wins[i].sum()), int(wins[i].sum() + wins[:, i].sum())
        low, high = wilson_ci(k, n)
        rows.append(
            {
                "system": s,
                "n": n,
                "wins": k,
                "win_rate": k / n if n else float("nan"),
                "ci_low": low,
                "ci_high": high,
                "bt_log_strength": float(strength[i]),
                "bt_ci_low": float(interval[i, 0]),
                "bt_ci_high": float(interval[i, 1]),
                "rank": rank[i],
            }
        )
    return sorted(rows, key=lambda r: r["rank"])


def pair_table(systems: list[str], judged: list[Judged]) -> list[dict]:
    counts: Counter[tuple[str, str]] = Counter((j.winner, j.loser) for j in judged)
    rows = []
    for first, second in itertools.combinations(systems, 2):
        k, n = counts[(first, second)], counts[(first, second)] + counts[(second, first)]
        if n == 0:
            continue
        low, high = wilson_ci(k, n)
        rows.append(
            {"system": first, "versus": second, "n": n, "wins": k, "win_rate": k / n, "ci_low": low, "ci_high": high, "p_binomial": binomial_p(k, n)}
        )
    for row, adjusted in zip(rows, holm([r["p_binomial"] for r in rows])):
        row["p_holm"] = adjusted
    return rows


def vibe_table(systems: list[str], judged: list[Judged]) -> list[dict]:
    ratings: dict[str, list[int]] = defaultdict(list)
    for j in judged:
        for system, value in ((j.system_a, j.vote.vibe_a), (j.system_b, j.vote.vibe_b)):
            if value is not None:
                ratings[system].append(value)
    rows = []
    for s in systems:
        n, mean, low, high = mean_ci(ratings[s])
        rows.append({"system": s, "n": n, "mean": mean, "ci_low": low, "ci_high": high})
    return rows


def agreement_table(judges: list[JudgeScores], judged: list[Judged]) -> list[dict]:
    """How often each proxy prefers the clip people preferred: per vote, and per pair's majority."""
    rows = []
    for judge in judges:
        if judge.unavailable:
            continue
        per_vote = [_proxy_pick(judge, j.token_a, j.token_b) for j in judged]
        votes_agree = [pick == j.vote.choice for pick, j in zip(per_vote, judged) if pick in ("A", "B")]
        rows.append(_agreement_row(judge, "votes", votes_agree, sum(p == "tie" for p in per_vote), sum(p is None for p in per_vote)))
        majority: dict[str, Counter] = defaultdict(Counter)
        tokens: dict[str, tuple[str, str]] = {}
        for j in judged:
            majority[j.vote.pair_id][j.vote.choice] += 1
            tokens[j.vote.pair_id] = (j.token_a, j.token_b)
        pair_agree, ties, unscored = [], 0, 0
        for pair_id, count in majority.items():
            if count["A"] == count["B"]:
                continue
            pick = _proxy_pick(judge, *tokens[pair_id])
            if pick is None:
                unscored += 1
            elif pick == "tie":
                ties += 1
            else:
                pair_agree.append(pick == ("A" if count["A"] > count["B"] else "B"))
        rows.append(_agreement_row(judge, "pair majority", pair_agree, ties, unscored))
    return rows


def _proxy_pick(judge: JudgeScores, token_a: str, token_b: str) -> str | None:
    if token_a not in judge.values or token_b not in judge.values:
        return None
    a, b = judge.values[token_a], judge.values[token_b]
    return "tie" if a == b else ("A" if a > b else "B")


def _agreement_row(judge: JudgeScores, unit: str, agree: list[bool], ties: int, unscored: int) -> dict:
    k, n = int(sum(agree)), len(agree)
    low, high = wilson_ci(k, n)
    return {
        "judge": judge.name,
        "field": judge.field,
        "version": judge.version,
        "unit": unit,
        "n": n,
        "agree": k,
        "rate": k / n if n else float("nan"),
        "ci_low": low,
        "ci_high": high,
        "p_binomial": binomial_p(k, n),
        "proxy_ties": ties,
        "unscored": unscored,
    }
