"""Each of the 19 MusicConfig fields moves a measured descriptor the way its name says."""

import numpy as np
import pytest

from tools.ambient.controls import active_layers
from tools.schema import MusicConfig

from ambient_probe import SR, band, centroid, chroma, energy_fraction, envelope, modulation_spectrum, onsets, render

PERCUSSIVE = {"space": "dry", "density": 4, "rhythm": "hats_only", "pad": "dark_sustained", "brightness": "dark"}


def _onset_rate(audio):
    times = onsets(band(audio, lo=4000))
    return len(times) / (audio.shape[0] / SR)


def test_tempo_raises_onset_rate():
    slow = _onset_rate(render(6, tempo="very_slow", **PERCUSSIVE))
    fast = _onset_rate(render(6, tempo="very_fast", **PERCUSSIVE))
    assert fast > 1.8 * slow, (slow, fast)


def test_brightness_raises_spectral_centroid():
    values = [centroid(render(4, brightness=b)) for b in ("very_dark", "dark", "medium", "bright", "very_bright")]
    assert all(a < b for a, b in zip(values, values[1:])), values


def _tail(audio):
    """Median level relative to the loud moments: reverb tails fill the time between plucks."""
    env = envelope(audio.mean(axis=1), hop=256)
    return np.percentile(env, 50) / np.percentile(env, 95)


def test_space_lengthens_the_tail():
    config = {"density": 4, "accent": "pluck", "brightness": "medium", "tempo": "slow"}
    values = [_tail(render(6, solo="accent", space=s, **config)) for s in ("dry", "small", "medium", "large", "vast")]
    assert all(a < b for a, b in zip(values, values[1:])), values
    assert values[-1] > 50 * values[0], values


def _echo_strength(audio, tempo_bpm):
    env = envelope(band(audio, lo=2000), hop=64)
    env = env - env.mean()
    lag = int(round(0.75 * 60 / tempo_bpm * SR / 64))
    return float(np.dot(env[:-lag], env[lag:]) / np.dot(env, env))


def test_echo_adds_repeats_at_the_delay_time_and_infinite_stays_bounded():
    config = {"density": 4, "accent": "pluck", "tempo": "medium", "space": "dry"}
    none = _echo_strength(render(6, solo="accent", **{**config, "echo": "none"}), 84)
    heavy = _echo_strength(render(6, solo="accent", **{**config, "echo": "heavy"}), 84)
    assert heavy > none + 0.15, (none, heavy)
    long = render(20, solo="accent", **{**config, "echo": "infinite"})
    thirds = np.array_split(long[: -SR * 2], 3)
    rms = [float(np.sqrt(np.mean(t**2))) for t in thirds]
    assert rms[2] < 3 * rms[0], rms


def _correlation(audio):
    return float(np.corrcoef(audio[:, 0], audio[:, 1])[0, 1])


def test_stereo_decorrelates_channels_and_mono_is_exactly_mono():
    values = [_correlation(render(4, stereo=s, space="medium")) for s in ("narrow", "medium", "wide", "ultra_wide")]
    assert all(a > b for a, b in zip(values, values[1:])), values
    mono = render(4, stereo="mono", space="vast", echo="heavy", texture="noise_wash", density=6, rhythm="kit_light", accent="pluck", grain="gritty")
    assert np.array_equal(mono[:, 0], mono[:, 1])


def test_density_is_the_number_of_sounding_layers():
    full = {"rhythm": "minimal", "texture": "breath", "accent": "bells"}
    for density in (2, 3, 4, 5, 6):
        config = MusicConfig.parse({**_base(), **full, "density": density})
        assert len(active_layers(config)) == density
    # a 'none' style takes no slot: the next layer sounds instead
    skipping = MusicConfig.parse({**_base(), **full, "rhythm": "none", "density": 4})
    assert active_layers(skipping) == ("bass", "pad", "melody", "texture")
    sparse = render(4, density=2, **full)
    dense = render(4, density=6, **full)
    assert energy_fraction(dense, 4000, SR / 2) > 2 * energy_fraction(sparse, 4000, SR / 2)
    assert _coverage(dense) > _coverage(sparse)


def _coverage(audio):
    """Third-octave bands within 20 dB of the loudest one."""
    spec = np.abs(np.fft.rfft(audio.mean(axis=1))) ** 2
    freqs = np.fft.rfftfreq(audio.shape[0], 1 / SR)
    edges = 40 * 2 ** (np.arange(0, 26) / 3)
    levels = np.array([spec[(freqs >= a) & (freqs < b)].sum() for a, b in zip(edges, edges[1:])])
    return int(np.sum(levels > levels.max() * 1e-2))


def _base():
    from ambient_probe import BASE

    return dict(BASE)


def _grid_deviation(audio, bpm):
    times = onsets(band(audio, lo=4000), hop=32)
    step = 60 / bpm / 4
    return float(np.std(times - np.round(times / step) * step))


def test_human_loosens_timing():
    config = {**PERCUSSIVE, "tempo": "slow", "density": 4}
    robotic = _grid_deviation(render(6, human="robotic", **config), 68)
    loose = _grid_deviation(render(6, human="loose", **config), 68)
    drunk = _grid_deviation(render(6, human="drunk", **config), 68)
    assert robotic < 0.004 and robotic < loose < drunk, (robotic, loose, drunk)


def test_grain_adds_harmonics_and_noise():
    config = {"brightness": "very_dark", "density": 2, "pad": "dark_sustained"}
    values = [energy_fraction(render(4, grain=g, **config), 3000, SR / 2) for g in ("clean", "warm", "gritty")]
    assert values[0] < values[1] < values[2] and values[2] > 10 * values[0], values


def _rise_time(audio, bpm):
    """Median time (s) from each eighth-note grid onset until the level reaches half its coming peak."""
    hop = 64
    env = np.convolve(envelope(audio.mean(axis=1), hop=hop), np.ones(4) / 4, mode="same")
    step = 60 / bpm / 2
    rises = []
    for t in np.arange(step, audio.shape[0] / SR - 2, step):
        i = int(t * SR / hop)
        window = env[i : i + int(0.15 * SR / hop)] - env[i - 2]
        rises.append(np.argmax(window >= 0.5 * window.max()) * hop / SR)
    return float(np.median(rises))


def test_attack_sharpens_onsets():
    config = {"space": "dry", "density": 3, "bass": "pulsing", "melody": "arp_melody"}
    soft, medium, sharp = (_rise_time(render(4, attack=a, **config), 84) for a in ("soft", "medium", "sharp"))
    assert soft > medium > sharp and soft > 3 * sharp, (soft, medium, sharp)


def _fast_modulation(audio):
    freqs, spec = modulation_spectrum(audio)
    return float(spec[(freqs >= 0.5) & (freqs < 6)].sum() / spec[(freqs > 0.05)].sum())


def test_motion_speeds_up_modulation():
    config = {"density": 2, "bass": "drone", "tempo": "very_slow", "space": "dry"}
    static = _fast_modulation(render(10, motion="static", **config))
    fast = _fast_modulation(render(10, motion="fast", **config))
    chaotic = _fast_modulation(render(10, motion="chaotic", **config))
    assert fast > 2 * static and chaotic > 2 * static, (static, fast, chaotic)


def test_depth_adds_a_sub_layer():
    without = energy_fraction(render(4, depth=False), 20, 70)
    with_sub = energy_fraction(render(4, depth=True), 20, 70)
    assert with_sub > 2 * without, (without, with_sub)


@pytest.mark.parametrize("root", ["c", "d#", "f#", "a", "b"])
def test_root_sets_the_bass_pitch_class(root):
    audio = render(3, root=root, bass="drone", density=2, brightness="very_dark")
    bass_chroma = chroma(audio, lo=25, hi=130)
    assert int(np.argmax(bass_chroma)) == ["c", "c#", "d", "d#", "e", "f", "f#", "g", "g#", "a", "a#", "b"].index(root)


# (mode, (characteristic degree, the neighbour it replaces)) relative to the tonic
MODE_MARKERS = {
    "major": [(4, 3)],
    "minor": [(3, 4), (8, 9)],
    "dorian": [(3, 4), (9, 8)],
    "mixolydian": [(4, 3), (10, 11)],
}


@pytest.mark.parametrize("mode", sorted(MODE_MARKERS))
def test_mode_sets_the_scale(mode):
    audio = render(12, root="d", mode=mode, tempo="very_fast", brightness="very_dark", melody="arp_melody", seed=1)
    c = chroma(audio, lo=100, hi=1500)
    for degree, other in MODE_MARKERS[mode]:
        assert c[(2 + degree) % 12] > c[(2 + other) % 12], (mode, degree, np.round(c, 3))
