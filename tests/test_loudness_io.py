import numpy as np
import pytest

from tools.audio_io import read_audio, write_audio
from tools.errors import AudioError
from tools.loudness import integrated_lufs, normalize_loudness, normalize_peak, true_peak_dbtp

SR = 44100


def _noise_burst(seed=0, seconds=3.0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((int(SR * seconds), 2)).astype(np.float32) * 0.05
    x[SR // 2 : SR // 2 + 50] = 0.9  # a spike that a plain gain would push over the ceiling
    return x


@pytest.mark.parametrize("target", [-24.0, -16.0, -9.0])
def test_normalize_loudness_hits_target_under_ceiling(target):
    out = normalize_loudness(_noise_burst(), SR, target_lufs=target)
    assert out.dtype == np.float32
    assert true_peak_dbtp(out) <= -1.0 + 1e-6
    assert abs(integrated_lufs(out, SR) - target) < 0.5


def test_true_peak_sees_intersample_overs():
    t = np.arange(SR) / SR
    # a sine at fs/4 with a 45 degree phase: samples sit at 0.707 of the real peak
    x = np.sin(2 * np.pi * (SR / 4) * t + np.pi / 4)[:, None].astype(np.float32)
    assert np.max(np.abs(x)) < 0.72
    assert true_peak_dbtp(x) > -0.2


def test_normalize_peak_and_silence():
    out = normalize_peak(_noise_burst())
    assert abs(true_peak_dbtp(out) + 1.0) < 1e-3
    silence = np.zeros((SR, 2), np.float32)
    assert not np.any(normalize_loudness(silence, SR))


def test_write_read_round_trip(tmp_path):
    x = _noise_burst(seconds=1.0)
    path = write_audio(tmp_path / "a.wav", x, SR)
    y, rate = read_audio(path)
    assert rate == SR and np.array_equal(x, y)
    write_audio(tmp_path / "b.wav", x, SR, subtype="pcm16")
    z, _ = read_audio(tmp_path / "b.wav")
    assert np.max(np.abs(z - x)) < 1e-4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.wav", "b.wav"]  # no temp files left


def test_bad_audio_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio")
    with pytest.raises(AudioError, match="not readable as audio"):
        read_audio(bad)
    with pytest.raises(AudioError, match="NaN"):
        write_audio(tmp_path / "n.wav", np.full((10, 2), np.nan), SR)
    with pytest.raises(AudioError, match="name the output .wav or .flac"):
        write_audio(tmp_path / "x.mp3", np.zeros((10, 2)), SR)
    with pytest.raises(AudioError, match="FLAC cannot hold float"):
        write_audio(tmp_path / "x.flac", np.zeros((10, 2)), SR)
    write_audio(tmp_path / "ok.flac", np.zeros((10, 2)), SR, subtype="pcm16")


def test_same_audio_gives_byte_identical_files(tmp_path):
    x = _noise_burst(seconds=1.0)
    for subtype in ("float", "pcm16"):
        a = write_audio(tmp_path / f"a-{subtype}.wav", x, SR, subtype=subtype).read_bytes()
        b = write_audio(tmp_path / f"b-{subtype}.wav", x, SR, subtype=subtype).read_bytes()
        assert a == b
        assert b"PEAK" not in a[:256]  # libsndfile's PEAK chunk carries a wall-clock timestamp
