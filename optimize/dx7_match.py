"""Sound matching for the DX7: search voice parameters to bring a render close to a target sound.

The target is a factory/other voice (rendered at every (note, velocity) of
the probe) or a recording (one note). Optuna searches the sound-making
parameters (algorithm, feedback, and per operator: level, coarse, fine,
EG rates and levels, velocity sensitivity: 74 numbers) starting from a given
voice (trial 0 is the start itself), minimising one weight-free audio
distance of tools.dx7.distance on loudness-normalised renders.
The other 81 parameters stay as in the start voice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import optuna
from scipy.signal import resample_poly

from tools.audio_io import read_audio
from tools.dx7.distance import METRICS, Features, Probe, distances, features, loudness_normalise, mean_distances, probe_features
from tools.dx7.engine import Engine
from tools.dx7.voice import Voice
from tools.errors import ConfigError

SAMPLERS = ("tpe", "cmaes", "random")
OP_PARAMS: dict[str, tuple[int, int]] = {
    "output_level": (0, 99),
    "coarse": (0, 31),
    "fine": (0, 99),
    "velocity_sens": (0, 7),
    "r1": (0, 99),
    "r2": (0, 99),
    "r3": (0, 99),
    "r4": (0, 99),
    "l1": (0, 99),
    "l2": (0, 99),
    "l3": (0, 99),
    "l4": (0, 99),
}


def genome(voice: Voice) -> dict[str, int]:
    g = {"algorithm": voice.algorithm, "feedback": voice.feedback}
    for n in range(1, 7):
        o = voice.op(n)
        g |= {f"op{n}_output_level": o.output_level, f"op{n}_coarse": o.coarse, f"op{n}_fine": o.fine, f"op{n}_velocity_sens": o.velocity_sens}
        g |= {f"op{n}_r{i + 1}": o.eg_rates[i] for i in range(4)} | {f"op{n}_l{i + 1}": o.eg_levels[i] for i in range(4)}
    return g


def apply_genome(base: Voice, g: dict[str, int]) -> Voice:
    d = base.model_dump()
    d["algorithm"], d["feedback"] = int(g["algorithm"]), int(g["feedback"])
    for n in range(1, 7):
        op = d[f"OP{n}"]
        for key in ("output_level", "coarse", "fine", "velocity_sens"):
            op[key] = int(g[f"op{n}_{key}"])
        op["eg_rates"] = [int(g[f"op{n}_r{i}"]) for i in range(1, 5)]
        op["eg_levels"] = [int(g[f"op{n}_l{i}"]) for i in range(1, 5)]
    return Voice.model_validate(d)


def _suggest(trial: optuna.Trial) -> dict[str, int]:
    g = {"algorithm": trial.suggest_int("algorithm", 1, 32), "feedback": trial.suggest_int("feedback", 0, 7)}
    for n in range(1, 7):
        for key, (low, high) in OP_PARAMS.items():
            g[f"op{n}_{key}"] = trial.suggest_int(f"op{n}_{key}", low, high)
    return g


@dataclass
class Target:
    features: list[Features]
    probe: Probe
    source: str


def target_from_voice(voice: Voice, probe: Probe, engine: Engine) -> Target:
    return Target(probe_features(engine, voice, probe), probe, f"voice {voice.name!r}")


def target_from_wav(path: str | Path, note: int, velocity: int, engine: Engine, hold: float = 0.8, release: float = 0.4) -> Target:
    """A recording as the target for one (note, velocity); cut or padded to hold + release seconds."""
    audio, rate = read_audio(path)
    mono = audio.mean(axis=1).astype(np.float64)
    if rate != engine.sample_rate:
        g = np.gcd(rate, engine.sample_rate)
        mono = resample_poly(mono, engine.sample_rate // g, rate // g)
    length = round((hold + release) * engine.sample_rate)
    mono = np.pad(mono[:length], (0, max(0, length - mono.size)))
    if not np.any(mono):
        raise ConfigError(f"{path} is silent; give a recording of the sound to match")
    probe = Probe(pairs=((note, velocity),), hold=hold, release=release)
    return Target([features(loudness_normalise(mono.astype(np.float32), engine.sample_rate), engine.sample_rate)], probe, str(path))


@dataclass
class MatchResult:
    voice: Voice
    start_distance: float
    best_distance: float
    metric: str
    trials: int
    history: list[float] = field(default_factory=list)  # best-so-far after each trial


def _sampler(name: str, seed: int) -> optuna.samplers.BaseSampler:
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True, n_startup_trials=20)
    if name == "cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed, n_startup_trials=1)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise ConfigError(f"unknown sampler {name!r}; use one of {', '.join(SAMPLERS)}")


def match(
    target: Target,
    start: Voice,
    trials: int = 200,
    seed: int = 0,
    sampler: str = "tpe",
    metric: str = "mrstft",
    engine: Engine | None = None,
    progress=None,
) -> MatchResult:
    if metric not in METRICS:
        raise ConfigError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")
    if trials < 1:
        raise ConfigError("trials must be at least 1")
    engine = engine or Engine()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="minimize", sampler=_sampler(sampler, seed))
    study.enqueue_trial(genome(start))

    def objective(trial: optuna.Trial) -> float:
        voice = apply_genome(start, _suggest(trial))
        value = mean_distances(probe_features(engine, voice, target.probe), target.features)[metric]
        if progress is not None:
            progress()
        return value

    study.optimize(objective, n_trials=trials)
    values = [t.value for t in study.trials]
    history = list(np.minimum.accumulate(values))
    best = apply_genome(start, study.best_trial.params)
    return MatchResult(best, float(values[0]), float(study.best_value), metric, trials, [float(h) for h in history])


def evaluate(voice: Voice, target_voice: Voice, probe: Probe, engine: Engine) -> dict[str, float]:
    """All four audio distances of `voice` to `target_voice` on a probe (use one the search did not see)."""
    rows = [distances(c, t) for c, t in zip(probe_features(engine, voice, probe), probe_features(engine, target_voice, probe))]
    return {m: float(np.mean([r[m] for r in rows])) for m in METRICS}
