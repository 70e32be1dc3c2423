"""Index a folder of the user's own samples into a library manifest.

Role comes from the folder or file name, BPM from the name ("128bpm",
"_128_") or else from the onsets, and loop or one-shot from the audio
itself (tools.mixer.detect_loop). Files that cannot be used (no role in
the name, unreadable audio) are skipped and reported, never silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf

from palettes.library import to_stereo
from palettes.manifest import LibraryManifest, SampleEntry
from tools.errors import PaletteError
from tools.files import file_sha256
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
KEY_IN_NAME = re.compile(r"(?:^|[_\-\s])([A-G][#b]?)(minor|min|m)?(?:[_\-\s.]|$)")


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


def key_from_name(stem: str) -> str | None:
    """Key from a file name: "A", "F#", minor kept as "Am" ("Am", "Amin", "A_minor")."""
    found = KEY_IN_NAME.search(stem)
    if not found:
        return None
    return found.group(1) + ("m" if found.group(2) else "")


def index_folder(folder: Path, name: str | None = None, report: Callable[[Path, str], None] | None = None) -> LibraryManifest:
    """Describe every audio file under `folder` whose role can be told from its name.

    `report(path, note)` is told about every file skipped (and why) or changed
    on the way in (down-mixed). Two files that would get the same sample id
    are an error: ids must be unique, and silently dropping one hides a sample.
    """
    folder = folder.resolve()
    if not folder.is_dir():
        raise PaletteError(f"{folder} is not a folder; pass a directory of samples")
    manifest = LibraryManifest(name=name or folder.name, root=str(folder))
    sources: dict[str, Path] = {}
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file()):
        relative = path.relative_to(folder)
        role = role_for(relative)
        if not path.resolve().is_relative_to(folder):
            if report:
                report(relative, f"skipped: a link to {path.resolve()}, outside {folder}")
            continue
        if role is None:
            if report:
                report(relative, "skipped: no role in its folder or file name")
            continue
        try:
            audio, sr = sf.read(str(path), dtype="float32", always_2d=True)
        except (sf.LibsndfileError, RuntimeError, OSError) as err:
            if report:
                report(relative, f"skipped: not readable audio ({err})")
            continue
        if audio.shape[0] == 0:
            if report:
                report(relative, "skipped: no audio frames")
            continue
        audio, note = to_stereo(audio)
        if note and report:
            report(relative, note)
        sid = re.sub(r"[^a-z0-9]+", "_", str(relative.with_suffix("")).lower()).strip("_")
        if sid in sources:
            raise PaletteError(f"{sources[sid]} and {relative} would both get the sample id {sid!r}; rename one of them")
        sources[sid] = relative
        bpm = bpm_from_name(path.stem) or bpm_from_onsets(audio, sr)
        loop, bars = detect_loop(audio, sr, bpm)
        key = key_from_name(path.stem)
        manifest.samples[sid] = SampleEntry(
            id=sid,
            role=role,
            path=str(relative),
            loop=loop,
            bars=bars,
            bpm=bpm if loop else None,
            key=key if role in ("bassline", "texture", "synth") else None,
            duration=round(audio.shape[0] / sr, 6),
            sample_rate=sr,
            sha256=file_sha256(path),
        )
    if not manifest.samples:
        raise PaletteError(f"no samples with a recognisable role under {folder}; name folders kick/, hats/, bass/ ...")
    return manifest
