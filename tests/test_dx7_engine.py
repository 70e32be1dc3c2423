import numpy as np
import pytest

from tests.dx7_support import require_factory
from tools.dx7 import engine
from tools.dx7.factory import factory_voice
from tools.errors import ConfigError
from tools.loudness import integrated_lufs, true_peak_dbtp


@pytest.fixture(scope="module")
def loud_voice():
    require_factory()
    # the factory voice whose raw render peaks highest: the engine must still never clip
    eng = engine.Engine()
    peaks = {n: float(np.max(np.abs(eng.note(factory_voice(n).voice, engine.Note(60, 127, 0, 0.5, 0.2))))) for n in range(1, 129, 4)}
    number = max(peaks, key=peaks.get)
    assert peaks[number] > 1.0  # raw dexed output goes over full scale
    return factory_voice(number).voice


@pytest.mark.parametrize("rate", [44100, 48000])
def test_chord_is_stereo_normalised_and_never_clipped(loud_voice, rate):
    audio = engine.render(loud_voice, engine.chord([48, 60, 64, 67], velocity=127), sample_rate=rate)
    assert audio.dtype == np.float32 and audio.ndim == 2 and audio.shape[1] == 2
    assert audio.shape[0] == round(2.5 * rate)
    assert true_peak_dbtp(audio) <= -1.0 + 1e-6
    # at the target, or under it where the peak ceiling forced the gain down
    assert engine.DEFAULT_LUFS - 6.0 < integrated_lufs(audio, rate) < engine.DEFAULT_LUFS + 0.1


def test_render_is_deterministic(loud_voice):
    notes = engine.phrase([60, 62, 64, 67], step=0.25)
    a = engine.render(loud_voice, notes)
    b = engine.render(loud_voice, notes)
    assert a.tobytes() == b.tobytes()


def test_phrase_places_notes_in_time():
    require_factory()
    eng = engine.Engine()
    v = factory_voice(11).voice
    single = eng.note(v, engine.Note(60, 100, 0.0, 0.3, 0.5))
    later = eng.notes(v, [engine.Note(60, 100, 0.5, 0.3, 0.5)])
    at = round(0.5 * eng.sample_rate)
    assert not np.any(later[:at])
    np.testing.assert_array_equal(later[at:], single)


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        (dict(note=128), "MIDI 0..127"),
        (dict(velocity=0), "velocity"),
        (dict(hold=0.0), "hold > 0"),
    ],
)
def test_bad_notes(kwargs, needle):
    with pytest.raises(ConfigError, match=needle):
        engine.Note(**({"note": 60} | kwargs)).check()


def test_unsupported_rate():
    with pytest.raises(ConfigError, match="44100, 48000"):
        engine.Engine(22050)
