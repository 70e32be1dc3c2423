"""A blind A/B listening pack: loudness-matched clips under opaque names, and a manifest.

    PACK/manifest.json   systems, clips (token -> system, item, loudness), pairs (brief, A, B)
    PACK/audio/<token>.wav

Pairs are clips of two systems for the same item. Which pairs are made,
their order, which side each system takes and the clip names all come from
one seeded generator: the same inputs and seed give the same pack, byte for
byte. The manifest holds the key (which system is A); the listening page
never sends it to the browser.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from optimize.listen.sources import Clip
from tools.audio_io import read_audio, write_audio
from tools.errors import ConfigError
from tools.files import file_sha256, write_json
from tools.loudness import integrated_lufs, normalize_loudness, true_peak_dbtp

FORMAT = "vibesynth-listen-pack/1"
DEFAULT_TARGET_LUFS = -23.0
FADE_SECONDS = 0.05


class PackClip(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str
    system: str
    item: str
    replicate: int
    source: str
    seconds: float
    lufs_source: float
    lufs: float
    true_peak_dbtp: float


class PackPair(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    item: str
    brief: str | None
    a: str
    b: str


class PackManifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: str
    title: str
    seed: int
    target_lufs: float
    max_seconds: float | None
    systems: list[str]
    clips: dict[str, PackClip]
    pairs: list[PackPair]


def plan_pairs(clips: list[Clip], rng: np.random.Generator, max_pairs: int | None = None) -> list[tuple[str, str | None, Clip, Clip]]:
    """(item, brief, clip A, clip B) for every item two systems share, shuffled, sides drawn at random."""
    by_item: dict[str, dict[str, list[Clip]]] = defaultdict(lambda: defaultdict(list))
    for clip in clips:
        by_item[clip.item][clip.system].append(clip)
    systems = sorted({clip.system for clip in clips})
    if len(systems) < 2:
        raise ConfigError(f"a pack compares two or more systems; got {systems or 'none'}: pass another --system or manifest rows")
    pairs = []
    for item in sorted(by_item):
        per_system = by_item[item]
        briefs = sorted({c.brief for group in per_system.values() for c in group if c.brief})
        if len(briefs) > 1:
            raise ConfigError(f"item {item!r} has different briefs across systems ({' | '.join(briefs)}); one item is one brief")
        for first, second in itertools.combinations(sorted(per_system), 2):
            x = sorted(per_system[first], key=lambda c: str(c.path))
            y = sorted(per_system[second], key=lambda c: str(c.path))
            pairs.extend((item, briefs[0] if briefs else None, cx, cy) for cx, cy in zip(x, y))
    if not pairs:
        raise ConfigError(
            "no item is shared by two systems, so there is nothing to compare; name files alike in each folder "
            "(or give DJ runs the same briefs, or the same `item` in the manifest)"
        )
    if max_pairs is not None and len(pairs) > max_pairs:
        keep = np.sort(rng.choice(len(pairs), size=max_pairs, replace=False))
        pairs = [pairs[i] for i in keep]
    order = rng.permutation(len(pairs))
    out = []
    for index in order:
        item, brief, cx, cy = pairs[index]
        out.append((item, brief, *((cy, cx) if rng.random() < 0.5 else (cx, cy))))
    return out


def build_pack(
    clips: list[Clip],
    out: Path,
    *,
    seed: int = 0,
    title: str = "Blind A/B listening test",
    target_lufs: float = DEFAULT_TARGET_LUFS,
    max_seconds: float | None = None,
    max_pairs: int | None = None,
    force: bool = False,
    on_clip: Callable[[int, int], None] | None = None,
) -> PackManifest:
    """Write a pack folder at `out` (built beside it, then moved into place)."""
    if out.exists() and not (out.is_dir() and not any(out.iterdir())):
        if not force:
            raise ConfigError(f"{out} already exists; pass another --out, or --force to replace the pack there")
        if not (out / "manifest.json").is_file():
            raise ConfigError(f"{out} is not empty and not a listening pack; --force replaces only packs: pass another --out")
        if any(out.glob("*.sqlite*")):
            raise ConfigError(f"{out} holds votes (*.sqlite); move them away before replacing the pack, or pass another --out")
    rng = np.random.default_rng(seed)
    planned = plan_pairs(clips, rng, max_pairs)
    replicate = _replicate_numbers(clips)
    used = list(dict.fromkeys(c for _, _, a, b in planned for c in (a, b)))
    tokens = _tokens(rng, len(used))
    token_of = dict(zip(used, tokens))

    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    work.chmod(0o755)
    try:
        pack_clips = {}
        for number, clip in enumerate(used, 1):
            token = token_of[clip]
            pack_clips[token] = _write_clip(clip, work / "audio" / f"{token}.wav", replicate[clip], target_lufs, max_seconds)
            if on_clip:
                on_clip(number, len(used))
        pairs = [PackPair(id=f"p{i:04d}", item=item, brief=brief, a=token_of[a], b=token_of[b]) for i, (item, brief, a, b) in enumerate(planned, 1)]
        manifest = PackManifest(
            format=FORMAT,
            title=title,
            seed=seed,
            target_lufs=target_lufs,
            max_seconds=max_seconds,
            systems=sorted({c.system for c in used}),
            clips=pack_clips,
            pairs=pairs,
        )
        write_json(work / "manifest.json", manifest.model_dump())
        if out.exists():
            shutil.rmtree(out) if out.is_dir() else out.unlink()
        os.replace(work, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def load_pack(folder: Path) -> PackManifest:
    """Read and check a pack folder's manifest (every clip's audio must be there)."""
    path = folder / "manifest.json"
    if not path.is_file():
        raise ConfigError(f"{folder} is not a listening pack (no manifest.json); build one with `vibesynth listen build`")
    try:
        manifest = PackManifest.model_validate_json(path.read_text())
    except ValueError as err:
        raise ConfigError(f"{path} is not a valid pack manifest ({str(err).splitlines()[0]}); rebuild the pack") from None
    if manifest.format != FORMAT:
        raise ConfigError(f"{path}: pack format {manifest.format!r} is not {FORMAT!r}; rebuild it with this version")
    missing = [c.file for c in manifest.clips.values() if not (folder / c.file).is_file()]
    if missing:
        raise ConfigError(f"{folder}: {len(missing)} audio file(s) missing (e.g. {missing[0]}); copy the whole pack folder")
    return manifest


def manifest_digest(folder: Path) -> str:
    """sha256 of the manifest: votes are tied to the exact pack they were cast on."""
    return file_sha256(folder / "manifest.json")


def _write_clip(clip: Clip, dest: Path, replicate: int, target_lufs: float, max_seconds: float | None) -> PackClip:
    audio, rate = read_audio(clip.path)
    if max_seconds is not None and audio.shape[0] > int(max_seconds * rate):
        audio = audio[: int(max_seconds * rate)].copy()
        fade = min(audio.shape[0], int(FADE_SECONDS * rate))
        audio[-fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)[:, None]
    source_lufs = integrated_lufs(audio, rate)
    if not np.isfinite(source_lufs):
        raise ConfigError(f"{clip.path} is silent or under 0.4 s, so it cannot be loudness-matched; leave it out")
    matched = normalize_loudness(audio, rate, target_lufs)
    write_audio(dest, matched, rate, subtype="pcm16")
    written, _ = read_audio(dest)
    return PackClip(
        file=f"audio/{dest.name}",
        system=clip.system,
        item=clip.item,
        replicate=replicate,
        source=str(clip.path),
        seconds=round(written.shape[0] / rate, 3),
        lufs_source=round(source_lufs, 2),
        lufs=round(integrated_lufs(written, rate), 2),
        true_peak_dbtp=round(true_peak_dbtp(written), 2),
    )


def _replicate_numbers(clips: list[Clip]) -> dict[Clip, int]:
    groups: dict[tuple[str, str], list[Clip]] = defaultdict(list)
    for clip in clips:
        groups[(clip.system, clip.item)].append(clip)
    return {c: i for group in groups.values() for i, c in enumerate(sorted(group, key=lambda c: str(c.path)))}


def _tokens(rng: np.random.Generator, count: int) -> list[str]:
    tokens: list[str] = []
    while len(tokens) < count:
        token = "".join(f"{b:02x}" for b in rng.integers(0, 256, size=6))
        if token not in tokens:
            tokens.append(token)
    return tokens
