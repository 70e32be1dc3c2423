"""The 12-key, 128-value patch form of seeds/003's project, and its parameter-space reward.

Keys: modmatrix (6x6), outmatrix (6), feedback, fixed_freq (6), coarse (6),
fine (6), detune (6, 0..14 with 7 = centre), transpose (0..48, 24 = C3),
ol (6), eg_rate (6x4), eg_level (6x4), sensitivity (6, key velocity).
Beware the two orders it mixes: per-operator arrays are stored OP6 first
(index 0 = OP6, the SysEx byte order) while the matrices are OP1 first
(modmatrix[i][j] = 1 when OP j+1 modulates OP i+1, the feedback edge
included; outmatrix[i] = 1 when OP i+1 is heard). The matrices of each of the
32 algorithms are distinct, so they map back to exactly one algorithm.

The form holds 128 of the 155 voice parameters: exporting drops keyboard
level/rate scaling, amp-mod sensitivity, the pitch EG, the LFO, oscillator
sync and the name; importing takes those from a base voice (INIT VOICE).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tools.dx7.algorithms import ALGORITHMS, algorithm_from_matrices
from tools.dx7.voice import Voice
from tools.errors import ConfigError

# key: (shape, low, high, categorical)
SPEC: dict[str, tuple[tuple[int, ...], int, int, bool]] = {
    "modmatrix": ((6, 6), 0, 1, True),
    "outmatrix": ((6,), 0, 1, True),
    "feedback": ((), 0, 7, False),
    "fixed_freq": ((6,), 0, 1, True),
    "coarse": ((6,), 0, 31, False),
    "fine": ((6,), 0, 99, False),
    "detune": ((6,), 0, 14, False),
    "transpose": ((), 0, 48, False),
    "ol": ((6,), 0, 99, False),
    "eg_rate": ((6, 4), 0, 99, False),
    "eg_level": ((6, 4), 0, 99, False),
    "sensitivity": ((6,), 0, 7, False),
}
KEYS = tuple(SPEC)
# seeds/003's weight groups as numbers: topology highest, operator amplitude and
# envelopes high, frequency medium, global/misc low. It lists feedback under
# topology and under misc; it is weighted here as topology.
WEIGHTS = {
    "modmatrix": 4.0,
    "outmatrix": 4.0,
    "feedback": 4.0,
    "fixed_freq": 4.0,
    "ol": 3.0,
    "eg_rate": 3.0,
    "eg_level": 3.0,
    "coarse": 2.0,
    "fine": 2.0,
    "detune": 2.0,
    "transpose": 1.0,
    "sensitivity": 1.0,
}


def to_seed_form(voice: Voice) -> dict[str, Any]:
    alg = ALGORITHMS[voice.algorithm]
    ops = [voice.op(n) for n in range(6, 0, -1)]  # OP6 first
    return {
        "modmatrix": alg.mod_matrix().tolist(),
        "outmatrix": alg.out_vector().tolist(),
        "feedback": voice.feedback,
        "fixed_freq": [int(o.mode == "fixed") for o in ops],
        "coarse": [o.coarse for o in ops],
        "fine": [o.fine for o in ops],
        "detune": [o.detune + 7 for o in ops],
        "transpose": voice.transpose + 24,
        "ol": [o.output_level for o in ops],
        "eg_rate": [list(o.eg_rates) for o in ops],
        "eg_level": [list(o.eg_levels) for o in ops],
        "sensitivity": [o.velocity_sens for o in ops],
    }


def check(form: Any) -> dict[str, np.ndarray]:
    """Validate a 12-key form; ConfigError names every bad key."""
    if not isinstance(form, dict):
        raise ConfigError(f"a seeds/003 patch is a JSON object with keys {', '.join(KEYS)}; got {type(form).__name__}")
    problems, arrays = [], {}
    for key in sorted(set(form) - set(SPEC)):
        problems.append(f"{key}: not a key of the 12-key form ({', '.join(KEYS)})")
    for key, (shape, low, high, _) in SPEC.items():
        if key not in form:
            problems.append(f"{key}: missing; give shape {list(shape) or 'scalar'} with values {low}..{high}")
            continue
        try:
            arr = np.asarray(form[key], dtype=np.float64)
        except (TypeError, ValueError):
            problems.append(f"{key}: not numbers; give shape {list(shape) or 'scalar'}")
            continue
        if arr.shape != shape:
            problems.append(f"{key}: shape {list(arr.shape)} should be {list(shape) or 'scalar'}")
        elif not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            problems.append(f"{key}: values must be whole numbers")
        elif arr.min(initial=low) < low or arr.max(initial=high) > high:
            problems.append(f"{key}: values must be in {low}..{high}")
        else:
            arrays[key] = arr.astype(np.int64)
    if problems:
        raise ConfigError("invalid seeds/003 patch:\n  " + "\n  ".join(problems))
    return arrays


def from_seed_form(form: Any, base: Voice | None = None) -> Voice:
    a = check(form)
    try:
        algorithm = algorithm_from_matrices(a["modmatrix"], a["outmatrix"])
    except ValueError as err:
        raise ConfigError(str(err)) from None
    data = (base or Voice()).model_dump()
    data |= {"algorithm": algorithm, "feedback": int(a["feedback"]), "transpose": int(a["transpose"]) - 24}
    for k in range(6):  # index k holds OP(6-k)
        op = data[f"OP{6 - k}"]
        op |= {
            "mode": "fixed" if a["fixed_freq"][k] else "ratio",
            "coarse": int(a["coarse"][k]),
            "fine": int(a["fine"][k]),
            "detune": int(a["detune"][k]) - 7,
            "output_level": int(a["ol"][k]),
            "eg_rates": [int(x) for x in a["eg_rate"][k]],
            "eg_levels": [int(x) for x in a["eg_level"][k]],
            "velocity_sens": int(a["sensitivity"][k]),
        }
    return Voice.parse(data)


def key_scores(pred: dict[str, np.ndarray], target: dict[str, np.ndarray]) -> dict[str, float]:
    """seeds/003's s_k per key: 1 - |x - x*| / range (clipped) for numbers, exact match for
    categorical entries, averaged element-wise over arrays."""
    scores = {}
    for key, (_, low, high, categorical) in SPEC.items():
        x, y = pred[key].astype(np.float64), target[key].astype(np.float64)
        s = (x == y).astype(np.float64) if categorical else np.clip(1 - np.abs(x - y) / (high - low), 0, 1)
        scores[key] = float(np.mean(s))
    return scores


def parameter_reward(pred: Any, target: Any) -> dict[str, float]:
    """R_format (valid or not), R_keys (fraction of keys present with the right shape and range)
    and R_dist (weighted mean of s_k) of seeds/003; an invalid prediction gets R_dist 0."""
    t = check(target)
    present = 0
    if isinstance(pred, dict):
        for key in KEYS:
            try:
                check({**{k: v.tolist() for k, v in t.items()}, key: pred[key]})
                present += 1
            except (ConfigError, KeyError):
                pass
    try:
        p = check(pred)
    except ConfigError:
        return {"format": 0.0, "keys": present / len(KEYS), "dist": 0.0}
    scores = key_scores(p, t)
    dist = sum(WEIGHTS[k] * scores[k] for k in KEYS) / sum(WEIGHTS.values())
    return {"format": 1.0, "keys": present / len(KEYS), "dist": dist}


def parameter_distance(a: Voice, b: Voice) -> float:
    """1 - R_dist between two voices in the 12-key form (0 = the 128 values agree)."""
    return 1.0 - parameter_reward(to_seed_form(a), to_seed_form(b))["dist"]
