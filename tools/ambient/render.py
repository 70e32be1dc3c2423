"""Arrangement and mix: layers -> buses -> echo and reverb -> grain -> stereo -> loudness.

Multirate for speed: the tonal bed (bass, pad, sub: nothing above ~10 kHz)
and the echo/reverb sends run at half the output rate, so the send paths
are band-limited to ~11 kHz like classic digital reverbs; melody, texture,
accents and drums render at the full rate. Memory stays O(duration) in
float32 with a small constant; effects run in chunks over the send buffers
in place (pedalboard keeps its state between chunks).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pedalboard import Bitcrush, Delay, Reverb

from tools.ambient import colour, melody, rhythm, tonal
from tools.ambient.controls import Controls, controls
from tools.ambient.osc import Note, smooth_noise
from tools.ambient.score import plan as make_plan
from tools.errors import ConfigError
from tools.filters import dc_block
from tools.loudness import BLOCK_SECONDS, DEFAULT_CEILING_DBTP, Levelled, db_to_gain, end_in_silence, integrated_lufs, level, true_peak_dbtp
from tools.schema import MusicConfig

# Fixed, named child streams: adding or silencing a layer never changes the others.
STREAMS = ("harmony", "bass", "pad", "melody", "rhythm", "texture", "accent", "sub", "grain")
LAYERS = {
    "bass": (tonal.bass, "tonal"),
    "pad": (tonal.pad, "tonal"),
    "melody": (melody.melody, "lead"),
    "rhythm": (rhythm.rhythm, "drums"),
    "texture": (colour.texture, "lead"),
    "accent": (colour.accent, "lead"),
}
# Send levels per group: (echo, reverb).
SENDS = {"tonal": (0.0, 0.6), "lead": (1.0, 1.0), "drums": (0.25, 0.3)}
CHUNK = 1 << 16
FADE_IN = 0.02
FADE_OUT = 1.5
MIN_SAMPLE_RATE = 16000
MAX_DURATION = 3600.0


def _process(plugin, buffer: np.ndarray, sr: int) -> None:
    """Run a pedalboard plugin over a (2, n) buffer in place, chunk by chunk."""
    plugin.reset()
    for start in range(0, buffer.shape[1], CHUNK):
        end = min(buffer.shape[1], start + CHUNK)
        buffer[:, start:end] = plugin.process(buffer[:, start:end], sr, reset=False)


def _half(full: np.ndarray) -> np.ndarray:
    """Halve the rate by averaging sample pairs (a gentle anti-alias filter)."""
    return (full[:, 0::2] + full[:, 1::2]) * np.float32(0.5)


def _double(half: np.ndarray) -> np.ndarray:
    """Double the rate by linear interpolation."""
    out = np.empty((2, 2 * half.shape[1]), dtype=np.float32)
    out[:, 0::2] = half
    out[:, 1:-1:2] = (half[:, :-1] + half[:, 1:]) * np.float32(0.5)
    out[:, -1] = half[:, -1]
    return out


def _sends(tonal_half: np.ndarray, lead: np.ndarray, drums: np.ndarray, ctl: Controls, sr_half: int) -> np.ndarray:
    """Echo and reverb returns at the half rate (added onto the tonal bed, returned)."""
    lead_h, drums_h = _half(lead), _half(drums)
    verb = tonal_half * np.float32(SENDS["tonal"][1])
    verb += lead_h * np.float32(SENDS["lead"][1])
    verb += drums_h * np.float32(SENDS["drums"][1])
    if ctl.echo_send > 0:
        echo = lead_h
        echo += drums_h * np.float32(SENDS["drums"][0])
        _process(Delay(delay_seconds=0.75 * ctl.beat, feedback=ctl.echo_feedback, mix=1.0), echo, sr_half)
        echo *= np.float32(ctl.echo_send)
        tonal_half += echo
        verb += echo
    damping = float(np.clip(0.2 + 0.25 * ctl.tilt, 0.1, 0.9))
    _process(Reverb(room_size=ctl.room, damping=damping, wet_level=1.0, dry_level=0.0,
                    width=ctl.reverb_width), verb, sr_half)
    verb *= np.float32(ctl.reverb_wet)
    tonal_half += verb
    return tonal_half


def _grain(mix: np.ndarray, ctl: Controls, rng: np.random.Generator, sr: int) -> None:
    if ctl.drive_db <= 0:
        return
    rms = float(np.sqrt(np.mean(np.square(mix, dtype=np.float32)))) or 1.0
    mix *= np.float32(0.1 / rms)  # drive relative to a fixed level so grain means the same everywhere
    # The tanh curve of pedalboard's Distortion, computed by numpy: identical
    # shaping, ~50x faster here (pedalboard's takes 65 ms per 30 s of stereo).
    np.tanh(mix * np.float32(10.0 ** (ctl.drive_db / 20.0)), out=mix)
    if ctl.config.grain == "gritty":
        _process(Bitcrush(bit_depth=7), mix, sr)
    # Saturating asymmetric waveforms makes DC; block it like a coupling capacitor would (~5 Hz).
    mix[:] = dc_block(mix, 1.0 - 2 * np.pi * 5.0 / sr)
    level = np.float32(ctl.noise * float(np.sqrt(np.mean(np.square(mix, dtype=np.float32)))))
    mix[0] += smooth_noise(mix.shape[1], rng, 1) * level
    mix[1] += smooth_noise(mix.shape[1], rng, 1) * level


def _fades(mix: np.ndarray, sr: int) -> None:
    n = mix.shape[1]
    fin = min(n // 4, int(FADE_IN * sr))
    fout = min(n // 4, int(FADE_OUT * sr))
    if fin:
        mix[:, :fin] *= np.linspace(0.0, 1.0, fin, dtype=np.float32)
    if fout:
        mix[:, n - fout :] *= np.linspace(1.0, 0.0, fout, dtype=np.float32) ** 2
    # ...ending in exact zeros, which the levelling gain and limiter keep at zero (and which it measures)
    end_in_silence(mix.T, sr)


@dataclass(frozen=True)
class Render:
    """A render and what it is made of.

    `score`: the notes each sounding layer played, in seconds, after the
    `human` field's jitter (drum hits carry their voice; noise styles play
    none). `stems` (only when asked): each sounding layer after its own echo
    and reverb sends, with the mono fold, fades and the one gain `stem_gain`
    that levels their sum, as (frames, 2) float32. Their sum is the mix before
    the master chain's saturation, noise and limiter; with grain "clean" and no
    limiting it is the mix itself, within float32 rounding.
    """

    levelled: Levelled
    score: dict[str, list[Note]]
    stems: dict[str, np.ndarray] | None = None
    stem_gain: float | None = None


def render_config(
    config: MusicConfig,
    duration: float,
    seed: int = 0,
    sample_rate: int = 44100,
    target_lufs: float = -16.0,
    solo: str | None = None,
) -> np.ndarray:
    """Render a MusicConfig to float32 (frames, 2), loudness-normalised, true peak <= -1 dBTP.

    The same as `render_levelled(...).audio`.
    """
    return render_levelled(config, duration, seed, sample_rate, target_lufs, solo).audio


def render_levelled(
    config: MusicConfig,
    duration: float,
    seed: int = 0,
    sample_rate: int = 44100,
    target_lufs: float = -16.0,
    solo: str | None = None,
) -> Levelled:
    """Render a MusicConfig; the audio with its measured integrated loudness and true peak.

    `solo` (inspection only) renders just one of the sounding layers ("bass",
    "pad", "melody", "rhythm", "texture", "accent" or "sub") through the same
    effects; every other stream is still drawn, so the layer is note-for-note
    the one heard in the full mix.
    """
    return render_parts(config, duration, seed, sample_rate, target_lufs, solo).levelled


def render_parts(
    config: MusicConfig,
    duration: float,
    seed: int = 0,
    sample_rate: int = 44100,
    target_lufs: float = -16.0,
    solo: str | None = None,
    stems: bool = False,
) -> Render:
    """`render_levelled` with the score it played and, with `stems`, one buffer per sounding layer (see `Render`).

    The mix is bit-identical with or without `stems`: every layer is always
    synthesised into its own buffer and added to its bus.
    """
    if not isinstance(config, MusicConfig):
        config = MusicConfig.parse(config)
    if not (0 < duration <= MAX_DURATION):
        raise ConfigError(f"duration {duration!r} s is out of range; use a value in (0, {MAX_DURATION:.0f}]")
    if int(sample_rate) != sample_rate or sample_rate < MIN_SAMPLE_RATE or int(sample_rate) % 2:
        raise ConfigError(
            f"sample rate {sample_rate!r} is not usable; use an even integer >= {MIN_SAMPLE_RATE} (44100 or 48000)"
        )
    sr = int(sample_rate)
    sr_half = sr // 2
    ctl = controls(config)
    rngs = dict(zip(STREAMS, np.random.default_rng(seed).spawn(len(STREAMS))))
    n_half = max(1, int(np.ceil(duration * sr_half)))
    n = 2 * n_half
    plan = make_plan(ctl, duration, rngs["harmony"])

    buses = {"tonal": np.zeros((2, n_half), np.float32), "lead": np.zeros((2, n), np.float32),
             "drums": np.zeros((2, n), np.float32)}
    sounding = ctl.layers + (("sub",) if config.depth else ())
    if solo is not None and solo not in sounding:
        raise ConfigError(f"solo {solo!r} is not a sounding layer of this config; use one of {', '.join(sounding)}")
    score: dict[str, list[Note]] = {}
    kept: dict[str, tuple[str, np.ndarray]] = {}
    for layer in sounding:
        if solo not in (None, layer):
            continue
        fn, group = LAYERS.get(layer, (None, "tonal"))
        own = np.zeros_like(buses[group])
        rate = sr_half if group == "tonal" else sr
        if fn is None:  # sub: the `depth` layer
            score[layer] = tonal.sub(own, plan, ctl, rngs["sub"], rate)
        else:
            score[layer] = fn(own, plan, ctl, getattr(config, layer), rngs[layer], rate)
        buses[group] += own
        if stems:
            kept[layer] = (group, own)
    bed = _sends(buses.pop("tonal"), buses["lead"], buses["drums"], ctl, sr_half)
    mix = _double(bed)
    del bed
    mix += buses.pop("lead")
    mix += buses.pop("drums")
    _grain(mix, ctl, rngs["grain"], sr)
    frames = max(1, int(round(duration * sr)))
    mix = _after_grain(mix, ctl, frames, sr)
    levelled = level(np.ascontiguousarray(mix.T), sr, target_lufs)
    if not stems:
        return Render(levelled, score)
    buffers = {layer: _after_grain(_stem(group, own, ctl, n_half, n, sr_half), ctl, frames, sr).T
               for layer, (group, own) in kept.items()}
    gain = _stem_gain(sum(buffers.values()), sr, target_lufs)
    return Render(levelled, score, {k: np.ascontiguousarray(v * np.float32(gain)) for k, v in buffers.items()}, gain)


def _after_grain(mix: np.ndarray, ctl: Controls, frames: int, sr: int) -> np.ndarray:
    """The linear steps after the grain: the mono fold (stereo "mono"), the cut to length, the fades."""
    if ctl.spread == 0.0:
        mix[0] += mix[1]
        mix[0] *= np.float32(0.5)
        mix[1] = mix[0]
    mix = mix[:, :frames]
    _fades(mix, sr)
    return mix


def _stem(group: str, own: np.ndarray, ctl: Controls, n_half: int, n: int, sr_half: int) -> np.ndarray:
    """One layer through its own echo and reverb sends (both linear), as the mix runs its bus: (2, n)."""
    silent_half, silent = np.zeros((2, n_half), np.float32), np.zeros((2, n), np.float32)
    lead, drums = (own if group == "lead" else silent), (own if group == "drums" else silent)
    bed = _sends(own if group == "tonal" else silent_half, lead, drums, ctl, sr_half)
    out = _double(bed)
    out += lead
    out += drums
    return out


def _stem_gain(total: np.ndarray, sr: int, target_lufs: float) -> float:
    """The gain `level` gives the stems' sum when a pure gain suffices (loudness, else the peak ceiling)."""
    if not np.any(total):
        return 1.0
    loudness = integrated_lufs(total, sr) if total.shape[0] > int(BLOCK_SECONDS * sr) else float("-inf")
    if np.isfinite(loudness):
        return db_to_gain(target_lufs - loudness)
    return db_to_gain(DEFAULT_CEILING_DBTP - true_peak_dbtp(total))
