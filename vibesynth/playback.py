"""`--play`: hear a render through the default output device (sounddevice), or one line saying why not.

Playback never fails a command: the files are written first, and a missing
PortAudio library (sounddevice raises OSError at import), a machine with no
output device, or a device that refuses the stream each give one line and
exit status 0. Ctrl+C stops the sound and ends the command as usual.
"""

from __future__ import annotations

import numpy as np


def _sounddevice():
    """The sounddevice module, or the line saying why it cannot play."""
    try:
        import sounddevice
    except OSError:  # the PortAudio library is missing: sounddevice cannot load it
        return None, (
            "no audio output device found: the PortAudio library is not installed (apt-get install libportaudio2 to play); the files are written"
        )
    except ModuleNotFoundError:
        return None, "no audio output device found: sounddevice is not installed (run `make setup`); the files are written"
    return sounddevice, None


def output_device() -> tuple[object | None, str]:
    """(sounddevice, the default output device's name), or (None, the one line saying none was found)."""
    sd, why = _sounddevice()
    if sd is None:
        return None, why
    try:
        device = sd.query_devices(kind="output")
    except (sd.PortAudioError, ValueError):
        return None, "no audio output device found on this machine; the files are written"
    return sd, str(device["name"])


def play(audio: np.ndarray, sample_rate: int) -> str:
    """Play (frames, channels) float audio to the end; returns the line to print (what played, or why nothing did)."""
    sd, name = output_device()
    if sd is None:
        return name
    seconds = audio.shape[0] / sample_rate
    try:
        sd.play(np.ascontiguousarray(audio, dtype=np.float32), sample_rate, blocking=True)
    except sd.PortAudioError as err:
        return f"could not play on {name} ({err}); the files are written"
    except KeyboardInterrupt:
        sd.stop()
        raise
    return f"played {seconds:.1f} s on {name}"
