"""From a model's mono waveform to a project clip: the asked rate and length, stereo, faded, levelled.

Every render in the project ends the same way (tools.loudness): stereo
float32, the last 50 ms faded to silence, loudness-normalised to the target
with the true peak under -1 dBTP. Text-to-audio output goes through the same
steps, so the judge hears clips levelled alike whichever system made them.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from tools.loudness import Levelled, end_in_silence, level


def to_clip(mono: np.ndarray, model_rate: int, seconds: float, sample_rate: int, target_lufs: float = -16.0) -> Levelled:
    """Resample (polyphase) to `sample_rate`, cut or zero-pad to `seconds`, duplicate to stereo, fade the end, level."""
    from scipy.signal import resample_poly

    ratio = Fraction(int(sample_rate), int(model_rate))
    audio = np.asarray(mono, dtype=np.float64)
    if ratio != 1:
        audio = resample_poly(audio, ratio.numerator, ratio.denominator)
    frames = max(1, round(seconds * sample_rate))
    audio = np.pad(audio[:frames], (0, max(0, frames - audio.shape[0])))
    stereo = np.ascontiguousarray(np.repeat(audio[:, None], 2, axis=1), dtype=np.float32)
    end_in_silence(stereo, sample_rate)
    return level(stereo, sample_rate, target_lufs)
