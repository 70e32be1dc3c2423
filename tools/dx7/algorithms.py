"""The 32 DX7 algorithms as graphs: who modulates whom, who is heard, where feedback goes.

Operators are numbered 1..6 as on the DX7's front panel. Each algorithm is
written as modulation edges "m>c" (operator m modulates operator c), its
carriers, and its feedback edge (source, target); for most algorithms the
feedback is an operator feeding itself, for 4 and 6 it closes a loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# number: (edges, carriers, feedback (source, target))
_TABLE: dict[int, tuple[str, str, tuple[int, int]]] = {
    1: ("2>1 4>3 5>4 6>5", "13", (6, 6)),
    2: ("2>1 4>3 5>4 6>5", "13", (2, 2)),
    3: ("2>1 3>2 5>4 6>5", "14", (6, 6)),
    4: ("2>1 3>2 5>4 6>5", "14", (4, 6)),
    5: ("2>1 4>3 6>5", "135", (6, 6)),
    6: ("2>1 4>3 6>5", "135", (5, 6)),
    7: ("2>1 4>3 5>3 6>5", "13", (6, 6)),
    8: ("2>1 4>3 5>3 6>5", "13", (4, 4)),
    9: ("2>1 4>3 5>3 6>5", "13", (2, 2)),
    10: ("2>1 3>2 5>4 6>4", "14", (3, 3)),
    11: ("2>1 3>2 5>4 6>4", "14", (6, 6)),
    12: ("2>1 4>3 5>3 6>3", "13", (2, 2)),
    13: ("2>1 4>3 5>3 6>3", "13", (6, 6)),
    14: ("2>1 4>3 5>4 6>4", "13", (6, 6)),
    15: ("2>1 4>3 5>4 6>4", "13", (2, 2)),
    16: ("2>1 3>1 5>1 4>3 6>5", "1", (6, 6)),
    17: ("2>1 3>1 5>1 4>3 6>5", "1", (2, 2)),
    18: ("2>1 3>1 4>1 5>4 6>5", "1", (3, 3)),
    19: ("2>1 3>2 6>4 6>5", "145", (6, 6)),
    20: ("3>1 3>2 5>4 6>4", "124", (3, 3)),
    21: ("3>1 3>2 6>4 6>5", "1245", (3, 3)),
    22: ("2>1 6>3 6>4 6>5", "1345", (6, 6)),
    23: ("3>2 6>4 6>5", "1245", (6, 6)),
    24: ("6>3 6>4 6>5", "12345", (6, 6)),
    25: ("6>4 6>5", "12345", (6, 6)),
    26: ("3>2 5>4 6>4", "124", (6, 6)),
    27: ("3>2 5>4 6>4", "124", (3, 3)),
    28: ("2>1 4>3 5>4", "136", (5, 5)),
    29: ("4>3 6>5", "1235", (6, 6)),
    30: ("4>3 5>4", "1236", (5, 5)),
    31: ("6>5", "12345", (6, 6)),
    32: ("", "123456", (6, 6)),
}


@dataclass(frozen=True)
class Algorithm:
    number: int
    edges: tuple[tuple[int, int], ...]  # (modulator, carrier-or-modulated), 1-based
    carriers: tuple[int, ...]
    feedback: tuple[int, int]  # (source, target), 1-based

    def mod_matrix(self, with_feedback: bool = True) -> np.ndarray:
        """6x6, OP1-first: m[i][j] = 1 when operator j+1 modulates operator i+1."""
        m = np.zeros((6, 6), dtype=np.int64)
        for src, dst in self.edges:
            m[dst - 1, src - 1] = 1
        if with_feedback:
            src, dst = self.feedback
            m[dst - 1, src - 1] = 1
        return m

    def out_vector(self) -> np.ndarray:
        """6 flags, OP1-first: 1 for the operators heard at the output."""
        v = np.zeros(6, dtype=np.int64)
        v[[c - 1 for c in self.carriers]] = 1
        return v

    def diagram(self) -> str:
        chains = ", ".join(f"OP{s}->OP{d}" for s, d in self.edges) or "no modulation"
        src, dst = self.feedback
        loop = f"OP{src} feeds itself" if src == dst else f"OP{src} feeds back into OP{dst}"
        heard = "+".join(f"OP{c}" for c in self.carriers)
        return f"algorithm {self.number}: {chains}; carriers {heard}; {loop}"


def _build(number: int) -> Algorithm:
    edges, carriers, feedback = _TABLE[number]
    pairs = tuple((int(e[0]), int(e[2])) for e in edges.split())
    return Algorithm(number, pairs, tuple(int(c) for c in carriers), feedback)


ALGORITHMS: dict[int, Algorithm] = {n: _build(n) for n in _TABLE}


def algorithm_from_matrices(modmatrix: np.ndarray, outmatrix: np.ndarray) -> int:
    """The algorithm whose full matrix (feedback included) and carrier vector match exactly."""
    mod = np.asarray(modmatrix, dtype=np.int64)
    out = np.asarray(outmatrix, dtype=np.int64).reshape(-1)
    for number, alg in ALGORITHMS.items():
        if np.array_equal(alg.mod_matrix(), mod) and np.array_equal(alg.out_vector(), out):
            return number
    raise ValueError(
        "modmatrix/outmatrix match none of the 32 DX7 algorithms; copy the matrices of one algorithm "
        "(tools.dx7.algorithms.ALGORITHMS[n].mod_matrix(), .out_vector())"
    )
