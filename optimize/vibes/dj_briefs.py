"""DJ briefs for the DJ teacher and student (#24 item 3): templates over genres, moods, venues, times, styles and
tempos, split with held-out concepts, plus contrasting pairs for brief controllability.

Built like the vibe sets (`optimize.vibes.generate`): one seeded numpy
Generator drives everything; per concept group ~20 % of the genres, moods and
venues are test-only and ~10 % val-only; a brief naming a test and a val
concept is dropped, and so is one whose words name a concept held out for
another split; exact and embedding near-duplicates (MiniLM cosine >= 0.92,
across splits) are dropped before each split is cut to its size.

The contrast pairs (`control.jsonl`) put two poles of one axis (dark / bright,
hypnotic / driving, slow / fast, sparse / dense) into the same frame, built
from test-only genres and venues so they are held out too. The wording is this
module's and not the DJ reader's word lists, but one team wrote both: for a
validation set from an independent writer use optimize/data/dj/heldout-v2.jsonl.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from string import Formatter

import numpy as np

from optimize.vibes.generate import NEAR_DUPLICATE, TEST_SHARE, VAL_SHARE, BuildStats, Embedder, NearDuplicates, mentions, normalise, split_and_cut
from tools.files import write_jsonl, write_text
from tools.run_record import write_run

SIZES = {"train": 400, "val": 60, "test": 100}
PAIRS_PER_AXIS = 20
DRAWS = 400  # candidates drawn per template before dedup

GENRES = {
    "techno": ["techno", "dub techno", "minimal techno", "acid techno", "industrial techno", "melodic techno", "hard techno", "detroit techno"],
    "house": ["house", "deep house", "tech house", "acid house", "disco house", "soulful house", "progressive house", "afro house", "lo-fi house"],
    "other": ["electro", "breakbeat", "uk garage", "trance", "italo disco", "ebm", "minimal", "nu-disco"],
}
MOODS = {
    "dark": ["dark", "brooding", "menacing", "gritty", "cold", "sinister", "murky", "tense"],
    "light": ["euphoric", "sunny", "uplifting", "blissful", "joyful", "warm", "playful", "dreamy"],
    "other": ["hypnotic", "melancholic", "sleazy", "groovy", "moody", "sensual", "raw", "nostalgic"],
}
VENUES = {
    "club": ["a warehouse", "a basement club", "a bunker", "an after-hours club", "a loft party", "an industrial hall", "a small bar"],
    "outdoor": ["a beach bar", "a rooftop terrace", "a forest rave", "a boat party", "a festival main stage", "a pool party", "a park at dusk"],
    "other": ["a record shop", "a radio show", "a gallery opening", "a wedding after-party", "a car park", "a hotel lobby"],
}
TIMES = [
    "at 4am",
    "at sunrise",
    "after midnight",
    "at sunset",
    "in the early evening",
    "on a Sunday afternoon",
    "at peak time",
    "for the closing hour",
    "for the warm-up",
    "on a rainy Tuesday night",
]
STYLES = [
    "hypnotic",
    "driving",
    "rolling",
    "relentless",
    "stripped-back",
    "laid-back",
    "slow-building",
    "peak-time",
    "long-blend",
    "percussive",
    "minimal",
    "lush",
    "bouncy",
    "pounding",
    "floaty",
    "tribal",
]
BPMS = list(range(100, 146, 2))
AXES = {  # axis -> (low pole phrases, high pole phrases)
    "brightness": (["dark, murky", "shadowy and brooding", "gloomy, low-lit"], ["bright, sunny", "shimmering and radiant", "sparkling, sunlit"]),
    "hypnotic": (
        ["hypnotic, looping", "repetitive and trance-like", "locked-in, barely changing"],
        ["driving, ever-changing", "eventful, full of twists", "restless, always moving on"],
    ),
    "pace": (
        ["slow, around 108 BPM", "unhurried, 110 bpm", "slow and heavy, 112 BPM"],
        ["fast, around 140 BPM", "rapid, 138 bpm", "quick and urgent, 142 BPM"],
    ),
    "density": (
        ["sparse, stripped to the bone", "minimal with lots of space", "thin and skeletal"],
        ["dense and layered", "packed, busy, wall-to-wall", "thick with layers"],
    ),
}


@dataclass(frozen=True)
class HeldOut:
    test: frozenset[str]
    val: frozenset[str]

    def split_of(self, concepts: list[str]) -> str | None:
        test, val = any(c in self.test for c in concepts), any(c in self.val for c in concepts)
        return None if test and val else "test" if test else "val" if val else "train"

    def words(self, split: str) -> list[str]:
        """The surface words of the concepts held out for `split` (venues without their article)."""
        return sorted(_bare(c) for c in (self.test if split == "test" else self.val))

    def as_dict(self) -> dict[str, list[str]]:
        return {"test": sorted(self.test), "val": sorted(self.val)}


def _bare(concept: str) -> str:
    return concept.split(" ", 1)[1] if concept.split(" ", 1)[0] in ("a", "an") else concept


def _holdable(concept: str) -> bool:
    """A concept can be held out only if no other concept, style, time or contrast pole contains its words: holding
    out "techno" would drop every "dub techno" brief from train as a leak, and "dark" would leave train without the
    word the brightness pairs turn on."""
    poles = [phrase for lows, highs in AXES.values() for phrase in (*lows, *highs)]
    others = [c for c in [*_flat(GENRES), *_flat(MOODS), *_flat(VENUES), *STYLES, *TIMES, *poles] if c != concept]
    return not any(mentions(normalise(other), [normalise(_bare(concept))]) for other in others)


def choose_holdout(rng: np.random.Generator) -> HeldOut:
    test, val = set(), set()
    for groups in (GENRES, MOODS, VENUES):
        for names in groups.values():
            names = [name for name in names if _holdable(name)]
            order = [names[i] for i in rng.permutation(len(names))]
            n_test, n_val = max(1, round(TEST_SHARE * len(order))), max(1, round(VAL_SHARE * len(order)))
            test.update(order[:n_test])
            val.update(order[n_test : n_test + n_val])
    return HeldOut(frozenset(test), frozenset(val))


def _flat(groups: dict[str, list[str]]) -> list[str]:
    return [name for names in groups.values() for name in names]


TEMPLATES = {  # name -> text; each {slot} is drawn from its concept list (venue_bare: the venue without its article)
    "mood_genre_venue": "{mood} {genre} in {venue}",
    "genre_venue_time": "{genre} for {venue} {time}",
    "mood_genre_bpm": "{mood} {genre} at {bpm} BPM",
    "style_genre_time": "a {style} {genre} set {time}",
    "time_venue_mood_style": "{time}, {venue_bare}: {mood}, {style} {genre}",
    "venue_genre_bpm": "{venue_bare} {time}, {genre} around {bpm} bpm",
    "two_moods": "{mood} and {mood2} {genre} for {venue}",
    "request": "play something {mood} for {venue} {time}: {genre}, {style}",
}
CONCEPT_KEYS = ("genre", "mood", "mood2", "venue", "time", "style", "bpm")


def candidates(rng: np.random.Generator, draws: int = DRAWS) -> list[dict]:
    """`draws` fills of every template, each record with the concepts that made it (None where unused)."""
    pools = {"genre": _flat(GENRES), "mood": _flat(MOODS), "mood2": _flat(MOODS), "venue": _flat(VENUES), "time": TIMES, "style": STYLES, "bpm": BPMS}
    out = []
    for name, text in TEMPLATES.items():
        slots = [slot for _, slot, _, _ in Formatter().parse(text) if slot]
        keys = [key for key in CONCEPT_KEYS if key in slots or (key == "venue" and "venue_bare" in slots)]
        for _ in range(draws):
            concepts = {key: pools[key][int(rng.integers(len(pools[key])))] for key in keys}
            filled = text.format(**concepts, venue_bare=_bare(concepts.get("venue", "")))
            out.append({"brief": filled[0].upper() + filled[1:], "template": name, **{k: concepts.get(k) for k in CONCEPT_KEYS}})
    return out


def _concepts(record: dict) -> list[str]:
    return [record[k] for k in ("genre", "mood", "mood2", "venue") if record.get(k)]


def build(
    embed: Embedder, seed: int = 0, sizes: dict[str, int] | None = None, threshold: float = NEAR_DUPLICATE, draws: int = DRAWS
) -> tuple[dict[str, list[dict]], HeldOut, BuildStats]:
    """The splits (records with `id`, `split`, `brief` and the concepts that made it), the held-out concepts, the counts."""
    sizes = dict(SIZES if sizes is None else sizes)
    rng = np.random.default_rng(seed)
    held = choose_holdout(rng)
    pool = candidates(rng, draws)
    stats = BuildStats(candidates=len(pool))
    leaks = {"train": held.words("test") + held.words("val"), "val": held.words("test"), "test": held.words("val")}
    splits = split_and_cut(pool, "brief", lambda r: held.split_of(_concepts(r)), leaks, sizes, NearDuplicates(embed, threshold), rng, stats)
    for name, records in splits.items():
        records.sort(key=lambda r: normalise(r["brief"]))
        splits[name] = [{"id": f"dj-{name}-{n:05d}", **r} for n, r in enumerate(records)]
        stats.sizes[name] = len(records)
    return splits, held, stats


def contrast_pairs(held: HeldOut, seed: int = 0, per_axis: int = PAIRS_PER_AXIS) -> list[dict]:
    """Per axis, `per_axis` pairs {"id", "axis", "a" (low pole), "b" (high pole)} in one frame on test-only concepts."""
    rng = np.random.default_rng([seed, 1])
    genres = [g for g in _flat(GENRES) if g in held.test]
    venues = [v for v in _flat(VENUES) if v in held.test]

    def pick(seq):
        return seq[int(rng.integers(len(seq)))]

    pairs = []
    for axis, (lows, highs) in AXES.items():
        frames: set[tuple] = set()
        while len(frames) < per_axis:
            frames.add((pick(genres), pick(venues), pick(TIMES), int(rng.integers(len(lows)))))
        for n, (genre, venue, time, pole) in enumerate(sorted(frames)):
            a, b = (f"{phrase} {genre} for {venue} {time}" for phrase in (lows[pole], highs[pole]))
            pairs.append({"id": f"{axis}-{n:02d}", "axis": axis, "a": a[0].upper() + a[1:], "b": b[0].upper() + b[1:]})
    return pairs


def card(splits: dict[str, list[dict]], held: HeldOut, stats: BuildStats, pairs: list[dict], config: dict) -> str:
    templates = Counter(r["template"] for records in splits.values() for r in records)
    coverage = {kind: Counter(r[kind] for records in splits.values() for r in records if r.get(kind)) for kind in ("genre", "mood", "venue", "style")}
    explicit = sum(1 for records in splits.values() for r in records if r.get("bpm"))
    lines = [
        "---",
        "license: gpl-3.0",
        "language: [en]",
        "pretty_name: vibesynth DJ briefs",
        "configs:",
        "- config_name: default",
        "  data_files:",
        *[f"  - split: {name}\n    path: {name}.jsonl" for name in splits],
        "---",
        "",
        "# vibesynth DJ briefs",
        "",
        'What a user asks a DJ set for ("dark techno in a warehouse", "deep house for a rooftop terrace at sunset,',
        '124 bpm"): the inputs of the DJ teacher and student. Made by `python scripts/make_dj_briefs.py '
        f"--seed {config['seed']}` (`optimize/vibes/dj_briefs.py`); deterministic: the same seed and embedder give the",
        "same files. Template-made and synthetic: narrower than what people type.",
        "",
        "| split | briefs |",
        "|---|---|",
        *[f"| {name} | {len(records)} |" for name, records in splits.items()],
        "",
        "**Test holds out whole concepts**: these genres, moods and venues never occur in train or val, as a concept",
        "or as words in a brief; val holds out its own. Times, styles and tempos are shared.",
        "",
        f"- test only: {', '.join(held.as_dict()['test'])}",
        f"- val only: {', '.join(held.as_dict()['val'])}",
        "",
        "Records: `id`, `split`, `brief`, `template`, and the concepts that made it (`genre`, `mood`, `mood2`, `venue`,",
        f"`time`, `style`, `bpm`; null when unused). {explicit} briefs name their tempo in BPM.",
        "",
        f"Built from {stats.candidates} candidates: {stats.exact_duplicates} exact duplicates, {stats.dropped_two_holdouts} mixing a",
        f"test and a val concept, {stats.dropped_surface_leak} naming another split's held-out concept and {stats.near_duplicates}",
        f"near-duplicates (cosine >= {config['threshold']} of {config['embedder']} embeddings) dropped.",
        "",
        "Templates: " + ", ".join(f"`{t}` {n}" for t, n in sorted(templates.items())) + ".",
        "",
        "Coverage (briefs per concept, all splits):",
        "",
        *[f"- {kind}: " + ", ".join(f"{name} {n}" for name, n in sorted(counts.items())) for kind, counts in coverage.items()],
        "",
        f"`control.jsonl`: {len(pairs)} contrasting pairs ({PAIRS_PER_AXIS} per axis: "
        + ", ".join(f"{axis} ({' / '.join((lows[0], highs[0]))})" for axis, (lows, highs) in AXES.items())
        + "), `a` the low pole, `b` the high pole, in one frame made of test-only genres and venues.",
        "The same team wrote these words and the DJ reader's: the independent set is `optimize/data/dj/heldout-v2.jsonl`.",
        "",
    ]
    return "\n".join(lines)


def write_sets(out: Path, splits: dict[str, list[dict]], held: HeldOut, stats: BuildStats, pairs: list[dict], config: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, records in splits.items():
        write_jsonl(out / f"{name}.jsonl", records)
    write_jsonl(out / "control.jsonl", pairs)
    write_run(out, {**config, "holdout": held.as_dict(), "stats": stats.__dict__})
    write_text(out / "README.md", card(splits, held, stats, pairs, config))
