"""Ambient engine contract: determinism, seeds, loudness/peak, sample rates, distinct styles, sanity."""

import hashlib
import itertools

import numpy as np
import pytest

from tools.ambient import render_config
from tools.errors import ConfigError
from tools.loudness import integrated_lufs, true_peak_dbtp
from tools.schema import EXAMPLE, MusicConfig, choices

from ambient_probe import BASE, SR, profile, render


def _sha(audio):
    return hashlib.sha256(np.ascontiguousarray(audio).tobytes()).hexdigest()


def test_same_inputs_give_bit_identical_audio_and_seeds_differ():
    config = MusicConfig.parse(EXAMPLE)
    a = render_config(config, 3.0, seed=7, sample_rate=SR)
    b = render_config(config, 3.0, seed=7, sample_rate=SR)
    c = render_config(config, 3.0, seed=8, sample_rate=SR)
    assert _sha(a) == _sha(b)
    assert _sha(a) != _sha(c)
    assert np.mean(np.abs(a - c)) > 1e-3


@pytest.mark.parametrize("target", [-16.0, -23.0])
def test_loudness_and_true_peak_contract(target):
    audio = render_config(
        MusicConfig.parse({**EXAMPLE, "density": 6, "rhythm": "kit_medium", "grain": "gritty"}), 4.0, sample_rate=SR, target_lufs=target
    )
    assert audio.dtype == np.float32 and audio.ndim == 2 and audio.shape[1] == 2
    assert audio.shape[0] == 4 * SR
    assert abs(integrated_lufs(audio, SR) - target) < 0.5
    assert true_peak_dbtp(audio) <= -1.0 + 1e-6
    assert np.all(np.isfinite(audio))


def test_default_rate_and_48k_option():
    config = MusicConfig.parse(EXAMPLE)
    at_44 = render_config(config, 1.5)
    at_48 = render_config(config, 1.5, sample_rate=48000)
    assert at_44.shape == (66150, 2) and at_48.shape == (72000, 2)
    assert true_peak_dbtp(at_48) <= -1.0 + 1e-6


def test_bad_duration_rate_and_solo_are_config_errors():
    config = MusicConfig.parse(EXAMPLE)
    with pytest.raises(ConfigError, match="duration"):
        render_config(config, 0)
    with pytest.raises(ConfigError, match="sample rate"):
        render_config(config, 1, sample_rate=44101)
    with pytest.raises(ConfigError, match="solo"):
        render_config(config, 1, solo="texture")  # density 4: texture does not sound


def test_sounds_like_music_not_test_tones():
    """Listening by proxy: no clipping, no DC, no dropouts, energy where ambient music has it."""
    audio = render_config(MusicConfig.parse(EXAMPLE), 8.0, sample_rate=SR)
    assert np.max(np.abs(audio)) < 0.9
    assert np.all(np.abs(audio.mean(axis=0)) < 2e-3)
    rms = np.sqrt(np.mean(audio[: 7 * SR].reshape(-1, SR // 10, 2) ** 2, axis=(1, 2)))
    assert rms[2:].min() > 0.1 * np.median(rms)  # no silent gaps after the fade-in
    spec = np.abs(np.fft.rfft(audio.mean(axis=1))) ** 2
    freqs = np.fft.rfftfreq(audio.shape[0], 1 / SR)
    assert spec[(freqs > 40) & (freqs < 2000)].sum() / spec.sum() > 0.6  # a dark config: weight in the low mids
    assert spec[freqs > 2000].sum() / spec.sum() > 3e-5  # but still some air (-45 dB)


def test_notes_stay_in_key():
    """Pad, bass and melody fundamentals use only the scale's pitch classes."""
    from tools.ambient import colour, melody, tonal  # noqa: F401
    from tools.ambient.controls import controls
    from tools.ambient.osc import Note
    from tools.ambient.score import plan

    captured = []
    import tools.ambient.osc as osc

    original = osc.play

    def spy(bus, notes, *args, **kwargs):
        captured.extend(notes)
        return original(bus, notes, *args, **kwargs)

    for mode in ("major", "minor", "dorian", "mixolydian"):
        captured.clear()
        config = MusicConfig.parse({**EXAMPLE, "mode": mode, "root": "f#", "melody": "ornamental"})
        ctl = controls(config)
        p = plan(ctl, 20.0, np.random.default_rng(0))
        for module, fn, style in ((tonal, tonal.pad, "cinematic"), (tonal, tonal.bass, "walking"), (melody, melody.melody, "ornamental")):
            module.play = spy
            try:
                fn(np.zeros((2, 20 * 8000), np.float32), p, ctl, style, np.random.default_rng(1), 8000)
            finally:
                module.play = original
        assert captured and all(isinstance(n, Note) for n in captured)
        outside = {int(round(n.midi)) % 12 for n in captured} - ctl.key.scale_pcs()
        assert not outside, (mode, outside)


CATEGORICAL = [
    ("bass", {"density": 2}),
    ("pad", {"density": 2}),
    ("melody", {"density": 3}),
    ("rhythm", {"density": 4}),
    ("texture", {"density": 4}),
    ("accent", {"density": 4, "texture": "none"}),
]


@pytest.mark.parametrize("field,extra", CATEGORICAL, ids=[f for f, _ in CATEGORICAL])
def test_each_style_is_its_own_sound(field, extra):
    """Pairwise fingerprint distance (mean |dB| over band levels and their movement) between styles."""
    values = [v for v in choices(field) if v != "none"]
    prints = {v: profile(render(4.0, solo=field, **{**extra, field: v})) for v in values}
    for a, b in itertools.combinations(values, 2):
        distance = float(np.mean(np.abs(prints[a] - prints[b])))
        assert distance > 0.5, (field, a, b, distance)
    # and in the full mix every style changes the audio
    mixes = {v: render(3.0, **{**extra, field: v}) for v in values}
    for a, b in itertools.combinations(values, 2):
        assert np.mean(np.abs(mixes[a] - mixes[b])) > 1e-3, (field, a, b)


def test_base_probe_config_is_valid():
    MusicConfig.parse(BASE)
