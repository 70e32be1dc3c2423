"""The generated sample library (build, resume, verify) and palette loading.

Samples are synthesised from recipes into a cache (never committed):
`$VIBESYNTH_CACHE/samples` or `.cache/vibesynth/samples` in the repo. Each
file is a 16-bit WAV written with the standard library's `wave` module so
its bytes, and therefore its sha256, are the same on every machine.
"""

from __future__ import annotations

import wave
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf
from pydantic import ValidationError

from palettes import curated_names
from palettes.manifest import BUILTIN, LibraryManifest, PaletteFile, SampleEntry
from palettes.recipes import RECIPE_VERSION, RECIPES, VARIANTS
from tools import safe_json
from tools.errors import InputError, PaletteError, validation_lines
from tools.files import file_sha256, write_atomic, write_json
from tools.mixer import Sample
from tools.paths import cache_root

LIBRARY_SEED = 2024
LIBRARY_BPM = 128.0
LIBRARY_SR = 44100
REBUILD = "run `vibesynth palettes build` to (re)generate the sample library"


def library_dir() -> Path:
    return cache_root() / "samples"


def sample_id(role: str, variant: int) -> str:
    return f"{role}_{variant + 1:02d}"


def plan(roles: Iterable[str] | None = None, variants: int = VARIANTS) -> list[tuple[str, int]]:
    """The (role, variant) pairs a build makes, in a fixed order."""
    chosen = list(roles) if roles else list(RECIPES)
    unknown = [r for r in chosen if r not in RECIPES]
    if unknown:
        raise PaletteError(f"unknown role(s) {unknown}; choose from {sorted(RECIPES)}")
    return [(role, v) for role in chosen for v in range(variants)]


def _write_wav16(path: Path, audio: np.ndarray, sr: int) -> None:
    pcm = np.round(np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2")

    def write(tmp: Path) -> None:
        with wave.open(str(tmp), "wb") as handle:
            handle.setnchannels(2)
            handle.setsampwidth(2)
            handle.setframerate(sr)
            handle.writeframes(pcm.tobytes())

    write_atomic(path, write)


def generate(role: str, variant: int, root: Path) -> SampleEntry:
    """Synthesise one sample into `root` and describe it."""
    rng = np.random.default_rng([LIBRARY_SEED, list(RECIPES).index(role), variant])
    made = RECIPES[role](variant, rng, LIBRARY_SR, LIBRARY_BPM)
    sid = sample_id(role, variant)
    path = root / role / f"{sid}.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_wav16(path, made.audio, LIBRARY_SR)
    return SampleEntry(
        id=sid,
        role=role,
        path=str(path.relative_to(root)),
        loop=made.loop,
        bars=made.bars,
        bpm=LIBRARY_BPM if made.loop else None,
        key=made.key,
        duration=round(made.audio.shape[0] / LIBRARY_SR, 6),
        sample_rate=LIBRARY_SR,
        sha256=file_sha256(path),
        recipe=made.recipe,
    )


def read_json_model(model: type, path: Path, what: str, fix: str):
    """`model` validated from the JSON file at `path`; any problem is a PaletteError naming the file and the fix."""
    try:
        data = safe_json.read_file(path, what)
    except InputError as err:
        raise PaletteError(f"{err}; {fix}") from None
    if not isinstance(data, dict):
        raise PaletteError(f"{what} {path} holds a JSON {type(data).__name__}, not an object; {fix}")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise PaletteError(f"{what} {path} is not valid ({'; '.join(validation_lines(err))}); {fix}") from None


def read_manifest(root: Path | None = None, repair: bool = False) -> LibraryManifest | None:
    """The library manifest, None if there is none (or, with `repair`, if it is corrupt)."""
    path = (root or library_dir()) / "manifest.json"
    if not path.is_file():
        return None
    try:
        return read_json_model(LibraryManifest, path, "sample library manifest", REBUILD)
    except PaletteError:
        if repair:
            return None
        raise


def _is_current(entry: SampleEntry | None, root: Path) -> bool:
    path = root / entry.path if entry else None
    return bool(path and path.is_file() and file_sha256(path) == entry.sha256)


def build_library(
    root: Path | None = None,
    roles: Iterable[str] | None = None,
    variants: int = VARIANTS,
    force: bool = False,
    progress: Callable[[str, bool], None] | None = None,
) -> LibraryManifest:
    """Generate missing or changed samples; keep the rest (idempotent, resumable).

    The manifest is rewritten atomically after every sample, so an
    interrupted build resumes where it stopped. `progress(sample_id, made)`
    is called once per planned sample.
    """
    root = root or library_dir()
    root.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(root, repair=True)  # a corrupt manifest is rebuilt (each sample is re-checked)
    if manifest is None or manifest.recipe_version != RECIPE_VERSION or force:
        manifest = LibraryManifest(name=BUILTIN, root=str(root.resolve()), recipe_version=RECIPE_VERSION)
    manifest.root = str(root.resolve())
    for stale in root.glob("*/.*.wav.*.tmp"):  # left by a build killed mid-write
        stale.unlink(missing_ok=True)
    for role, variant in plan(roles, variants):
        sid = sample_id(role, variant)
        made = not _is_current(manifest.samples.get(sid), root)
        if made:
            manifest.samples[sid] = generate(role, variant, root)
            write_json(root / "manifest.json", manifest.model_dump())
        if progress:
            progress(sid, made)
    write_json(root / "manifest.json", manifest.model_dump())
    return manifest


def sample_path(entry: SampleEntry, root: Path) -> Path:
    """Where a sample file is: a regular file inside the library root, or a PaletteError."""
    try:
        path = safe_json.inside(root, entry.path, f"sample {entry.id} ({entry.role}) path")
    except InputError as err:
        raise PaletteError(f"{err}; fix the index entry or re-index the folder") from None
    if not path.exists():
        raise PaletteError(f"sample {entry.id} ({entry.role}) is missing: {path} not found; {REBUILD}")
    try:
        return safe_json.regular_file(path, f"sample {entry.id} ({entry.role})", max_bytes=None)
    except InputError as err:
        raise PaletteError(f"{err}; replace it with an audio file or re-index the folder") from None


def load_sample(entry: SampleEntry, root: Path, verify: bool = True) -> Sample:
    path = sample_path(entry, root)
    if verify and file_sha256(path) != entry.sha256:
        raise PaletteError(f"sample {entry.id} ({entry.role}) has changed: {path} does not match its sha256; {REBUILD}")
    try:
        audio, sr = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError) as err:
        raise PaletteError(f"sample {entry.id} ({entry.role}): cannot read {path} ({err}); replace or re-index it") from None
    return Sample(
        id=entry.id,
        role=entry.role,
        audio=to_stereo(audio)[0],
        sample_rate=sr,
        loop=entry.loop,
        bars=entry.bars,
        bpm=entry.bpm,
        key=entry.key,
    )


def to_stereo(audio: np.ndarray) -> tuple[np.ndarray, str | None]:
    """(frames, 2) audio and a note when it had to be changed: mono is doubled,
    more than two channels are down-mixed (every channel into both sides)."""
    channels = audio.shape[1]
    if channels == 2:
        return audio, None
    if channels == 1:
        return np.repeat(audio, 2, axis=1), None
    mono = audio.mean(axis=1, keepdims=True)
    return np.repeat(mono, 2, axis=1), f"{channels} channels down-mixed to stereo (every channel into both sides)"


@dataclass
class Palette:
    id: str
    bpm: float
    samples: dict[str, Sample]
    alternatives: dict[str, list[Sample]] = field(default_factory=dict)
    source: PaletteFile | None = None


def _library_for(palette: PaletteFile, palette_path: Path) -> LibraryManifest:
    if palette.library == BUILTIN:
        manifest = read_manifest()
        if manifest is None:
            raise PaletteError(f"palette {palette.id}: no sample library at {library_dir()}; {REBUILD}")
        return manifest.model_copy(update={"root": str(library_dir())})  # the cache may have moved
    index_path = Path(palette.library)
    if not index_path.is_absolute():
        index_path = palette_path.parent / index_path
    if not index_path.is_file():
        raise PaletteError(f"palette {palette.id}: index {index_path} not found; run `vibesynth palettes index DIR`")
    return read_json_model(LibraryManifest, index_path, "sample index", "run `vibesynth palettes index DIR` again")


def _resolve(palette: PaletteFile, manifest: LibraryManifest, role: str, ref) -> Sample:
    entry = manifest.samples.get(ref.id)
    if entry is None:
        raise PaletteError(f"palette {palette.id}: sample {ref.id} ({role}) is not in the library; {REBUILD}")
    if entry.sha256 != ref.sha256:
        raise PaletteError(
            f"palette {palette.id}: sample {ref.id} ({role}) has changed (library sha256 {entry.sha256[:12]}, "
            f"palette expects {ref.sha256[:12]}); {REBUILD} with the recipes this palette was made with"
        )
    return load_sample(entry, Path(manifest.root))


def load_palette(path: str | Path) -> Palette:
    """Load a palette JSON and its samples, checking every checksum."""
    path = Path(path)
    if not path.is_file():
        what = "is a folder, not a palette file" if path.is_dir() else "not found"
        raise PaletteError(f"palette file {path} {what}; give a palette JSON file or a curated palette name ({curated_names()})")
    palette = read_json_model(PaletteFile, path, "palette file", "fix it or pick a JSON file from palettes/curated/ (see docs/instruments/dj.md)")
    manifest = _library_for(palette, path)
    samples = {role: _resolve(palette, manifest, role, ref) for role, ref in palette.samples.items()}
    alternatives = {role: [_resolve(palette, manifest, role, ref) for ref in refs] for role, refs in palette.alternatives.items()}
    return Palette(palette.id, palette.bpm, samples, alternatives, palette)
