"""The generated sample library, palette integrity, the folder indexer and `vibesynth palettes`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from dj_support import full_library
from typer.testing import CliRunner

from agent.cli.app import app
from palettes.indexer import bpm_from_name, bpm_from_onsets, index_folder, role_for
from palettes.library import build_library, load_palette
from palettes.recipes import RECIPES
from tools.errors import PaletteError

CURATED = sorted((Path(__file__).resolve().parents[1] / "palettes" / "curated").glob("*.json"))


@pytest.fixture
def cache(monkeypatch):
    root, manifest = full_library()
    monkeypatch.setenv("VIBESYNTH_CACHE", str(root))
    return root, manifest


def descriptors(path: Path) -> np.ndarray:
    audio, sr = sf.read(str(path), always_2d=True)
    mono = audio.mean(axis=1)
    spectrum = np.abs(np.fft.rfft(mono))
    freqs = np.fft.rfftfreq(mono.size, 1 / sr)
    centroid = (spectrum * freqs).sum() / spectrum.sum()
    envelope = np.abs(mono)
    decay = np.flatnonzero(envelope > 0.05 * envelope.max())[-1] / sr
    return np.array([np.log(centroid), decay, mono.size / sr, np.sqrt((mono**2).mean())])


def test_library_has_at_least_8_distinct_variants_per_role_with_full_manifest(cache):
    root, manifest = cache
    by_role = manifest.by_role()
    assert set(by_role) == set(RECIPES)
    for role, entries in by_role.items():
        assert len(entries) >= 8
        assert len({e.sha256 for e in entries}) == len(entries)
        points = np.array([descriptors(root / "samples" / e.path) for e in entries])
        nearest = min(np.abs(points[i] - points[j]).max() for i in range(len(points)) for j in range(i))
        assert nearest > 1e-3, f"two {role} variants are indistinguishable by descriptors"
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
