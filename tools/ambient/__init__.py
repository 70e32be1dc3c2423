"""The ambient instrument: a MusicConfig rendered to stereo audio.

`render_config(config, duration, seed, sample_rate, target_lufs)` is the
one entry point; see tools/ambient/controls.py for what each field does.
"""

from tools.ambient.render import render_config, render_levelled

__all__ = ["render_config", "render_levelled"]
