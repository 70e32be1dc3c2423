"""The `vibe` judge (text-aware CLAP PROXY): determinism, monotone axes on renders, a small 2AFC, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from aesthetics import get_scorer
from aesthetics.base import TextRequired
from aesthetics.vibe import judge, measured_axes
from aesthetics.vibe.anchors import anchor_targets, clauses
from aesthetics.vibe.audio import measure
from aesthetics.vibe.axes import AXES
from aesthetics.vibe.calibration import to_unit
from tools.ambient import render_config
from tools.audio_io import write_audio
from tools.errors import AudioError
from tools.schema import EXAMPLE, MusicConfig

RATE = 22_050
SECONDS = 6.0
pytestmark = pytest.mark.judge_renders


def _render(**fields) -> np.ndarray:
    return render_config(MusicConfig(**{**EXAMPLE, **fields}), SECONDS, seed=3, sample_rate=RATE)


@pytest.fixture(scope="module")
def example_audio() -> np.ndarray:
    return _render()


def test_scores_are_deterministic_and_complete(example_audio):
    scorer = get_scorer("vibe")
    first = scorer.score(example_audio, RATE, text="slow dark rain at night")
    again = get_scorer("vibe").score(example_audio.copy(), RATE, text="slow dark rain at night")
    assert first == again
    assert first.backend == "vibe" and first.version.startswith("vibe-proxy-8+") and "+audio-" in first.version
    assert first.OBJ is None and 0.0 <= first.extra["vibe_reward"] <= 1.0
    for axis in AXES:
        for part in ("target", "measured", "weight"):
            assert 0.0 <= first.extra[f"axis_{axis.name}_{part}"] <= 1.0


@pytest.mark.parametrize(
    ("field", "low", "high", "axis"),
    [
        ("tempo", "very_slow", "very_fast", "pace"),
        ("brightness", "very_dark", "very_bright", "brightness"),
        ("stereo", "mono", "ultra_wide", "width"),
        ("grain", "clean", "gritty", "grit"),
        ("density", 2, 6, "density"),
        ("space", "dry", "vast", "space"),
        ("mode", "minor", "major", "valence"),
    ],
)
def test_axis_moves_with_its_field(field, low, high, axis):
    lo = measured_axes(_render(**{field: low}), RATE)[0][axis]
    hi = measured_axes(_render(**{field: high}), RATE)[0][axis]
    assert hi > lo, (field, lo, hi)


def test_decorrelation_reads_the_stereo_image():
    rng = np.random.default_rng(0)
    noise = rng.standard_normal((2, RATE * 4)).astype(np.float32) * 0.1
    same = measure(np.stack([noise[0], noise[0]], axis=1), RATE)["decorrelation"]
    independent = measure(noise.T.copy(), RATE)["decorrelation"]
    assert same == pytest.approx(0.0, abs=1e-6) and independent > 0.9


def _chord(bass_pc: int, upper: tuple[int, ...], seconds: float = 3.0) -> np.ndarray:
    """A bass note (octave 2) under a triad (octave 4), as sines; pitch classes from C."""
    t = np.arange(int(RATE * seconds)) / RATE
    freqs = [65.406 * 2 ** (bass_pc / 12)] + [261.63 * 2 ** (pc / 12) for pc in upper]
    mono = sum(0.1 * np.sin(2 * np.pi * f * t) for f in freqs).astype(np.float32)
    return np.stack([mono, mono], axis=1)


def test_third_reads_the_mode_above_the_bass_not_the_key_collection():
    c_major = measure(_chord(0, (0, 4, 7)), RATE)["third"]
    c_minor = measure(_chord(0, (0, 3, 7)), RATE)["third"]
    a_minor = measure(_chord(9, (9, 12, 16)), RATE)["third"]  # the relative minor: the same notes as C major
    assert c_major > 0.5 and c_minor < -0.5 and a_minor < -0.5


def test_note_rate_counts_new_notes():
    t = np.arange(RATE * 4) / RATE
    tone = 0.2 * np.sin(2 * np.pi * 330.0 * t).astype(np.float32)
    since = t % (1.0 / 3.0)  # three notes a second: 5 ms attack, 80 ms decay
    gate = (np.minimum(since / 0.005, 1.0) * np.exp(-since / 0.08)).astype(np.float32)
    steady = measure(np.stack([tone, tone], axis=1), RATE)["note_rate"]
    pulsed = measure(np.stack([tone * gate, tone * gate], axis=1), RATE)["note_rate"]
    assert steady == 0.0 and pulsed == pytest.approx(3.0, abs=0.5)


# A fixed small 2AFC set: (vibe A, fields A, vibe B, fields B); each text must prefer its own audio.
PAIRS = [
    (
        "slow, sleepy lullaby",
        {"tempo": "very_slow", "rhythm": "none"},
        "fast, hurried run",
        {"tempo": "very_fast", "rhythm": "electronic", "density": 6},
    ),
    ("dark, murky cave", {"brightness": "very_dark"}, "bright, sparkling morning", {"brightness": "very_bright"}),
    ("clean and pure", {"grain": "clean"}, "gritty and distorted", {"grain": "gritty"}),
    ("mono, narrow", {"stereo": "mono"}, "wide stereo, immersive", {"stereo": "ultra_wide"}),
]


@pytest.mark.parametrize(("text_a", "fields_a", "text_b", "fields_b"), PAIRS)
def test_two_afc_prefers_matching_audio(text_a, fields_a, text_b, fields_b):
    a, b = measured_axes(_render(**fields_a), RATE), measured_axes(_render(**fields_b), RATE)
    assert judge(text_a, *a)["vibe_reward"] > judge(text_a, *b)["vibe_reward"]
    assert judge(text_b, *b)["vibe_reward"] > judge(text_b, *a)["vibe_reward"]


def test_anchors_read_clause_by_clause():
    whole = anchor_targets("very slow, very bright and sparkling, wide stereo")
    assert clauses("slow, dark and dry with drums") == ["slow, dark and dry with drums", "slow", "dark", "dry", "drums"]
    assert clauses("rainy afternoon in Tokyo") == ["rainy afternoon in Tokyo"]
    for axis in ("brightness", "width"):
        assert whole[axis].confidence > 0.5 and whole[axis].target > 0.5, axis
    assert whole["pace"].target < 0.5
    neutral = anchor_targets("a bus stop")
    assert max(t.confidence for t in neutral.values()) < 0.3


def test_broken_audio_cannot_score_high(example_audio):
    scorer = get_scorer("vibe")
    text = "slow dark rain at night"
    clean = scorer.score(example_audio, RATE, text=text).extra
    for bad in (
        np.zeros_like(example_audio),
        np.clip(example_audio * 8.0, -1, 1),
        np.random.default_rng(0).standard_normal(example_audio.shape).astype(np.float32) * 0.3,
    ):
        spoiled = scorer.score(bad, RATE, text=text).extra
        assert spoiled["vibe_quality"] < clean["vibe_quality"]
        assert spoiled["vibe_reward"] < clean["vibe_reward"]
    assert scorer.score(np.zeros_like(example_audio), RATE, text=text).extra["vibe_reward"] < 0.35


def test_calibration_maps_to_unit_interval():
    assert to_unit("width", -1.0) == 0.0 and to_unit("width", 10.0) == 1.0
    assert 0.0 < to_unit("note_rate", 1.0) < 1.0


def test_bad_input_is_a_clear_error(example_audio):
    scorer = get_scorer("vibe")
    for text in (None, "  "):
        with pytest.raises(TextRequired, match="vibe backend needs --text"):
            scorer.score(example_audio, RATE, text=text)
    with pytest.raises(AudioError, match="too short|at least"):
        scorer.score(example_audio[:100], RATE, text="rain")


def test_cli_json_and_missing_text(tmp_path, example_audio):
    path = write_audio(tmp_path / "rain.wav", example_audio, RATE, "pcm16")
    cli = [sys.executable, "-c", "from vibesynth.cli import main; main()", "score", str(path), "--backend", "vibe"]
    done = subprocess.run([*cli, "--text", "rainy afternoon in Tokyo", "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout)
    assert line["backend"] == "vibe" and "vibe_reward" in line["extra"] and "axis_pace_target" in line["extra"]
    missing = subprocess.run(cli, capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "needs --text" in missing.stderr and "Traceback" not in missing.stderr


def test_audio_features_judged_later_equal_one_score(example_audio):
    """The teacher measures a render once (audio_features) and judges it against many texts (judge_features)."""
    for name, texts in (("vibe", ["slow dark rain at night", "a bright festival, fast drums"]), ("dsp", [None])):
        scorer = get_scorer(name)
        features = json.loads(json.dumps(scorer.audio_features(example_audio, RATE)))  # as the cache stores them
        for text in texts:
            assert scorer.judge_features(features, text) == scorer.score(example_audio, RATE, text=text)
    assert get_scorer("vibe").text_aware and not get_scorer("dsp").text_aware
