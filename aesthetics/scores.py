"""The one Scores record every backend returns, and the one OBJ formula.

`OBJ = 0.60 CE + 0.05 CU + 0.05 PC + 0.30 PQ` (the audiobox-aesthetics
objective of seeds/002). It is defined here and nowhere else.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

OBJ_WEIGHTS: dict[str, float] = {"CE": 0.60, "CU": 0.05, "PC": 0.05, "PQ": 0.30}
COMPONENTS = tuple(OBJ_WEIGHTS)


def objective(ce: float, cu: float, pc: float, pq: float) -> float:
    """OBJ = 0.60 CE + 0.05 CU + 0.05 PC + 0.30 PQ."""
    values = {"CE": ce, "CU": cu, "PC": pc, "PQ": pq}
    return float(sum(OBJ_WEIGHTS[name] * values[name] for name in COMPONENTS))


class Scores(BaseModel):
    """Scores for one clip, always naming the backend (and its version) that made them.

    CE, CU, PC, PQ are on the audiobox 1-10 scale when the backend provides
    them (the `dsp` backend provides *proxies* of them; `clap` provides none
    and puts `clap_sim` / `clap_reward` in `extra`). `extra` holds
    backend-specific numbers such as dsp descriptors.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    backend: str
    version: str
    CE: float | None = None
    CU: float | None = None
    PC: float | None = None
    PQ: float | None = None
    OBJ: float | None = None
    extra: dict[str, float] = Field(default_factory=dict)

    def __getitem__(self, name: str):
        """`scores["OBJ"]` reads like `scores.OBJ` (as a dict of `model_dump()` would)."""
        if name not in type(self).model_fields:
            raise KeyError(f"{name!r} is not a score; use one of {', '.join(type(self).model_fields)}")
        return getattr(self, name)

    @classmethod
    def from_components(
        cls,
        backend: str,
        version: str,
        ce: float,
        cu: float,
        pc: float,
        pq: float,
        extra: dict[str, float] | None = None,
    ) -> Scores:
        """Scores with OBJ computed by `objective` (the only place OBJ is made)."""
        return cls(
            backend=backend,
            version=version,
            CE=round(float(ce), 4),
            CU=round(float(cu), 4),
            PC=round(float(pc), 4),
            PQ=round(float(pq), 4),
            OBJ=round(objective(ce, cu, pc, pq), 4),
            extra=dict(extra or {}),
        )
