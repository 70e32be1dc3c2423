"""JSON shapes of the sample library manifest and of palette files (pydantic)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

BUILTIN = "builtin"


class SampleEntry(BaseModel):
    """One sample file: where it is, what it is, and its checksum."""

    model_config = ConfigDict(extra="forbid")

    id: str
    role: str
    path: str  # relative to the library root
    loop: bool
    bars: int | None = None
    bpm: float | None = None
    key: str | None = None
    duration: float
    sample_rate: int
    sha256: str
    recipe: str | None = None


class LibraryManifest(BaseModel):
    """All samples of one library: the generated one or an indexed user folder."""

    model_config = ConfigDict(extra="forbid")

    name: str
    root: str  # absolute folder the entry paths are relative to
    recipe_version: str | None = None
    samples: dict[str, SampleEntry] = Field(default_factory=dict)

    def by_role(self) -> dict[str, list[SampleEntry]]:
        roles: dict[str, list[SampleEntry]] = {}
        for entry in self.samples.values():
            roles.setdefault(entry.role, []).append(entry)
        return roles


class SampleRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    sha256: str


class PaletteFile(BaseModel):
    """A palette: one sample per role (plus swap alternatives), pinned by checksum."""

    model_config = ConfigDict(extra="forbid")

    id: str
    bpm: float = 128.0
    library: str = BUILTIN  # "builtin" or the path of an index manifest
    samples: dict[str, SampleRef]
    alternatives: dict[str, list[SampleRef]] = Field(default_factory=dict)
    scores: dict[str, float | str | None] = Field(default_factory=dict)
