"""Index a folder of the user's own samples into a library manifest.

Role comes from the folder or file name, BPM from the name ("128bpm",
"_128_") or else from the onsets, and loop or one-shot from the audio
itself (tools.mixer.detect_loop).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf

from palettes.library import file_sha256
from palettes.manifest import LibraryManifest, SampleEntry
from tools.errors import PaletteError
from tools.mixer import detect_loop

AUDIO_SUFFIXES = {".wav", ".flac", ".aif", ".aiff", ".ogg"}
# First matching role wins, so the specific ones come first (open hats are checked before these).
ROLE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("hihat", ("hihat", "hi-hat", "hat", "hh", "ride")),
    ("kick", ("kick", "bassdrum", "bd")),
    ("clap", ("clap", "snare", "snap")),
    ("perc", ("perc", "rim", "tom", "shaker", "cowbell", "conga", "bongo", "clave")),
    ("bassline", ("bassline", "bass", "sub")),
    ("texture", ("texture", "atmo", "pad", "drone", "ambient", "noise")),
    ("synth", ("synth", "stab", "chord", "lead", "arp")),
    ("fx", ("fx", "riser", "impact", "sweep", "crash", "uplifter", "downlifter")),
)
KNOWN_WORDS = {k for _, keywords in ROLE_KEYWORDS for k in keywords}
BPM_IN_NAME = re.compile(r"(?<!\d)(\d{2,3}(?:\.\d+)?)\s*(?:bpm)?(?!\d)", re.IGNORECASE)
KEY_IN_NAME = re.compile(r"(?:^|[_\-\s])([A-G][#b]?)(?:m|min|minor)?(?:[_\-\s.]|$)")


def _tokens(path: Path) -> set[str]:
    words = re.split(r"[^a-z]+", " ".join((*path.parent.parts[-2:], path.stem)).lower())
    return {w[:-1] if w.endswith("s") and w[:-1] in KNOWN_WORDS else w for w in words if w}


def role_for(path: Path) -> str | None:
    """Role from the last folders and the file name (plurals allowed: hats/, kicks/)."""
    tokens = _tokens(path)
    if tokens & {"open", "oh", "ohh", "openhat"} and tokens & {"hat", "hihat", "hh", "oh", "ohh", "openhat"}:
        return "openhat"
    joined = " ".join(sorted(tokens))
    for role, keywords in ROLE_KEYWORDS:
        if any(k in tokens or (len(k) > 3 and k in joined) for k in keywords):
            return role
    return None


def bpm_from_name(name: str) -> float | None:
    explicit = re.search(r"(\d{2,3}(?:\.\d+)?)\s*bpm", name, re.IGNORECASE)
    candidates = [explicit.group(1)] if explicit else BPM_IN_NAME.findall(name)
    for text in candidates:
        value = float(text)
        if 60 <= value <= 200:
            return value
    return None


def bpm_from_onsets(audio: np.ndarray, sr: int) -> float | None:
    """Tempo from the autocorrelation of an onset-strength envelope (60..200 BPM)."""
    mono = np.abs(audio.mean(axis=1))
    hop = 512
    frames = mono.size // hop
    if frames < 16:
        return None
    energy = np.sqrt((mono[: frames * hop].reshape(frames, hop) ** 2).mean(axis=1))
    onset = np.maximum(np.diff(energy), 0.0)
    onset -= onset.mean()
    corr = np.correlate(onset, onset, mode="full")[onset.size - 1 :]
    lags = np.arange(corr.size)
    rate = sr / hop
    valid = (lags >= rate * 60 / 200) & (lags <= rate * 60 / 60)
    if not valid.any() or corr[valid].max() <= 0:
        return None
    lag = lags[valid][np.argmax(corr[valid])]
    bpm = 60.0 * rate / lag
    while bpm < 90:
        bpm *= 2
    while bpm > 180:
        bpm /= 2
    return round(bpm, 1)


def index_folder(
    folder: Path, name: str | None = None, progress: Callable[[Path, str | None], None] | None = None
) -> LibraryManifest:
    """Describe every audio file under `folder` whose role can be told from its name."""
    folder = folder.resolve()
    if not folder.is_dir():
        raise PaletteError(f"{folder} is not a folder; pass a directory of samples")
    manifest = LibraryManifest(name=name or folder.name, root=str(folder))
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES):
        role = role_for(path.relative_to(folder))
        if progress:
            progress(path, role)
        if role is None:
            continue
        audio, sr = sf.read(str(path), dtype="float32", always_2d=True)
        bpm = bpm_from_name(path.stem) or bpm_from_onsets(audio, sr)
        loop, bars = detect_loop(audio[:, :2] if audio.shape[1] > 1 else audio, sr, bpm)
        key = KEY_IN_NAME.search(path.stem)
        sid = re.sub(r"[^a-z0-9]+", "_", str(path.relative_to(folder).with_suffix("")).lower()).strip("_")
        manifest.samples[sid] = SampleEntry(
            id=sid,
            role=role,
            path=str(path.relative_to(folder)),
            loop=loop,
            bars=bars,
            bpm=bpm if loop else None,
            key=key.group(1) if key and role in ("bassline", "texture", "synth") else None,
            duration=round(audio.shape[0] / sr, 6),
            sample_rate=sr,
            sha256=file_sha256(path),
        )
    if not manifest.samples:
        raise PaletteError(f"no samples with a recognisable role under {folder}; name folders kick/, hats/, bass/ ...")
    return manifest
