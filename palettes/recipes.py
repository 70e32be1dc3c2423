"""Deterministic recipes for the generated sample library, one function per role.

Each recipe takes a variant number and a seeded Generator and returns stereo
audio plus its facts (loop or one-shot, bars, key). Variants differ in
their synthesis parameters, so they differ by ear and by descriptors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from palettes import dsp
from tools.synth_core import band_limited_table, interpolated_osc, midi_to_hz

RECIPE_VERSION = "3"  # bump whenever a recipe changes: checksums change with it
VARIANTS = 10
KEYS = ("A", "C", "D", "F")


@dataclass(frozen=True)
class Generated:
    audio: np.ndarray
    recipe: str
    loop: bool = False
    bars: int | None = None
    key: str | None = None


def _kick_body(rng, sr, f0, ratio, pitch_tau, decay, length, click, drive):
    """Pitch-swept sine body, a band-passed beater click and saturation (harmonics a small speaker can play)."""
    t = dsp.t_axis(length, sr)
    freq = f0 * (1.0 + (ratio - 1.0) * np.exp(-t / pitch_tau))
    body = dsp.sweep_sine(freq, sr) * np.exp(-t / decay) * dsp.attack(t.size, 0.0008, sr)
    beater = dsp.filt(rng.normal(0, 1, t.size), "bandpass", (1800, 6000), sr) * dsp.exp_env(t.size, 0.005, sr)
    hit = np.tanh(drive * (body + click * beater)) / np.tanh(drive)
    return dsp.fade_out(hit, min(0.05, length / 4), sr)


# Kicks stop before the next beat (0.47 s at 128 BPM): body decays of 0.12-0.27 s
# keep the low end pumping instead of droning; every variant has a beater click.
def kick(variant: int, rng: np.random.Generator, sr: int, bpm: float) -> Generated:
    if variant < 4:
        f0, ratio, tau, decay = (48, 4.5, 0.025, 0.16), (52, 3.8, 0.03, 0.2), (56, 5.0, 0.02, 0.13), (45, 4.0, 0.035, 0.24)
        f0, ratio, tau, decay = (f0, ratio, tau, decay)[variant]
        mono = _kick_body(rng, sr, f0, ratio, tau, decay, 0.45, 0.35 + 0.1 * variant, 1.8 + 0.4 * variant)
        return Generated(dsp.stereo(dsp.normalize(mono)), "kick-909")
    if variant < 7:
        f0 = (42, 46, 50)[variant - 4]
        decay, length = ((0.16, 0.48), (0.21, 0.56), (0.27, 0.65))[variant - 4]
        mono = _kick_body(rng, sr, f0, 2.2, 0.04, decay, length, 0.2, 1.4)
        return Generated(dsp.stereo(dsp.normalize(mono)), "kick-808")
    f0 = (47, 51, 44)[variant - 7]
    length = (0.45, 0.55, 0.65)[variant - 7]
    hit = _kick_body(rng, sr, f0, 4.2, 0.026, (0.12, 0.16, 0.2)[variant - 7], length, 0.4, 2.2)
    t = dsp.t_axis(length, sr)
    tail = dsp.filt(rng.normal(0, 1, hit.size), "bandpass", (50, 140 + 30 * (variant - 7)), sr, order=2)
    tail *= np.exp(-t / (0.08 + 0.04 * (variant - 7))) * np.clip((t - 0.02) / 0.04, 0, 1)
    mono = hit + 0.45 * tail / max(np.max(np.abs(tail)), 1e-9)
    return Generated(dsp.stereo(dsp.normalize(dsp.fade_out(mono, 0.05, sr))), "kick-rumble")


def _metal(rng, sr, length, decay, cutoff, tone_mix, drive=2.5):
    """Metallic hat: six square partials plus noise, band-passed, each side its own noise (width)."""
    t = dsp.t_axis(length, sr)
    partials = (205.3, 304.4, 369.6, 522.7, 540.0, 800.0)
    square = sum(np.sign(np.sin(2 * np.pi * f * 1.0 * t + rng.uniform(0, 6.28))) for f in partials)
    sides = []
    for _ in range(2):
        noise = rng.normal(0, 1, t.size)
        mix = tone_mix * square / 6 + (1 - tone_mix) * noise
        band = dsp.filt(dsp.filt(mix, "highpass", cutoff, sr, order=4), "lowpass", 3.2 * cutoff, sr)
        hit = band * np.exp(-t / decay) * dsp.attack(t.size, 0.0005, sr)
        sides.append(np.tanh(drive * hit / max(np.max(np.abs(hit)), 1e-9)))
    return dsp.normalize(dsp.stereo(sides[0], 0.6 * sides[0] + 0.4 * sides[1]))


# Hats: five decays 30% apart times two colours (dark/metallic vs bright/noisy), so
# every variant differs from every other in decay or in spectrum.
def hihat(variant: int, rng: np.random.Generator, sr: int, bpm: float) -> Generated:
    decay = 0.03 * 1.3 ** (variant % 5)
    cutoff, tone = ((2500, 0.35), (4500, 0.12))[variant // 5]
    return Generated(_metal(rng, sr, 0.25, decay, cutoff, tone), "hat-closed")


def openhat(variant: int, rng: np.random.Generator, sr: int, bpm: float) -> Generated:
    decay = 0.08 * 1.3 ** (variant % 5)
    cutoff, tone = ((2500, 0.4), (4500, 0.15))[variant // 5]
    return Generated(_metal(rng, sr, 0.9, decay, cutoff, tone), "hat-open")


def clap(variant: int, rng: np.random.Generator, sr: int, bpm: float) -> Generated:
    length = 0.5
    t = dsp.t_axis(length, sr)
    center = 1000 + 180 * variant
    bursts = 3 + variant % 2
    spacing = 0.007 + 0.0015 * (variant % 4)
    tail_decay = 0.09 + 0.025 * (variant % 5)
    channels = []
    for side in range(2):
        noise = dsp.filt(rng.normal(0, 1, t.size), "bandpass", (center * 0.6, center * 1.8), sr)
        env = np.zeros(t.size)
        for b in range(bursts):
            start = int(b * spacing * sr)
            env[start:] += np.exp(-np.arange(t.size - start) / (0.004 * sr)) * (0.8 if b < bursts - 1 else 0)
        last = int((bursts - 1) * spacing * sr)
        env[last:] += np.exp(-np.arange(t.size - last) / (tail_decay * sr))
        hit = noise * env
        channels.append(np.tanh(2.5 * hit / max(np.max(np.abs(hit)), 1e-9)))
    return Generated(dsp.normalize(dsp.stereo(channels[0], channels[1])), "clap")


def perc(variant: int, rng: np.random.Generator, sr: int, bpm: float) -> Generated:
    kind = ("rim", "tom", "shaker", "cowbell")[variant % 4]
    alt = variant // 4
    if kind == "rim":
        t = dsp.t_axis(0.12, sr)
        tone = np.sin(2 * np.pi * (420 + 90 * alt) * t) + 0.6 * np.sin(2 * np.pi * (1650 + 200 * alt) * t)
        click = dsp.filt(rng.normal(0, 1, t.size), "highpass", 3000, sr) * dsp.exp_env(t.size, 0.002, sr)
        mono = (tone * dsp.exp_env(t.size, 0.018, sr) + click) * dsp.attack(t.size, 0.0003, sr)
    elif kind == "tom":
        t = dsp.t_axis(0.5, sr)
        f0 = (140, 190, 250)[alt]
        mono = dsp.sweep_sine(f0 * (1 + 0.6 * np.exp(-t / 0.04)), sr) * dsp.exp_env(t.size, 0.16, sr)
    elif kind == "shaker":
        t = dsp.t_axis(0.16, sr)
        env = dsp.attack(t.size, 0.03 + 0.015 * alt, sr) * dsp.exp_env(t.size, 0.035, sr)
        mono = dsp.filt(rng.normal(0, 1, t.size), "bandpass", (5000 + 1500 * alt, 11000), sr) * env
    else:
        t = dsp.t_axis(0.4, sr)
        base = 540 + 60 * alt
        tone = np.sign(np.sin(2 * np.pi * base * t)) + np.sign(np.sin(2 * np.pi * base * 1.48 * t))
        mono = dsp.filt(tone, "bandpass", (base * 0.8, base * 3.0), sr) * dsp.exp_env(t.size, 0.07 + 0.02 * alt, sr)
    return Generated(dsp.stereo(dsp.normalize(mono)), f"perc-{kind}")


# 16-step bass rhythms: (step, scale degree, accent) per hit; one row per bar shape.
BASS_RHYTHMS = (
    ((2, 0, 1.0), (6, 0, 0.9), (10, 0, 1.0), (14, 0, 0.9)),  # offbeat roller
    ((2, 0, 1.0), (3, 0, 0.7), (6, 0, 1.0), (7, 0, 0.7), (10, 0, 1.0), (11, 0, 0.7), (14, 0, 1.0), (15, 2, 0.7)),
    tuple((s, (0, 0, 7, 0, 3, 0, 0, 5)[s % 8], 1.0 if s % 4 == 2 else 0.6) for s in range(16)),  # acid 16ths
    ((0, 0, 0.8), (3, 0, 1.0), (6, 0, 0.9), (8, 0, 0.8), (11, 4, 1.0), (14, 0, 0.9)),  # tresillo
    ((2, 0, 1.0), (5, 0, 0.6), (10, -2, 1.0), (13, 0, 0.6)),
)
# Variant -> (rhythm, bars, oscillator shape, brightness, note length in steps, octave)
# Octave 2 (65-123 Hz roots) keeps the bass above the kick's fundamental and within
# reach of small speakers; the acid lines sit an octave higher.
BASS_PLANS = (
    (0, 1, "saw", 0.35, 1.5, 2),
    (1, 2, "square", 0.3, 0.9, 2),
    (2, 1, "saw", 0.7, 0.8, 3),
    (3, 2, "saw", 0.45, 1.8, 2),
    (4, 4, "sine", 0.2, 1.7, 2),
    (0, 4, "square", 0.5, 1.2, 2),
    (2, 2, "square", 0.6, 0.7, 3),
    (1, 4, "saw", 0.25, 1.0, 2),
    (3, 1, "sine", 0.15, 2.2, 2),
    (4, 2, "saw", 0.55, 1.4, 2),
)
# Per-bar transposition (scale degrees) for multi-bar loops, so every bar is audibly different.
BAR_MOVES = (0, 0, 3, -2)


def bassline(variant: int, rng: np.random.Generator, sr: int, bpm: float) -> Generated:
    rhythm, bars, shape, bright, length_steps, octave = BASS_PLANS[variant % len(BASS_PLANS)]
    key = KEYS[variant % len(KEYS)]
    frames = round(bars * 240 / bpm * sr)
    step_s = 15.0 / bpm
    out = np.zeros(frames + int(2 * sr))
    for bar in range(bars):
        move = BAR_MOVES[bar] if bars > 1 else 0
        for step, degree, accent in BASS_RHYTHMS[rhythm]:
            note = dsp.scale_note(key, octave, degree + move if degree >= 0 else degree)
            f0 = midi_to_hz(note)
            n = int(length_steps * step_s * sr)
            raw = interpolated_osc(band_limited_table(shape, f0, sr), f0, n, sr)
            env = dsp.attack(n, 0.003, sr) * dsp.exp_env(n, length_steps * step_s * 0.7, sr)
            dark = dsp.filt(raw, "lowpass", f0 * 6.0, sr)
            bright_cut = dsp.filt(raw, "lowpass", min(f0 * (6 + 30 * bright * accent), 0.45 * sr), sr)
            filt_env = dsp.exp_env(n, 0.05 + 0.1 * bright, sr)
            voice = (bright_cut * filt_env + dark * (1 - filt_env)) * env * accent
            start = round((bar * 16 + step) * step_s * sr)
            out[start : start + n] += voice
    drive = 3.0 if shape == "sine" else 1.5  # a driven sine grows the odd harmonics small speakers need
    mono = np.tanh(drive * dsp.wrap_loop(out, frames))
    return Generated(dsp.stereo(dsp.normalize(mono)), f"bass-{shape}", loop=True, bars=bars, key=key)


def texture(variant: int, rng: np.random.Generator, sr: int, bpm: float) -> Generated:
    key = KEYS[variant % len(KEYS)]
    bars = (2, 4)[variant % 2]
    frames = round(bars * 240 / bpm * sr)
    t = np.arange(frames) / sr
    loop_s = frames / sr
    lfo = 0.5 + 0.5 * np.sin(2 * np.pi * (1 + variant % 3) * t / loop_s)  # whole cycles per loop
    kind = ("pad", "wash", "drone")[variant % 3]
    chans = []
    for side in range(2):
        if kind == "pad":
            voices = np.zeros(frames)
            for degree in (0, 2, 4, 7 + variant % 2):
                detune = 1.0 + (0.004 if side else -0.004) * (1 + variant % 3)
                f0 = dsp.loop_freq(midi_to_hz(dsp.scale_note(key, 3, degree)) * detune, frames, sr)
                voices += interpolated_osc(band_limited_table("saw", f0, sr), f0, frames, sr, rng.uniform())
            sig = dsp.filt(np.concatenate([voices, voices]), "lowpass", 1200 + 500 * (variant % 4), sr)[frames:]
            sig = sig * (0.6 + 0.4 * lfo)
        elif kind == "wash":
            band = (300 + 150 * (variant % 4), 2500 + 800 * (variant % 3))
            sig = dsp.periodic_noise(rng, frames, band, sr) * (0.3 + 0.7 * lfo)
        else:
            root = midi_to_hz(dsp.root_midi(key, 3))
            sig = np.zeros(frames)
            for i, ratio in enumerate((1, 1.5, 2)):
                f0 = dsp.loop_freq(root * ratio * (1.002 if side else 0.998), frames, sr)
                sig += interpolated_osc(band_limited_table("square", f0, sr), f0, frames, sr) / (i + 1)
            # a periodic filter: filtering twice around the loop settles the seam
            sig = dsp.filt(np.concatenate([sig, sig]), "lowpass", 700 + 300 * (variant % 3), sr)[frames:]
            sig = sig * (0.5 + 0.5 * lfo)
        chans.append(sig)
    warm = np.tanh(1.6 * dsp.normalize(dsp.stereo(chans[0], chans[1]), 1.0))  # saturation: denser, same loop
    return Generated(dsp.normalize(warm), f"texture-{kind}", loop=True, bars=bars, key=key)


def synth(variant: int, rng: np.random.Generator, sr: int, bpm: float) -> Generated:
    key = KEYS[variant % len(KEYS)]
    length = 0.35 + 0.08 * (variant % 5)
    n = int(length * sr)
    chord = ((0, 2, 4), (0, 3, 7), (0, 4, 7), (0, 2, 5), (0, 4, 9))[variant % 5]
    octave = 3 + variant % 2
    chans = []
    for side in range(2):
        sig = np.zeros(n)
        for degree in chord:
            f0 = midi_to_hz(dsp.scale_note(key, octave, degree)) * (1.003 if side else 0.997)
            sig += interpolated_osc(band_limited_table("saw" if variant % 3 else "square", f0, sr), f0, n, sr)
        env = dsp.attack(n, 0.002, sr) * dsp.exp_env(n, 0.08 + 0.04 * (variant % 4), sr)
        sig = dsp.filt(sig, "lowpass", 1200 + 500 * (variant % 4), sr) * env
        echo = np.zeros(n)
        delay = int(0.75 * 60 / bpm * sr)
        echo[delay:] = sig[: n - delay] * 0.35 if delay < n else 0
        chans.append(dsp.fade_out(sig + echo, 0.02, sr))
    return Generated(dsp.normalize(dsp.stereo(chans[0], chans[1])), "synth-stab", key=key)


def fx(variant: int, rng: np.random.Generator, sr: int, bpm: float) -> Generated:
    if variant % 2 == 0:
        length = 240 / bpm * (1 + variant % 4 // 2)
        t = dsp.t_axis(length, sr)
        rise = (t / length) ** (1.5 + 0.3 * variant / 2)
        noise = rng.normal(0, 1, (t.size, 2))
        low = 400 + 100 * variant
        swept = sum(dsp.filt(noise, "bandpass", (low * 2**k, low * 2 ** (k + 1)), sr) * np.clip(rise * 4 - k, 0, 1)[:, None] for k in range(4))
        audio = dsp.fade_out(swept * rise[:, None], 0.01, sr)
        return Generated(dsp.normalize(audio), "fx-riser")
    length = 1.6 + 0.3 * (variant % 3)
    t = dsp.t_axis(length, sr)
    boom = dsp.sweep_sine(40 + 80 * np.exp(-t / 0.08), sr) * dsp.exp_env(t.size, 0.5, sr)
    decay = dsp.exp_env(t.size, 0.3 + 0.1 * (variant % 3), sr)[:, None]
    noise = dsp.filt(rng.normal(0, 1, (t.size, 2)), "lowpass", 2000 + 500 * variant, sr) * decay
    return Generated(dsp.normalize(boom[:, None] + 0.5 * noise), "fx-impact")


RECIPES: dict[str, Callable[[int, np.random.Generator, int, float], Generated]] = {
    "kick": kick,
    "hihat": hihat,
    "openhat": openhat,
    "clap": clap,
    "perc": perc,
    "bassline": bassline,
    "texture": texture,
    "synth": synth,
    "fx": fx,
}
