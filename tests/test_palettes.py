"""The generated sample library, palette integrity, the folder indexer and `vibesynth palettes`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from typer.testing import CliRunner

from palettes.indexer import bpm_from_name, bpm_from_onsets, index_folder, role_for
from palettes.library import build_library, load_palette
from palettes.recipes import RECIPES
from tools.errors import PaletteError
from vibesynth.cli.app import app

from dj_support import full_library

CURATED = sorted((Path(__file__).resolve().parents[1] / "palettes" / "curated").glob("*.json"))


@pytest.fixture
def cache(monkeypatch):
    root, manifest = full_library()
    monkeypatch.setenv("VIBESYNTH_CACHE", str(root))
    return root, manifest


def descriptors(path: Path) -> dict:
    """Spectral centroid, decay, length, 18-band spectral profile (dB) and 10 ms RMS envelope."""
    audio, sr = sf.read(str(path), always_2d=True)
    mono = audio.mean(axis=1)
    power = np.abs(np.fft.rfft(mono)) ** 2
    freqs = np.fft.rfftfreq(mono.size, 1 / sr)
    edges = np.geomspace(30, 16000, 19)
    bands = np.array([power[(freqs >= lo) & (freqs < hi)].sum() for lo, hi in zip(edges[:-1], edges[1:])])
    envelope = np.abs(mono)
    hop = sr // 100
    frames = mono.size // hop
    return {
        "centroid": (np.sqrt(power) * freqs).sum() / np.sqrt(power).sum(),
        "decay": np.flatnonzero(envelope > 0.05 * envelope.max())[-1] / sr,
        "length": mono.size / sr,
        "profile": np.maximum(10 * np.log10(bands / bands.sum() + 1e-12), -60.0),
        "envelope": np.sqrt((mono[: frames * hop].reshape(frames, hop) ** 2).mean(axis=1)),
    }


def audibly_apart(a: dict, b: dict) -> bool:
    """At least 10% apart in centroid, decay or length, 3 dB (mean) apart in spectral shape, or a different rhythm."""
    if any(abs(a[k] - b[k]) / max(a[k], b[k]) >= 0.10 for k in ("centroid", "decay", "length")):
        return True
    if np.abs(a["profile"] - b["profile"]).mean() >= 3.0:
        return True
    return a["envelope"].size == b["envelope"].size and np.corrcoef(a["envelope"], b["envelope"])[0, 1] < 0.9


def most_distinct(points: list[dict]) -> int:
    """Size of the largest set of variants that are pairwise audibly apart (exhaustive: 10 variants)."""
    n = len(points)
    apart = [[i == j or audibly_apart(points[i], points[j]) for j in range(n)] for i in range(n)]
    best = 0
    for mask in range(1, 1 << n):
        members = [i for i in range(n) if mask >> i & 1]
        if len(members) > best and all(apart[i][j] for i in members for j in members):
            best = len(members)
    return best


def test_library_has_at_least_8_distinct_variants_per_role_with_full_manifest(cache):
    root, manifest = cache
    by_role = manifest.by_role()
    assert set(by_role) == set(RECIPES)
    for role, entries in by_role.items():
        assert len(entries) >= 8
        assert len({e.sha256 for e in entries}) == len(entries)
        distinct = most_distinct([descriptors(root / "samples" / e.path) for e in entries])
        assert distinct >= 8, f"only {distinct} {role} variants are audibly apart"
        for e in entries:
            assert e.duration > 0 and e.sample_rate == 44100 and len(e.sha256) == 64
            assert e.loop == (role in ("bassline", "texture"))
            if e.loop:
                assert e.bars in (1, 2, 4) and e.bpm == 128 and e.key
                assert e.duration == pytest.approx(e.bars * 240 / e.bpm, abs=1e-4)


def test_build_is_idempotent_and_resumes(tmp_path):
    root = tmp_path / "samples"
    calls = []
    build_library(root=root, roles=["kick", "bassline"], variants=2, progress=lambda sid, made: calls.append(made))
    assert calls == [True] * 4
    (root / "kick" / "kick_02.wav").unlink()  # an interrupted or damaged build
    calls.clear()
    manifest = build_library(root=root, roles=["kick", "bassline"], variants=2, progress=lambda sid, made: calls.append(made))
    assert calls == [False, True, False, False]
    first = (root / "kick" / "kick_02.wav").read_bytes()
    assert manifest.samples["kick_02"].sha256 == build_library(root=tmp_path / "again", roles=["kick"], variants=2).samples["kick_02"].sha256
    assert (root / "kick" / "kick_02.wav").read_bytes() == first


@pytest.mark.parametrize("path", CURATED, ids=lambda p: p.name)
def test_curated_palettes_load_against_a_fresh_build(cache, path):
    palette = load_palette(path)
    assert {"kick", "hihat", "bassline", "perc", "texture", "clap"} <= set(palette.samples)
    assert palette.samples["bassline"].loop and palette.samples["texture"].loop and not palette.samples["kick"].loop
    assert palette.source.scores["backend"] == "dsp"


def test_missing_or_changed_sample_says_which_and_how_to_rebuild(tmp_path, monkeypatch):
    cache_root, _ = full_library()
    shutil.copytree(cache_root / "samples", tmp_path / "samples")
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path))
    curated = CURATED[0]
    kick_id = json.loads(curated.read_text())["samples"]["kick"]["id"]
    kick_file = tmp_path / "samples" / "kick" / f"{kick_id}.wav"
    data = bytearray(kick_file.read_bytes())
    data[-1] ^= 0xFF
    kick_file.write_bytes(bytes(data))
    with pytest.raises(PaletteError, match=rf"{kick_id}.*changed.*vibesynth palettes build"):
        load_palette(curated)
    kick_file.unlink()
    with pytest.raises(PaletteError, match=rf"{kick_id}.*missing.*vibesynth palettes build"):
        load_palette(curated)
    pinned = json.loads(curated.read_text())
    pinned["samples"]["kick"]["sha256"] = "0" * 64
    (tmp_path / "p.json").write_text(json.dumps(pinned))
    with pytest.raises(PaletteError, match=rf"{kick_id}.*has changed.*vibesynth palettes build"):
        load_palette(tmp_path / "p.json")


def test_indexer_reads_roles_bpm_and_loops_from_a_user_folder(tmp_path, cache):
    root, manifest = cache
    user = tmp_path / "my samples"
    (user / "Drums").mkdir(parents=True)
    (user / "Loops").mkdir()
    shutil.copy(root / "samples" / manifest.samples["kick_01"].path, user / "Drums" / "BD_909_01.wav")
    shutil.copy(root / "samples" / manifest.samples["bassline_05"].path, user / "Loops" / "Bass_Loop_128bpm_A.wav")
    shutil.copy(root / "samples" / manifest.samples["bassline_02"].path, user / "Loops" / "bassline_two.wav")
    (user / "notes.wav").write_bytes((root / "samples" / manifest.samples["perc_01"].path).read_bytes())
    index = index_folder(user)
    by_path = {e.path: e for e in index.samples.values()}
    assert by_path["Drums/BD_909_01.wav"].role == "kick" and not by_path["Drums/BD_909_01.wav"].loop
    named = by_path["Loops/Bass_Loop_128bpm_A.wav"]
    assert (named.role, named.loop, named.bars, named.bpm, named.key) == ("bassline", True, 4, 128.0, "A")
    onset = by_path["Loops/bassline_two.wav"]  # no BPM in the name: from its onsets
    assert onset.loop and onset.bars == 2 and onset.bpm == pytest.approx(128, abs=2)
    assert "notes.wav" not in by_path
    assert role_for(Path("hats/open/OH_1.wav")) == "openhat" and role_for(Path("x/Rim shot.wav")) == "perc"
    assert bpm_from_name("loop_124_Am") == 124.0 and bpm_from_name("kick 01") is None
    assert bpm_from_onsets(np.zeros((100, 2)), 44100) is None


def test_cli_palettes_build_list_and_index_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path))
    runner = CliRunner()
    built = runner.invoke(app, ["palettes", "build", "--role", "kick", "--role", "clap", "--variants", "2"])
    assert built.exit_code == 0, built.output
    assert "4 made" in built.output
    again = runner.invoke(app, ["palettes", "build", "--role", "kick", "--role", "clap", "--variants", "2"])
    assert "0 made, 4 kept" in again.output
    listed = runner.invoke(app, ["palettes", "list", "--role", "kick"])
    assert listed.exit_code == 0 and "kick_02" in listed.output
    indexed = runner.invoke(app, ["palettes", "index", str(tmp_path / "samples"), "-o", str(tmp_path / "idx.json")])
    assert indexed.exit_code == 0, indexed.output
    assert len(json.loads((tmp_path / "idx.json").read_text())["samples"]) == 4
    bad = runner.invoke(app, ["palettes", "build", "--role", "cowbell"])
    assert bad.exit_code != 0


def _user_folder(tmp_path: Path, cache) -> Path:
    root, manifest = cache
    user = tmp_path / "user"
    (user / "kicks").mkdir(parents=True)
    shutil.copy(root / "samples" / manifest.samples["kick_01"].path, user / "kicks" / "deep.wav")
    return user


def test_indexer_reports_and_skips_an_unreadable_file(tmp_path, cache):
    user = _user_folder(tmp_path, cache)
    (user / "kicks" / "broken.wav").write_bytes(b"RIFF\x00\x00not audio at all")
    notes = []
    index = index_folder(user, report=lambda path, note: notes.append((str(path), note)))
    assert [e.path for e in index.samples.values()] == ["kicks/deep.wav"]
    assert notes and notes[0][0] == "kicks/broken.wav" and "not readable audio" in notes[0][1]
    result = CliRunner().invoke(app, ["palettes", "index", str(user), "-o", str(tmp_path / "idx.json")])
    assert result.exit_code == 0, result.output
    assert "broken.wav" in result.output and "not readable" in result.output


@pytest.mark.parametrize("names", [("kick.wav", "kick.flac"), ("a-b kick.wav", "a_b kick.wav")])
def test_indexer_refuses_two_files_with_the_same_sample_id(tmp_path, cache, names):
    user = _user_folder(tmp_path, cache)
    audio, sr = sf.read(str(user / "kicks" / "deep.wav"))
    for name in names:
        sf.write(str(user / "kicks" / name), audio, sr, subtype="PCM_16")
    with pytest.raises(PaletteError, match="both get the sample id.*rename one"):
        index_folder(user)
    result = CliRunner().invoke(app, ["palettes", "index", str(user), "-o", str(tmp_path / "idx.json")])
    assert result.exit_code == 2 and "rename one" in result.output and "Traceback" not in result.output


def test_indexer_keeps_minor_keys_and_reports_down_mixing(tmp_path, cache):
    from palettes.indexer import key_from_name
    from palettes.library import load_sample

    assert [key_from_name(n) for n in ("bass_A", "bass_Am", "pad F#minor", "x_Bbmin_2", "kick 01")] == ["A", "Am", "F#m", "Bbm", None]
    user = _user_folder(tmp_path, cache)
    tone = np.sin(np.linspace(0, 200, 44100))[:, None] * np.array([[0.5, 0.1, 0.3, 0.2]])
    sf.write(str(user / "kicks" / "quad.wav"), tone, 44100, subtype="PCM_16")
    notes = []
    index = index_folder(user, report=lambda path, note: notes.append((str(path), note)))
    assert notes == [("kicks/quad.wav", "4 channels down-mixed to stereo (every channel into both sides)")]
    sample = load_sample(index.samples["kicks_quad"], user)
    assert sample.audio.shape == (44100, 2)
    assert np.allclose(sample.audio[:, 0], tone.mean(axis=1), atol=1e-3)


def test_a_folder_or_an_invalid_palette_file_is_a_palette_error_naming_the_file(tmp_path, cache):
    with pytest.raises(PaletteError, match="is a folder"):
        load_palette(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "x", "bpm": "fast", "samples": {"kick": {"id": "kick_01"}}}))
    with pytest.raises(PaletteError) as err:
        load_palette(bad)
    message = str(err.value)
    assert str(bad) in message and "bpm: " in message and "samples.kick.sha256: Field required" in message
    assert "http" not in message and "input_value" not in message
    bad.write_text("{not json")
    with pytest.raises(PaletteError, match=r"bad\.json: not valid JSON \(Expecting property name"):
        load_palette(bad)


def test_a_corrupt_manifest_is_reported_and_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(app, ["palettes", "build", "--role", "kick", "--variants", "1"]).exit_code == 0
    manifest = tmp_path / "samples" / "manifest.json"
    manifest.write_text('{"name": "builtin", "samples": 3}')
    listed = runner.invoke(app, ["palettes", "list"])
    assert listed.exit_code == 2 and "Traceback" not in listed.output
    assert "manifest.json" in listed.output and "vibesynth palettes build" in listed.output
    rebuilt = runner.invoke(app, ["palettes", "build", "--role", "kick", "--variants", "1"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert runner.invoke(app, ["palettes", "list"]).exit_code == 0


def test_cli_palettes_list_refuses_an_unknown_role(tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(app, ["palettes", "build", "--role", "kick", "--variants", "1"]).exit_code == 0
    result = runner.invoke(app, ["palettes", "list", "--role", "zzz"])
    assert result.exit_code == 2 and "'zzz'" in result.output and "kick" in result.output
