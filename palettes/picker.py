"""Random palettes from a library, with the smart filtering of seeds/002.

Loops for bassline and texture, one-shots for every other role, and tonal
roles (texture, synth) in the bassline's key when the library has one.
"""

from __future__ import annotations

import numpy as np

from palettes.manifest import LibraryManifest, PaletteFile, SampleEntry, SampleRef

LOOP_ROLES = frozenset({"bassline", "texture"})
TONAL_ROLES = frozenset({"texture", "synth"})
ALTERNATIVES = 2


def _candidates(entries: list[SampleEntry], role: str, key: str | None) -> list[SampleEntry]:
    wanted = role in LOOP_ROLES
    typed = [e for e in entries if e.loop == wanted] or entries
    if key and role in TONAL_ROLES:
        return [e for e in typed if e.key == key] or typed
    return typed


def random_palette(manifest: LibraryManifest, rng: np.random.Generator, palette_id: str, bpm: float = 128.0) -> PaletteFile:
    by_role = manifest.by_role()
    order = sorted(by_role, key=lambda r: (r != "bassline", r))  # bassline first: it sets the key
    key = None
    samples: dict[str, SampleRef] = {}
    alternatives: dict[str, list[SampleRef]] = {}
    for role in order:
        pool = sorted(_candidates(by_role[role], role, key), key=lambda e: e.id)
        chosen = pool[int(rng.integers(len(pool)))]
        if role == "bassline":
            key = chosen.key
        samples[role] = SampleRef(id=chosen.id, sha256=chosen.sha256)
        others = [e for e in pool if e.id != chosen.id]
        picks = rng.permutation(len(others))[:ALTERNATIVES]
        alternatives[role] = [SampleRef(id=others[i].id, sha256=others[i].sha256) for i in sorted(picks)]
    library = "builtin" if manifest.name == "builtin" else manifest.root
    return PaletteFile(id=palette_id, bpm=bpm, library=library, samples=samples, alternatives=alternatives)


def palette_key(palette: PaletteFile) -> tuple:
    return tuple(sorted((role, ref.id) for role, ref in palette.samples.items()))
