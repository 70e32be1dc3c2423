"""Train aesthetics/vibe/probe.npz: the reader's per-axis linear probe on MiniLM sentence embeddings.

    .venv/bin/python scripts/build_reader_probe.py [--folds 5]

Training data: the reader's tuning sets of optimize/data/reader (dev-v1 and
unseen-v1, the latter reported once under vibe-proxy-4 and a tuning set since;
the held-out sets are never read here) with each axis expectation as +1 / -1 and
every axis a text's writer left unlabelled as 0, and every concept phrase of aesthetics/vibe/words.py with the axes its entry
implies (at CONCEPT_WEIGHT, as a softer label). Ridge regression per axis,
closed form. Before writing, a k-fold cross-validation over the sets' texts
prints how often the probe alone and the reader without it point each axis
the expected way (a text-side measure; the judge's 2AFC on renders is
scripts/validate_judge.py). Deterministic: same sets and tables, same file.
"""

from __future__ import annotations

import argparse
import io

import numpy as np
from rich.console import Console
from rich.table import Table

from aesthetics.embed import embed_texts
from aesthetics.vibe.axes import AXIS_NAMES
from aesthetics.vibe.probe import PROBE, probe_digest
from aesthetics.vibe.reader import SOURCES, _concept_axes, normalise, read
from aesthetics.vibe.words import CONCEPTS
from optimize.eval.reader_check import HELD_OUT, SETS, load_frozen, wilson
from tools.files import file_sha256, write_bytes

TUNING_SETS = ("dev-v1", "unseen-v1")
assert HELD_OUT not in TUNING_SETS, "the probe never trains on the held-out set"
RIDGE = 1.0
CONCEPT_WEIGHT = 0.5
CONCEPT_MARGIN = 0.2  # a concept speaks for an axis whose level is at least this far from the middle


def examples() -> tuple[list[str], list[dict[str, float]], list[str], list[dict[str, float]]]:
    """(set texts, their axis labels), (concept phrases, their axis labels).

    A set text labels every axis: +-1 where it implies a pole, 0 where its writer recorded nothing (the sets
    were labelled conservatively, so the probe learns to stay quiet on axes a text does not speak to). A concept
    phrase labels only the axes its entry implies, at +-CONCEPT_WEIGHT."""
    texts, labels = [], []
    for name in TUNING_SETS:
        for item in load_frozen(name):
            texts.append(normalise(item["text"]))
            labels.append({axis: {"high": 1.0, "low": -1.0}.get(item["axes"].get(axis), 0.0) for axis in AXIS_NAMES})
    phrases, phrase_labels = [], []
    for entry in CONCEPTS:
        implied = {axis: CONCEPT_WEIGHT * np.sign(level - 0.5) for axis, level in _concept_axes(entry).items() if abs(level - 0.5) >= CONCEPT_MARGIN}
        for phrase in entry.phrases:
            phrases.append(phrase)
            phrase_labels.append(implied)
    return texts, labels, phrases, phrase_labels


def fit(vectors: np.ndarray, labels: list[dict[str, float]]) -> np.ndarray:
    """(axes, dim + 1) ridge weights; rows without a label for an axis do not train it."""
    design = np.hstack([vectors, np.ones((len(vectors), 1))])
    weights = np.zeros((len(AXIS_NAMES), design.shape[1]))
    for a, axis in enumerate(AXIS_NAMES):
        rows = [i for i, label in enumerate(labels) if axis in label]
        x = design[rows]
        y = np.array([labels[i][axis] for i in rows])
        weights[a] = np.linalg.solve(x.T @ x + RIDGE * np.eye(x.shape[1]), x.T @ y)
    return weights


def cross_validate(
    vectors: np.ndarray,
    texts: list[str],
    labels: list[dict[str, float]],
    concept_vectors: np.ndarray,
    concept_labels: list[dict[str, float]],
    folds: int,
) -> None:
    fold = np.random.default_rng(0).integers(0, folds, len(texts))
    without = tuple(s for s in SOURCES if s != "probe")
    hits = {axis: [0, 0, 0] for axis in AXIS_NAMES}  # probe right, reader right, trials
    for k in range(folds):
        train = np.where(fold != k)[0]
        weights = fit(np.vstack([vectors[train], concept_vectors]), [labels[i] for i in train] + concept_labels)
        for i in np.where(fold == k)[0]:
            reading = read(texts[i], without).axes
            scores = weights[:, :-1] @ vectors[i] + weights[:, -1]
            for axis, want in labels[i].items():
                if want == 0:
                    continue
                a = AXIS_NAMES.index(axis)
                hits[axis][0] += bool(np.sign(scores[a]) == want)
                hits[axis][1] += bool(reading[axis].confidence > 0 and np.sign(reading[axis].target - 0.5) == want)
                hits[axis][2] += 1
    table = Table(title=f"{folds}-fold cross-validation on {' + '.join(TUNING_SETS)}: axis direction, text side (Wilson 95% CI)")
    for column in ("axis", "n", "probe alone", "reader without probe"):
        table.add_column(column)
    totals = np.sum([h for h in hits.values()], axis=0)
    for axis, (probe, reader, n) in [*hits.items(), ("all", totals)]:
        cells = [wilson(int(h), int(n)) for h in (probe, reader)]
        table.add_row(axis, str(n), *(f"{c['rate']:.3f} [{c['ci95'][0]:.3f}, {c['ci95'][1]:.3f}]" for c in cells))
    Console().print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (0: skip)")
    args = parser.parse_args()
    texts, labels, phrases, phrase_labels = examples()
    vectors, concept_vectors = embed_texts(texts), embed_texts(phrases)
    if args.folds > 1:
        cross_validate(vectors, texts, labels, concept_vectors, phrase_labels, args.folds)
    weights = fit(np.vstack([vectors, concept_vectors]), labels + phrase_labels)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        weights=weights.astype(np.float32),
        digest=np.array(probe_digest()),
        trained_on=np.array([f"{name}.jsonl {file_sha256(SETS / f'{name}.jsonl')}" for name in TUNING_SETS]),
        ridge=np.array(RIDGE),
        concept_weight=np.array(CONCEPT_WEIGHT),
    )
    write_bytes(PROBE, buffer.getvalue())
    print(f"wrote {PROBE}: {len(texts)} texts of {', '.join(TUNING_SETS)} and {len(phrases)} concept phrases")


if __name__ == "__main__":
    main()
