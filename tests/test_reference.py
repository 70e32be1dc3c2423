"""Reference arrangements as tool calls, `vibesynth reference`, and numeric checks of the music."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import hilbert
from typer.testing import CliRunner

from palettes.library import load_palette
from reference.arrangements import BARS, reference_calls, render_reference
from tools.audio_io import read_audio
from tools.loudness import true_peak_dbtp
from tools.mixer import MixerSession, SetComplete
from vibesynth.cli.app import app

from dj_support import full_library

CURATED = sorted((Path(__file__).resolve().parents[1] / "palettes" / "curated").glob("*.json"))
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
MINOR = (0, 2, 3, 5, 7, 8, 10)


@pytest.fixture
def palette(monkeypatch):
    root, _ = full_library()
    monkeypatch.setenv("VIBESYNTH_CACHE", str(root))
    return load_palette(CURATED[0])


@pytest.mark.parametrize("kind", ["32", "64", "set"])
def test_reference_calls_are_a_valid_trajectory_of_exactly_its_bars(palette, kind):
    session = MixerSession(palette.samples, 128, BARS[kind], sample_rate=8000)
    calls = reference_calls(kind)
    tools = session.tools()
    for index, (name, args) in enumerate(calls):
        assert name in tools
        try:
            result = json.loads(tools[name](**args))
        except SetComplete:
            assert index == len(calls) - 1  # the last call ends the set, nothing is left unplayed
            break
        assert "error" not in result, (name, args, result)
    assert session.bars_played == BARS[kind]
    assert not [e for e in session.events if e["kind"] in ("density", "stagnation")]


def test_render_is_deterministic_exact_and_normalised(palette):
    first = render_reference(palette, "32", 133, seed=3)
    again = render_reference(palette, "32", 133, seed=3)
    other = render_reference(palette, "32", 133, seed=4)
    assert first.audio.shape == (round(32 * 240 / 133 * 44100), 2) and first.audio.dtype == np.float32
    assert np.array_equal(first.audio, again.audio)
    assert not np.array_equal(first.audio, other.audio)  # the seed humanises hat and perc velocities
    assert true_peak_dbtp(first.audio) == pytest.approx(-1.0, abs=0.01)


def attack_strength(mono: np.ndarray, hop: int = 256) -> np.ndarray:
    """Rise of the (Hilbert) amplitude envelope per block of `hop` frames: large at attacks."""
    frames = mono.size // hop
    envelope = np.abs(hilbert(mono))[: frames * hop].reshape(frames, hop).mean(axis=1)
    return np.maximum(np.diff(envelope, prepend=0.0), 0.0)


def test_the_groove_kick_on_the_beat_bass_in_key_no_clipping(palette):
    sr, bpm = 44100, 133
    audio = render_reference(palette, "32", bpm).audio
    assert np.abs(audio).max() <= 10 ** (-1 / 20) + 1e-6
    beat = 60 / bpm * sr
    kick_only = audio[: round(4 * 4 * beat)].mean(axis=1)  # bars 1-4: kick alone
    hop = 256
    rise = attack_strength(kick_only, hop)
    beats = np.round(np.arange(16) * beat / hop).astype(int)
    on_beat = np.array([rise[max(b - 2, 0) : b + 3].sum() for b in beats])  # attack within 12 ms of each beat
    away = np.ones(rise.size, dtype=bool)
    for b in beats:
        away[max(b - 9, 0) : b + 10] = False  # more than 50 ms from any beat
    assert on_beat.min() > 3 * rise[away].max()
    rendered = render_reference(palette, "32", bpm)
    bass_bus = rendered.session.buses()[1][round(8 * 4 * beat) : round(12 * 4 * beat)]  # bars 9-12: bass alone
    source = palette.samples["bassline"]
    made = low_pitch_hz(np.tile(source.audio, (4, 1)), source.sample_rate)
    played = low_pitch_hz(bass_bus, sr)
    key = source.key
    in_key = {(NOTE_NAMES.index(key) + step) % 12 for step in MINOR}
    assert round(12 * np.log2(made / 440.0) + 69) % 12 in in_key  # the loop's main note is in its key
    # stretched from 128 to 133 BPM without moving pitch (resampling would raise it 3.9%)
    assert played == pytest.approx(made, rel=0.01)


def low_pitch_hz(audio: np.ndarray, sr: int) -> float:
    """Median f0 (autocorrelation, 30..400 Hz) over the loud 60 ms windows: the bass notes' pitch."""
    mono = audio.mean(axis=1)
    size = int(0.06 * sr)
    windows = mono[: mono.size // size * size].reshape(-1, size)
    loud = windows[np.sqrt((windows**2).mean(axis=1)) > 0.5 * np.sqrt((windows**2).mean(axis=1)).max()]
    lags = np.arange(int(sr / 400), int(sr / 30))
    pitches = []
    for window in loud:
        window = window - window.mean()
        corr = np.correlate(window, window, mode="full")[size - 1 :]
        pitches.append(sr / lags[np.argmax(corr[lags])])
    return float(np.median(pitches))


def test_cli_reference_round_trip_with_sidecar(palette, tmp_path):
    runner = CliRunner()
    out = tmp_path / "set.wav"
    result = runner.invoke(app, ["reference", "--palette", str(CURATED[0]), "--bars", "64", "--bpm", "133", "-o", str(out)])
    assert result.exit_code == 0, result.output
    audio, sr = read_audio(out)
    assert audio.shape == (round(64 * 240 / 133 * 44100), 2) and sr == 44100
    sidecar = json.loads(out.with_suffix(".json").read_text())
    assert sidecar["bars"] == 64 and sidecar["bpm"] == 133 and sidecar["palette"]["id"] == "palette_001"
    assert [c["tool"] for c in sidecar["tool_calls"]] == [name for name, _ in reference_calls("64")]
    pcm = tmp_path / "set16.wav"
    assert runner.invoke(app, ["reference", "--palette", str(CURATED[0]), "--pcm16", "-o", str(pcm)]).exit_code == 0
    assert json.loads(pcm.with_suffix(".json").read_text())["subtype"] == "pcm16"
    bad = runner.invoke(app, ["reference", "--palette", str(CURATED[0]), "--bars", "48", "-o", str(tmp_path / "x.wav")])
    assert bad.exit_code == 2 and "32, 64, set" in bad.output


def test_random_dj_policy_plays_through_the_same_tools_to_the_end(palette):
    from reference.policies import RandomPolicy, ReferencePolicy, load_policy
    from reference.policy import Policy, Stage

    assert isinstance(load_policy("random"), RandomPolicy) and isinstance(load_policy("reference"), ReferencePolicy)
    for seed in range(3):
        session = MixerSession(palette.samples, 128, 32, seed=seed, sample_rate=8000)
        policy = load_policy("random")
        assert isinstance(policy, Policy)
        policy.play(Stage.of_session(session, seed=seed))
        assert session.complete and session.bars_played == 32
        assert not [c for c in session.call_log if "error" in c["result"]]


def test_screen_palettes_ranks_and_keeps_the_top(palette, tmp_path):
    import csv
    import importlib.util

    spec = importlib.util.spec_from_file_location("screen", Path(__file__).resolve().parents[1] / "scripts" / "screen_palettes.py")
    screen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(screen)
    curated_before = {p.name: p.read_bytes() for p in CURATED}
    argv = ["--count", "3", "--workers", "1", "--seed", "5", "--results", str(tmp_path / "res")]
    assert screen.main([*argv, "--top", "2"]) == 0
    rows = list(csv.DictReader((tmp_path / "res" / "results.csv").open()))
    assert [r["rank"] for r in rows] == ["1", "2", "3"] and {r["backend"] for r in rows} == {"dsp"}
    assert float(rows[0]["OBJ"]) >= float(rows[-1]["OBJ"])
    top = tmp_path / "res" / "top"  # the default: beside the results, never the committed curated palettes
    assert sorted(p.name for p in top.glob("*.json")) == ["palette_001.json", "palette_002.json"]
    assert {p.name: p.read_bytes() for p in CURATED} == curated_before
    assert json.loads((tmp_path / "res" / "run.json").read_text())["count"] == 3
    assert screen.main([*argv, "--top", "1"]) == 0  # resumes: everything already scored
    assert sorted(p.name for p in top.glob("*.json")) == ["palette_001.json"]  # no stale palette_002
    assert load_palette(top / "palette_001.json").samples["bassline"].loop
    with pytest.raises(SystemExit, match="other settings.*--text None -> 'dark'"):
        screen.main([*argv, "--text", "dark"])


@pytest.mark.parametrize("args", [["--count", "0"], ["--top", "-1"], ["--workers", "0"], ["--scorer", "clap"]])
def test_screen_palettes_refuses_bad_arguments_before_any_work(tmp_path, args, capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location("screen", Path(__file__).resolve().parents[1] / "scripts" / "screen_palettes.py")
    screen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(screen)
    with pytest.raises(SystemExit) as exit_info:
        screen.main([*args, "--results", str(tmp_path / "res")])
    assert exit_info.value.code == 2 and not (tmp_path / "res").exists()
    assert "error:" in capsys.readouterr().err


def test_score_gap_interval_is_none_without_spread_and_bpm_zero_is_refused():
    import argparse
    import importlib.util

    spec = importlib.util.spec_from_file_location("gap", Path(__file__).resolve().parents[1] / "scripts" / "gap_study.py")
    gap = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gap)
    assert gap.interval(np.array([0.3])) == (0.3, None)
    assert gap.interval(np.array([0.2, 0.2, 0.2])) == (pytest.approx(0.2), None)
    mean, (low, high) = gap.interval(np.array([0.1, 0.2, 0.4]))
    assert low < mean < high
    with pytest.raises(argparse.ArgumentTypeError, match="60..200"):
        gap.tempo("0")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seed", "-1"], "greater than or equal to 0"),
        (["--sample-rate", "0"], "use 44100 or 48000"),
        (["--sample-rate", "8000"], "use 44100 or 48000"),
        (["-o", "{tmp}/r.flac"], "--pcm16"),
        (["-o", "{tmp}/r.json"], ".wav or .flac"),
        (["-o", "{tmp}/r.mp3"], ".wav or .flac"),
        (["-o", "/proc/r.wav"], "choose a writable path"),
        (["--palette", "{tmp}"], "is a folder"),
        (["--palette", "{tmp}/p.json", "-o", "{tmp}/p.wav"], "would overwrite the palette"),
    ],
    ids=["seed", "rate0", "rate8000", "float-flac", "json-out", "mp3-out", "proc", "palette-dir", "sidecar-palette"],
)
def test_cli_reference_bad_input_is_a_message_and_exit_2(palette, tmp_path, args, message):
    (tmp_path / "p.json").write_text(CURATED[0].read_text())
    base = {"--palette": str(CURATED[0]), "-o": str(tmp_path / "r.wav")}
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    for flag, value in base.items():
        if flag not in argv:
            argv += [flag, value]
    result = CliRunner().invoke(app, ["reference", "--bars", "32", *argv])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (tmp_path / "p.json").read_text() == CURATED[0].read_text()


def test_bpm_zero_is_refused_not_replaced_by_the_palette_tempo(palette):
    from tools.errors import ConfigError

    with pytest.raises(ConfigError, match="bpm 0"):
        render_reference(palette, "32", 0)
