"""Validate the `vibe` judge (a CLAP PROXY): 2AFC accuracy, axis monotonicity, bad-audio agreement with dsp.

    .venv/bin/python scripts/validate_judge.py [--out DIR] [--seconds 10] [--split test|dev] [--contexts 8]

Two disjoint splits: `test` (the reported numbers: seed 0, the first eight
CONTEXTS, render seeds from 0) and `dev` (for tuning the judge: seed 1, the
last four CONTEXTS, render seeds from 5000). Never tune on `test`.

1. 2AFC: pairs of contrasting vibes (one axis apart, in a shared context), audio
   made for each by three config producers: `mapper` (reference.vibe_mapper),
   `targeted` (a random base config with the axis's driving field set to its
   extremes) and `random-self` (two random configs, each described by a text
   generated from its own fields). A trial is correct when the judge gives the
   text's own audio the higher vibe_reward; each pair gives two trials.
   Accuracy with a pair-bootstrap 95 % CI and a binomial test against 50 %.
2. Monotonicity: each axis's driving field swept low -> high on random base
   configs; Spearman rho of field level vs calibrated measurement and the share
   of bases where the top value measures above the bottom one.
3. Bad audio: clipped (x8 then hard clip), silence, white noise and a DC offset
   of renders scored against their own vibe: vibe_reward and dsp PQ both must drop.
4. Words it was not written for (`--vibe-set unseen-v1`, frozen; `optimize.eval.reader_check`):
   the judge's 2AFC per axis (mapper config with the driving field flipped the
   right or the wrong way), the mapper's field match, an ablation of the reader's
   sources on the same renders, the missed trials put down to the text, the asked axis's
   own measurement or cross-talk from the other axes (`reader_check.miss_causes`), and the
   audio side alone (each axis's field at its two ends, mapper-like configs of the vibe
   split named by --ends-split x 3 seeds). All with Wilson 95 % CIs. A tuning set
   (`--vibe-set unseen-v3`) with `--unseen-baseline` is how a judge change is checked
   before the held-out run. `--vibe-set none` skips it.

Writes results.json, run.json, validate_judge.png and unseen.png into --out, atomically.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from rich.progress import track  # noqa: E402
from scipy import stats  # noqa: E402

from aesthetics import get_scorer  # noqa: E402
from aesthetics.vibe import judge, measured_axes  # noqa: E402
from aesthetics.vibe.axes import AXES  # noqa: E402
from aesthetics.vibe.reader import SOURCES  # noqa: E402
from optimize.eval import reader_check, reader_report  # noqa: E402
from optimize.eval.reader_check import DRIVERS  # noqa: E402
from optimize.render_score import Clip  # noqa: E402
from optimize.vibes.data import load_split  # noqa: E402
from reference.vibe_mapper import map_vibe  # noqa: E402
from tools.ambient import engine_fingerprint, render_config  # noqa: E402
from tools.files import write_atomic, write_bytes, write_text  # noqa: E402
from tools.paths import cache_root  # noqa: E402
from tools.run_record import write_run  # noqa: E402
from tools.schema import FIELDS, MusicConfig, choices  # noqa: E402

RATE = 44_100
AXIS_VIBES = {
    "pace": ("slow, sleepy", "fast, hurried"),
    "energy": ("calm and peaceful", "intense and energetic"),
    "brightness": ("dark, murky", "bright, sparkling"),
    "space": ("dry, intimate and close", "vast, echoing cathedral"),
    "density": ("sparse and empty", "dense and busy"),
    "valence": ("sad and mournful", "happy and joyful"),
    "grit": ("clean and pure", "gritty and distorted"),
    "percussion": ("beatless drifting drone", "driving drums"),
    "width": ("mono, narrow", "wide stereo, immersive"),
    "register": ("deep low rumble", "high twinkling notes"),
}
SWEEPS = {"rhythm": ("none", "minimal", "soft_four", "kit_light", "kit_medium", "electronic"), "mode": ("minor", "dorian", "mixolydian", "major")}
CONTEXTS = (
    "",
    " at night",
    " in a forest",
    " in the city",
    " by the sea",
    " at dawn",
    " in winter",
    " in an empty office",
    " on a rooftop",
    " in a desert",
    " underwater",
    " after the party",
)
# split -> (rng seed, contexts, first render seed); the splits share no text, config draw or render seed.
SPLITS = {"test": (0, CONTEXTS[:8], 0), "dev": (1, CONTEXTS[8:], 5000)}
WORDS = {
    "tempo": {"very_slow": "very slow", "slow": "slow", "fast": "fast", "very_fast": "very fast and hurried"},
    "brightness": {"very_dark": "very dark", "dark": "dark", "bright": "bright", "very_bright": "very bright and sparkling"},
    "space": {"dry": "dry and close", "small": "in a small room", "large": "spacious", "vast": "vast and echoing"},
    "density": {2: "sparse", 3: "minimal", 5: "layered", 6: "dense and busy"},
    "mode": {"major": "happy", "minor": "sad"},
    "rhythm": {
        "none": "no drums",
        "electronic": "driving electronic drums",
        "kit_medium": "drums",
        "military": "marching drums",
        "kit_light": "light drums",
    },
    "grain": {"clean": "clean", "gritty": "gritty and distorted"},
    "stereo": {"mono": "mono", "ultra_wide": "wide stereo"},
}


def random_config(rng: np.random.Generator) -> MusicConfig:
    return MusicConfig(**{f: (lambda c: c[int(rng.integers(len(c)))])(choices(f)) for f in FIELDS})


def describe(config: MusicConfig) -> str:
    """A plain-words description of a config's salient fields (the random-self producer's text)."""
    words = [WORDS[f].get(getattr(config, f)) for f in WORDS]
    return ", ".join(w for w in words if w) or "ambient music"


def render(config: MusicConfig, seconds: float, seed: int, cache: Path | None, rate: int = RATE) -> np.ndarray:
    """The render of (config, seed); with `cache`, kept there as .npy (keyed by the engine's fingerprint too)
    so a rerun with a new judge skips rendering."""
    if cache is None:
        return render_config(config, seconds, seed=seed, sample_rate=rate)
    key = hashlib.sha256(f"{engine_fingerprint()}|{config.model_dump_json()}|{seed}|{seconds}|{rate}".encode()).hexdigest()[:24]
    path = cache / f"{key}.npy"
    if path.exists():
        return np.load(path)
    audio = render_config(config, seconds, seed=seed, sample_rate=rate)
    buffer = io.BytesIO()
    np.save(buffer, audio)
    write_bytes(path, buffer.getvalue())
    return audio


class Measurer:
    """Render + measure once per (config, seed); judge any text against it cheaply."""

    def __init__(self, seconds: float, cache: Path | None = None, rate: int = RATE) -> None:
        self.seconds = seconds
        self.cache = cache
        self.rate = rate
        self.memo: dict[tuple[str, int], tuple[dict[str, float], float]] = {}

    def __call__(self, config: MusicConfig, seed: int) -> tuple[dict[str, float], float]:
        key = (config.model_dump_json(), seed)
        if key not in self.memo:
            self.memo[key] = measured_axes(render(config, self.seconds, seed, self.cache, self.rate), self.rate)
        return self.memo[key]


def reward(text: str, measured: tuple[dict[str, float], float], sources: tuple[str, ...] = SOURCES) -> float:
    return judge(text, *measured, sources=sources)["vibe_reward"]


# Reader ablation: each source left out, and the v3 reader (anchors alone).
ABLATIONS = {
    "all": SOURCES,
    **{f"without {s}": tuple(x for x in SOURCES if x != s) for s in SOURCES},
    "anchors only (vibe-proxy-3 text side)": ("anchors",),
}


def unseen(name: str, measure: Measurer, ends_split: str, ends_vibes: int) -> dict:
    items = reader_check.load_frozen(name)
    out = {"set": name, "items": len(items)}
    out["two_afc"] = reader_check.judge_2afc(items, measure, reward, 20_000, progress=lambda xs: track(xs, description=f"{name} 2AFC"))
    out["ablation"] = {
        label: reader_check.rejudge(items, out["two_afc"]["trials"], measure, lambda t, m, s=sources: reward(t, m, s), 20_000)["all"]
        for label, sources in ABLATIONS.items()
    }
    out["misses"] = reader_check.miss_causes(items, out["two_afc"]["trials"], measure, 20_000)
    out["mapper"] = reader_check.mapper_match(items)
    vibes = [row["vibe"] for row in load_split(ends_split)][:ends_vibes]
    out["audio_ends"] = reader_check.audio_ends(vibes, measure, (0, 1, 2), progress=lambda xs: track(xs, description="audio ends"))
    out["audio_ends"]["split"] = ends_split
    return out


def make_pairs(rng: np.random.Generator, contexts: tuple[str, ...]) -> list[dict]:
    pairs = []
    for axis, (low, high) in AXIS_VIBES.items():
        for ctx in contexts:
            texts = (low + ctx, high + ctx)
            pairs.append({"producer": "mapper", "axis": axis, "texts": texts, "configs": tuple(map_vibe(t) for t in texts)})
            field, lo, hi = DRIVERS[axis]
            base = random_config(rng).model_dump()
            if field == "rhythm":
                base["density"] = max(base["density"], 5)
            pairs.append(
                {
                    "producer": "targeted",
                    "axis": axis,
                    "texts": texts,
                    "configs": (MusicConfig(**{**base, field: lo}), MusicConfig(**{**base, field: hi})),
                }
            )
    for _ in range(len(AXIS_VIBES) * len(contexts)):
        configs = (random_config(rng), random_config(rng))
        pairs.append({"producer": "random-self", "axis": "mixed", "texts": tuple(map(describe, configs)), "configs": configs})
    return pairs


def two_afc(pairs: list[dict], measure: Measurer, rng: np.random.Generator, first_seed: int = 0) -> dict:
    correct = []
    for i, pair in enumerate(track(pairs, description="2AFC pairs")):
        m = [measure(c, seed=first_seed + i) for c in pair["configs"]]
        a_text, b_text = pair["texts"]
        pair["correct"] = [reward(a_text, m[0]) > reward(a_text, m[1]), reward(b_text, m[1]) > reward(b_text, m[0])]
        correct.append(pair["correct"])
    out = {
        "all": _accuracy(np.array(correct, dtype=float), rng),
        "pairs": [{"producer": p["producer"], "axis": p["axis"], "texts": list(p["texts"]), "correct": p["correct"]} for p in pairs],
    }
    for key in ("producer", "axis"):
        for value in sorted({p[key] for p in pairs}):
            rows = np.array([p["correct"] for p in pairs if p[key] == value], dtype=float)
            out[f"{key}={value}"] = _accuracy(rows, rng)
    return out


def paired_against(baseline: Path, pairs: list[dict], rng: np.random.Generator) -> dict:
    """This judge vs a baseline run's results.json on the same pairs: accuracy difference, bootstrap CI, exact McNemar."""
    before = json.loads(baseline.read_text())["two_afc"]["pairs"]
    if [b["texts"] for b in before] != [list(p["texts"]) for p in pairs]:
        raise SystemExit(f"{baseline} holds other pairs (another split or --contexts); rerun it on the same split")
    old = np.array([b["correct"] for b in before], dtype=float)
    new = np.array([p["correct"] for p in pairs], dtype=float)
    diff = (new - old).mean(axis=1)
    boots = rng.choice(diff, size=(2000, diff.size), replace=True).mean(axis=1)
    gained, lost = int(((new == 1) & (old == 0)).sum()), int(((new == 0) & (old == 1)).sum())
    p_value = float(stats.binomtest(gained, gained + lost, 0.5).pvalue) if gained + lost else 1.0
    return {
        "baseline": str(baseline),
        "pairs": int(diff.size),
        "before": float(old.mean()),
        "after": float(new.mean()),
        "difference": float(diff.mean()),
        "ci95": [float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5))],
        "trials_gained": gained,
        "trials_lost": lost,
        "mcnemar_exact_p": p_value,
    }


def _accuracy(rows: np.ndarray, rng: np.random.Generator) -> dict:
    per_pair = rows.mean(axis=1)
    boots = rng.choice(per_pair, size=(2000, per_pair.size), replace=True).mean(axis=1)
    trials = int(rows.size)
    hits = int(rows.sum())
    return {
        "pairs": int(rows.shape[0]),
        "trials": trials,
        "accuracy": hits / trials,
        "ci95": [float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5))],
        "binomial_p_vs_50": float(stats.binomtest(hits, trials, 0.5, alternative="greater").pvalue),
    }


def monotonicity(measure: Measurer, rng: np.random.Generator, bases: int) -> dict:
    out = {}
    base_configs = [random_config(rng).model_dump() for _ in range(bases)]
    for axis in track(AXES, description="monotonicity"):
        field = DRIVERS[axis.name][0]
        values = SWEEPS.get(field) or choices(field)
        levels, measured, ups = [], [], []
        for b, base in enumerate(base_configs):
            if field == "rhythm":
                base = {**base, "density": 6}
            row = [measure(MusicConfig(**{**base, field: v}), seed=1000 + b)[0][axis.name] for v in values]
            levels += list(range(len(values)))
            measured += row
            ups.append(row[-1] > row[0])
        rho = stats.spearmanr(levels, measured)
        out[axis.name] = {
            "field": field,
            "values": [str(v) for v in values],
            "bases": bases,
            "spearman_rho": float(rho.statistic),
            "p": float(rho.pvalue),
            "top_above_bottom": float(np.mean(ups)),
        }
    return out


def bad_audio(measure_seconds: float, rng: np.random.Generator, n: int, cache: Path | None = None) -> dict:
    dsp = get_scorer("dsp")
    kinds = {
        "clipped": lambda x: np.clip(x * 8.0, -1.0, 1.0),
        "silence": lambda x: np.zeros_like(x),
        "noise": lambda x: (rng.standard_normal(x.shape) * 0.3).astype(np.float32),
        "dc_offset": lambda x: (x * 0.5 + 0.4).astype(np.float32),
    }
    rows = {k: {"reward_drop": [], "pq_drop": []} for k in kinds}
    for i in track(range(n), description="bad audio"):
        config = random_config(rng)
        text = describe(config)
        clean = render(config, measure_seconds, 2000 + i, cache)
        r0, pq0 = reward(text, measured_axes(clean, RATE)), dsp.score(clean, RATE).PQ
        for kind, spoil in kinds.items():
            bad = spoil(clean)
            rows[kind]["reward_drop"].append(r0 - reward(text, measured_axes(bad, RATE)))
            rows[kind]["pq_drop"].append(pq0 - dsp.score(bad, RATE).PQ)
    out = {}
    for kind, r in rows.items():
        drop, pq = np.array(r["reward_drop"]), np.array(r["pq_drop"])
        test = stats.wilcoxon(drop, alternative="greater") if np.any(drop != 0) else None
        out[kind] = {
            "n": n,
            "mean_reward_drop": float(drop.mean()),
            "ci95": ([float(v) for v in stats.t.interval(0.95, n - 1, drop.mean(), stats.sem(drop))] if drop.std() > 0 else [float(drop.mean())] * 2),
            "wilcoxon_p": float(test.pvalue) if test else 1.0,
            "agree_with_dsp": float(np.mean((drop > 0) == (pq > 0))),
        }
    return out


def plot(results: dict, path: Path) -> None:
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
    keys = [k for k in results["two_afc"] if not k.startswith("axis=") and k != "pairs"]
    acc = [results["two_afc"][k]["accuracy"] for k in keys]
    err = np.array([[a - results["two_afc"][k]["ci95"][0], results["two_afc"][k]["ci95"][1] - a] for k, a in zip(keys, acc)]).T
    ax1.bar(keys, acc, yerr=err, capsize=4, color="tab:blue")
    ax1.axhline(0.85, ls="--", color="k", lw=1, label="target 85 %")
    ax1.axhline(0.5, ls=":", color="grey", lw=1, label="chance")
    ax1.set_ylim(0, 1)
    ax1.set_title("vibe judge 2AFC accuracy (95 % pair-bootstrap CI)")
    ax1.legend()
    axes = list(results["monotonicity"])
    ax2.bar(axes, [results["monotonicity"][a]["spearman_rho"] for a in axes], color="tab:green")
    ax2.set_ylim(-1, 1)
    ax2.set_title("axis monotonicity: Spearman rho (field level vs measured)")
    ax2.tick_params(axis="x", rotation=45)
    fig.tight_layout()
    write_atomic(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=cache_root() / "validate_judge")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--split", choices=sorted(SPLITS), default="test", help="test: the reported numbers; dev: disjoint pairs for tuning the judge"
    )
    parser.add_argument("--contexts", type=int, default=8, help="at most this many of the split's contexts per axis (pairs = 3 x 10 x contexts)")
    parser.add_argument("--bases", type=int, default=4, help="base configs per monotonicity sweep")
    parser.add_argument("--bad", type=int, default=12, help="renders spoiled per bad-audio kind")
    parser.add_argument("--baseline", type=Path, default=None, help="results.json of an earlier judge on the same split: print the paired difference")
    parser.add_argument(
        "--vibe-set",
        default=reader_check.HELD_OUT,
        help=f"frozen vibe set of optimize/data/reader to report on ({reader_check.HELD_OUT}, held out; a tuning set such as dev-v1; none to skip)",
    )
    parser.add_argument("--ends-split", default="test", help="vibe split whose mapper configs the audio-ends check uses")
    parser.add_argument("--ends-vibes", type=int, default=40, help="vibes of --ends-split in the audio-ends check")
    parser.add_argument(
        "--unseen-baseline",
        type=Path,
        default=None,
        help="results.json of an earlier judge on the same --vibe-set: print the paired difference there",
    )
    parser.add_argument("--render-cache", type=Path, default=None, help="keep renders here (.npy) so a rerun with a changed judge skips rendering")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    config = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    config["judge_version"] = get_scorer("vibe").version
    write_run(args.out, config)
    seed, contexts, first_seed = SPLITS[args.split]
    config["seed"] = seed
    rng = np.random.default_rng(seed)
    if args.render_cache is not None:
        args.render_cache.mkdir(parents=True, exist_ok=True)
    measure = Measurer(args.seconds, args.render_cache)
    results = {"config": config}
    pairs = make_pairs(rng, contexts[: args.contexts])
    results["two_afc"] = two_afc(pairs, measure, rng, first_seed)
    results["monotonicity"] = monotonicity(measure, rng, args.bases)
    results["bad_audio"] = bad_audio(args.seconds, rng, args.bad, args.render_cache)
    if args.baseline is not None:
        results["paired"] = paired_against(args.baseline, pairs, np.random.default_rng(seed))
    if args.vibe_set != "none":
        clip = Clip()  # the teacher's and eval suite's clip: what the judge scores in the learning loop
        results["unseen"] = unseen(args.vibe_set, Measurer(clip.duration, args.render_cache, clip.sample_rate), args.ends_split, args.ends_vibes)
        results["unseen"]["clip"] = {"seconds": clip.duration, "sample_rate": clip.sample_rate}
        if args.unseen_baseline is not None:
            before = json.loads(args.unseen_baseline.read_text())
            results["unseen"]["paired"] = {
                "baseline": str(args.unseen_baseline),
                "judge_version": before["config"]["judge_version"],
                **reader_check.paired(before["unseen"]["two_afc"]["trials"], results["unseen"]["two_afc"]["trials"]),
            }
        reader_report.plot(results["unseen"], args.out / "unseen.png")
    write_text(args.out / "results.json", json.dumps(results, indent=1) + "\n")
    plot(results, args.out / "validate_judge.png")
    for key, r in results["two_afc"].items():
        if key == "pairs":
            continue
        print(
            f"2AFC {key:22s} n_pairs={r['pairs']:3d} trials={r['trials']:3d} acc={r['accuracy']:.3f} "
            f"95% CI [{r['ci95'][0]:.3f}, {r['ci95'][1]:.3f}] binomial p={r['binomial_p_vs_50']:.2g}"
        )
    for axis, r in results["monotonicity"].items():
        print(
            f"monotonic {axis:11s} field={r['field']:10s} rho={r['spearman_rho']:+.2f} (p={r['p']:.2g}) "
            f"top>bottom {r['top_above_bottom']:.2f} of {r['bases']}"
        )
    for kind, r in results["bad_audio"].items():
        print(
            f"bad {kind:9s} n={r['n']} mean reward drop={r['mean_reward_drop']:+.3f} 95% CI [{r['ci95'][0]:+.3f}, {r['ci95'][1]:+.3f}] "
            f"wilcoxon p={r['wilcoxon_p']:.2g} agrees with dsp PQ {r['agree_with_dsp']:.2f}"
        )
    if "paired" in results:
        r = results["paired"]
        print(
            f"paired vs {r['baseline']}: n_pairs={r['pairs']} before={r['before']:.3f} after={r['after']:.3f} "
            f"difference={r['difference']:+.3f} 95% CI [{r['ci95'][0]:+.3f}, {r['ci95'][1]:+.3f}] "
            f"trials gained {r['trials_gained']} lost {r['trials_lost']} exact McNemar p={r['mcnemar_exact_p']:.2g}"
        )
    if "unseen" in results:
        reader_report.print_summary(results["unseen"])
    print(f"wrote {args.out}/results.json, run.json, validate_judge.png" + (", unseen.png" if "unseen" in results else ""))


if __name__ == "__main__":
    main()
