"""Linear filters in plain numpy, for the paths that must start fast.

`import scipy.signal` costs about a second of start-up (it pulls in
scipy.stats, interpolate and optimize). The ambient render and the loudness
meter need only three filters, so they are written here on numpy's FFT:
a Kaiser-windowed low-pass design (what `scipy.signal.firwin` gives for a
Kaiser window), FIR filtering by FFT overlap-add, and the one-pole DC
blocker. `tests/test_filters.py` checks each against scipy.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

FFT_SIZE_MIN = 1 << 16
DC_BLOCK = 2048  # samples per block of the one-pole recursion (a**-BLOCK stays far from overflow)


def kaiser_lowpass(numtaps: int, cutoff: float, beta: float) -> np.ndarray:
    """Linear-phase low-pass taps, cutoff as a fraction of Nyquist, unit gain at DC (firwin's design)."""
    n = np.arange(numtaps) - (numtaps - 1) / 2.0
    taps = cutoff * np.sinc(cutoff * n) * np.kaiser(numtaps, beta)
    return taps / np.sum(taps)


def chunk_rows(taps: int) -> int:
    """Input rows per FFT block of `fir_chunks` for a filter of `taps` taps."""
    return _fft_size(taps) - taps + 1


def _fft_size(taps: int) -> int:
    return max(FFT_SIZE_MIN, 1 << int(np.ceil(np.log2(4 * taps))))


def fir_chunks(x: np.ndarray, filters: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """Full convolution of (frames, channels) `x` with each row of `filters`, in output chunks.

    Yields (start, out) with out shaped (branches, rows, channels): rows
    start..start+rows of `np.convolve(x[:, c], filters[b])` for every b and c,
    covering all frames + taps - 1 output rows. float32 in, float32 out; one
    forward FFT per input chunk serves every filter. Extra memory is O(chunk).
    """
    filters = np.atleast_2d(filters)
    taps = filters.shape[1]
    nfft, chunk = _fft_size(taps), chunk_rows(taps)
    spectra = np.fft.rfft(filters.astype(np.float32), nfft, axis=1)[:, :, None]
    frames, channels = x.shape
    carry = np.zeros((filters.shape[0], taps - 1, channels), np.float32)
    for start in range(0, frames, chunk):
        piece = x[start : start + chunk]
        spectrum = np.fft.rfft(piece, nfft, axis=0)
        full = np.fft.irfft(spectrum[None] * spectra, nfft, axis=1)[:, : piece.shape[0] + taps - 1]
        full = full.astype(np.float32, copy=False)
        full[:, : taps - 1] += carry
        rows = piece.shape[0]
        carry = full[:, rows:].copy()
        yield start, full[:, :rows]
    yield frames, carry


def fir_filter(x: np.ndarray, taps: np.ndarray) -> np.ndarray:
    """Causal FIR filter of (frames, channels) float32 audio, same length out (`lfilter(taps, 1, x, axis=0)`)."""
    frames = x.shape[0]
    out = np.empty(x.shape, np.float32)
    for start, block in fir_chunks(x, taps[None]):
        end = min(frames, start + block.shape[1])
        if end > start:
            out[start:end] = block[0, : end - start]
    return out


def dc_block(x: np.ndarray, pole: float) -> np.ndarray:
    """y[n] = x[n] - x[n-1] + pole * y[n-1] along the last axis, from rest (`lfilter([1, -1], [1, -pole], x)`).

    Exact recursion evaluated blockwise in float64: inside a block the
    zero-state response is a scaled cumulative sum, and one state per block
    carries across blocks. Returns float32.
    """
    x = np.asarray(x, np.float64)
    lead, n = x.shape[:-1], x.shape[-1]
    flat = x.reshape(-1, n)
    d = np.diff(flat, axis=1, prepend=0.0)
    blocks = -(-n // DC_BLOCK)
    d = np.concatenate((d, np.zeros((flat.shape[0], blocks * DC_BLOCK - n))), axis=1).reshape(flat.shape[0], blocks, DC_BLOCK)
    k = np.arange(DC_BLOCK)
    rise = pole ** -k.astype(np.float64)
    fall = pole ** k.astype(np.float64)
    zero_state = np.cumsum(d * rise, axis=2) * fall
    carry_gain = pole ** (k + 1.0)
    state = np.zeros(flat.shape[0])
    last = zero_state[:, :, -1]
    states = np.empty((flat.shape[0], blocks))
    block_gain = pole**DC_BLOCK
    for b in range(blocks):
        states[:, b] = state
        state = last[:, b] + block_gain * state
    y = zero_state + states[:, :, None] * carry_gain
    return y.reshape(flat.shape[0], -1)[:, :n].reshape(*lead, n).astype(np.float32)
