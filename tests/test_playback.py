"""--play (#26 item 6): plays where an output device exists, else one line; never fails the command."""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
import types

import numpy as np
import pytest
from typer.testing import CliRunner

from tools.audio_io import read_audio
from vibesynth import playback
from vibesynth.cli import app

from agent_palette import make_palette

runner = CliRunner()


class _NoPortAudio(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports `sounddevice` the way it fails without the PortAudio library: OSError while loading."""

    def find_spec(self, name, path, target=None):
        if name == "sounddevice":
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        raise OSError("PortAudio library not found")


@pytest.fixture
def no_portaudio(monkeypatch):
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    finder = _NoPortAudio()
    monkeypatch.setattr(sys, "meta_path", [finder, *sys.meta_path])
    yield
    sys.modules.pop("sounddevice", None)


def _fake_sounddevice(monkeypatch, device: str | None):
    """A stand-in sounddevice module: an output device named `device`, or none (PortAudioError on query)."""
    fake = types.ModuleType("sounddevice")
    fake.PortAudioError = type("PortAudioError", (Exception,), {})
    fake.played = []

    def query_devices(kind=None):
        if device is None:
            raise fake.PortAudioError("Error querying device -1")
        return {"name": device, "max_output_channels": 2}

    fake.query_devices = query_devices
    fake.play = lambda audio, rate, blocking=False: fake.played.append((audio.shape, rate, blocking))
    fake.stop = lambda: None
    monkeypatch.setitem(sys.modules, "sounddevice", fake)
    return fake


def test_render_play_without_portaudio_says_so_in_one_line_and_succeeds(tmp_path, no_portaudio):
    out = tmp_path / "a.wav"
    result = runner.invoke(app, ["render", "--vibe", "calm lake at dawn", "--duration", "1", "--play", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_audio(out)[0].shape == (44100, 2)
    said = [line for line in result.output.splitlines() if "no audio output device found" in line]
    assert len(said) == 1 and "PortAudio" in said[0]


def test_no_output_device_is_one_line(monkeypatch):
    _fake_sounddevice(monkeypatch, None)
    assert playback.play(np.zeros((100, 2), np.float32), 44100) == "no audio output device found on this machine; the files are written"


def test_a_device_plays_the_whole_render_blocking(monkeypatch, tmp_path):
    fake = _fake_sounddevice(monkeypatch, "Test Out")
    result = runner.invoke(app, ["render", "--vibe", "rain", "--duration", "1.5", "--play", "-o", str(tmp_path / "r.wav")])
    assert result.exit_code == 0, result.output
    assert "played 1.5 s on Test Out" in result.output
    assert fake.played == [((66150, 2), 44100, True)]


def test_refine_dx7_and_dj_take_play(tmp_path, no_portaudio):
    src = tmp_path / "a.wav"
    assert runner.invoke(app, ["render", "--vibe", "rain", "--duration", "1", "-o", str(src)]).exit_code == 0
    refined = runner.invoke(app, ["refine", str(src.with_suffix(".json")), "slower", "--play", "-o", str(tmp_path / "b.wav")])
    assert refined.exit_code == 0 and "no audio output device found" in refined.output, refined.output
    voice = tmp_path / "bell.syx"
    assert runner.invoke(app, ["dx7", "design", "bright metallic bell", "-o", str(voice)]).exit_code == 0
    dx7 = runner.invoke(app, ["dx7", "render", str(voice), "--play", "-o", str(tmp_path / "bell.wav")])
    assert dx7.exit_code == 0 and "no audio output device found" in dx7.output, dx7.output
    palette = make_palette(tmp_path / "palette")
    dj = runner.invoke(
        app, ["dj", "dark techno", "--bars", "4", "--palette", str(palette), "--scorer", "none", "--quiet", "--play", "--out", str(tmp_path / "set")]
    )
    assert dj.exit_code == 0 and "no audio output device found" in dj.output, dj.output
    assert (tmp_path / "set" / "set.wav").is_file()
