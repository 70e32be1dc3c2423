"""The chunked polyphase true-peak meter equals resample_poly's 4x oversampled peak; its cheap bound holds."""

import numpy as np
from scipy.signal import resample_poly

from tools.loudness import TRUE_PEAK_CHUNK, gain_to_db, true_peak_bound_dbtp, true_peak_dbtp


def _reference(audio):
    up = resample_poly(audio.astype(np.float64), 4, 1, axis=0)
    return gain_to_db(max(np.abs(up).max(), np.abs(audio).max()))


def test_matches_resample_poly_across_lengths_and_chunk_edges():
    rng = np.random.default_rng(3)
    lengths = [1, 2, 5, 40, 1000, TRUE_PEAK_CHUNK - 1, TRUE_PEAK_CHUNK + 7, 2 * TRUE_PEAK_CHUNK + 100]
    for n in lengths:
        for channels in (1, 2):
            x = (rng.standard_normal((n, channels)) * 0.3).astype(np.float32)
            x[n // 2] = 0.9 * np.sign(x[n // 2] + 1e-9)  # a peak, sometimes right at a chunk edge
            assert abs(true_peak_dbtp(x) - _reference(x)) < 1e-4, n
            assert true_peak_bound_dbtp(x) >= true_peak_dbtp(x)


def test_edge_peak_at_chunk_boundary():
    x = np.zeros((2 * TRUE_PEAK_CHUNK, 2), np.float32)
    t = np.arange(64)
    x[TRUE_PEAK_CHUNK - 32 : TRUE_PEAK_CHUNK + 32, 0] = np.sin(np.pi / 2 * t + np.pi / 4) * 0.5
    assert abs(true_peak_dbtp(x) - _reference(x)) < 1e-4
    assert true_peak_dbtp(x) > gain_to_db(0.5 * 0.72)
