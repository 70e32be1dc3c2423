"""The shared synthesis core: tuning, wavetables and both table readers."""

import numpy as np
import pytest

from tools.synth_core import TABLE_SIZE, accumulator_osc, band_limited_amps, band_limited_table, harmonic_table, interpolated_osc, midi_to_hz

SR = 44100


def test_midi_to_hz_tuning_and_arrays():
    assert float(midi_to_hz(69)) == 440.0
    assert float(midi_to_hz(81)) == pytest.approx(880.0)
    assert float(midi_to_hz(60)) == pytest.approx(261.6256, abs=1e-4)
    assert np.allclose(midi_to_hz(np.array([57.0, 69.0, 69.5])), [220.0, 440.0, 440.0 * 2 ** (0.5 / 12)])


def _peak_hz(signal):
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(signal.size)))
    return np.fft.rfftfreq(signal.size, 1 / SR)[int(np.argmax(spectrum))]


@pytest.mark.parametrize("reader", ["accumulator", "interpolated"])
def test_both_readers_play_the_asked_pitch(reader):
    table = harmonic_table((1,), (1.0,))
    if reader == "accumulator":
        out = accumulator_osc(table.astype(np.float32), 330.0, SR, SR)
    else:
        out = interpolated_osc(table, 330.0, SR, SR)
    assert abs(_peak_hz(out) - 330.0) <= 1.0
    assert np.max(np.abs(out)) == pytest.approx(1.0, abs=1e-3)


def test_band_limited_tables_stay_under_the_limit_and_have_their_shape():
    harmonics, amps = band_limited_amps("saw", 1000.0, SR)
    assert max(harmonics) * 1000.0 <= 0.4 * SR
    _, square = band_limited_amps("square", 1000.0, SR)
    assert all(a == 0.0 for a in square[1::2]) and square[0] == 1.0
    assert band_limited_amps("sine", 50.0, SR) == ((1,), (1.0,))
    table = band_limited_table("saw", 220.0, SR)
    assert table.size == TABLE_SIZE and np.max(np.abs(table)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="saw, square or sine"):
        band_limited_amps("triangle", 100.0, SR)


def test_tables_are_cached_read_only_and_readers_deterministic():
    a = harmonic_table((1, 2, 3), (1.0, 0.5, 0.25))
    assert a is harmonic_table((1, 2, 3), (1.0, 0.5, 0.25)) and not a.flags.writeable
    pm = np.sin(np.arange(5000, dtype=np.float32) * np.float32(0.01))
    one = accumulator_osc(a.astype(np.float32), 123.4, 5000, SR, pm)
    two = accumulator_osc(a.astype(np.float32), 123.4, 5000, SR, pm)
    assert one.tobytes() == two.tobytes()
    with pytest.raises(ValueError, match="table of 4096"):
        accumulator_osc(np.zeros(100, dtype=np.float32), 100.0, 10, SR)
