"""The axes the `dj` judge measures on a set, and the descriptors that measure each (mean of calibrated ranks).

The names are the reader's axes (`aesthetics.vibe.axes`) plus `variation`
(`aesthetics.dj.reading`). Width and register are left out: a DJ set's
stereo image and pitch centre come from the palette's samples, not from
anything a brief asks of the arrangement.
"""

from __future__ import annotations

DJ_AXES: dict[str, tuple[str, ...]] = {
    "energy": ("flux", "onset_rate"),
    "brightness": ("air", "centroid"),
    "pace": ("onset_rate", "note_rate"),
    "density": ("peaks", "flux"),
    "percussion": ("transient", "onset_rate"),
    "space": ("decorrelation",),
    "valence": ("third",),
    "grit": ("flatness",),
    "variation": ("novelty",),
}
DESCRIPTORS: tuple[str, ...] = tuple(sorted({d for names in DJ_AXES.values() for d in names}))
