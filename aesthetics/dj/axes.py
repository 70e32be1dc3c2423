"""The axes the `dj` judge measures on a set, and the descriptors that measure each (mean of calibrated ranks), per version.

The names are the reader's axes (`aesthetics.vibe.axes`) plus `variation`
(`aesthetics.dj.reading`). Width and register are left out: a DJ set's
stereo image and pitch centre come from the palette's samples, not from
anything a brief asks of the arrangement.

dj-proxy-1 took density from the ambient judge (spectral `peaks`, `flux`),
which fell as a club mix got busier (held-out density pairs 0.250).
dj-proxy-2 measures density by the time-frequency cells and layers a mix
lights (`aesthetics.dj.audio.density_descriptors`) and brightness by what sits
above the kick and bass; chosen on the dev briefs only.
"""

from __future__ import annotations

AXES: dict[str, dict[str, tuple[str, ...]]] = {
    "dj-proxy-1": {
        "energy": ("flux", "onset_rate"),
        "brightness": ("air", "centroid"),
        "pace": ("onset_rate", "note_rate"),
        "density": ("peaks", "flux"),
        "percussion": ("transient", "onset_rate"),
        "space": ("decorrelation",),
        "valence": ("third",),
        "grit": ("flatness",),
        "variation": ("novelty",),
    },
    "dj-proxy-2": {
        "energy": ("flux", "onset_rate"),
        "brightness": ("air", "upper"),
        "pace": ("onset_rate", "note_rate"),
        "density": ("occupancy", "layers"),
        "percussion": ("transient", "onset_rate"),
        "space": ("decorrelation",),
        "valence": ("third",),
        "grit": ("flatness",),
        "variation": ("novelty",),
    },
}
LATEST = "dj-proxy-2"
DJ_AXES = AXES[LATEST]


def descriptors(version: str = LATEST) -> tuple[str, ...]:
    """The raw descriptors a judge version reads, sorted."""
    return tuple(sorted({d for names in AXES[version].values() for d in names}))


DESCRIPTORS: tuple[str, ...] = descriptors()
