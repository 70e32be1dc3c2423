"""The ambient score as a Standard MIDI File: one track per sounding layer, the config's tempo.

What is written is what the engine played (`render_parts(...).score`):
every note's onset and held length in seconds after the `human` jitter,
placed on a 960-per-beat grid at the config's tempo (so a drunk sway lands
where it was heard), its pitch, and its velocity (`round(100 * vel)`, 1..127).
Notes are cut at the render's end; notes that start after it never sounded
and are left out. Drum hits go to channel 10 with General MIDI keys
(`DRUM_KEYS`), a sixteenth long. What MIDI does not carry: timbres (a General
MIDI program per layer is only a starting point), pan, chorus detune,
vibrato, the noise styles (vinyl_crackle, breath, glitch, noise_wash and the
wind's wash: their tracks say so and hold no notes) and the effects.
"""

from __future__ import annotations

from pathlib import Path

import mido

from tools.ambient.controls import BPM
from tools.ambient.osc import Note
from tools.files import write_atomic
from tools.schema import MusicConfig

PPQ = 960
DRUM_CHANNEL = 9  # channel 10 as musicians count
DRUM_TICKS = PPQ // 4
# General MIDI programs (0-based) per layer: a starting point for another synth, not our timbres.
PROGRAMS = {"bass": 38, "pad": 89, "melody": 73, "texture": 98, "accent": 14, "sub": 38}
# General MIDI percussion keys for the rhythm layer's voices (tools/ambient/rhythm.py).
DRUM_KEYS = {"kick": 36, "soft_kick": 35, "snare": 38, "hat": 42, "open_hat": 46, "shaker": 82, "rim": 37,
             "clap": 39, "brush": 40, "lub": 41, "na": 60, "ge": 61}
NOISE_STYLES = {"texture": ("vinyl_crackle", "breath", "glitch", "noise_wash"), "accent": ("wind",)}
# Key signature names mido accepts (sharps for minor keys, flats where a major key has no sharp name).
MAJOR_NAMES = {"c#": "Db", "d#": "Eb", "f#": "F#", "g#": "Ab", "a#": "Bb"}


def velocity(vel: float) -> int:
    return max(1, min(127, round(100 * vel)))


def ticks(seconds: float, bpm: float) -> int:
    return round(seconds * bpm / 60.0 * PPQ)


def style_of(config: MusicConfig, layer: str) -> str:
    return "depth" if layer == "sub" else str(getattr(config, layer))


def _key_signature(config: MusicConfig) -> str | None:
    if config.mode == "major":
        return MAJOR_NAMES.get(config.root, config.root.upper())
    if config.mode == "minor":
        return config.root.upper() + "m"
    return None  # dorian and mixolydian: a text event names the key


def _conductor(config: MusicConfig, bpm: float) -> mido.MidiTrack:
    track = mido.MidiTrack([mido.MetaMessage("track_name", name="vibesynth ambient", time=0),
                            mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm), time=0),
                            mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0),
                            mido.MetaMessage("text", text=f"key: {config.root} {config.mode}", time=0)])
    signature = _key_signature(config)
    if signature is not None:
        track.append(mido.MetaMessage("key_signature", key=signature, time=0))
    return track


def _layer_track(layer: str, notes: list[Note], config: MusicConfig, bpm: float, duration: float, channel: int) -> mido.MidiTrack:
    style = style_of(config, layer)
    track = mido.MidiTrack([mido.MetaMessage("track_name", name=f"{layer} ({style})", time=0)])
    if style in NOISE_STYLES.get(layer, ()):
        track.append(mido.MetaMessage("text", text=f"{style} is noise: no notes" if layer == "texture"
                                      else f"{style}: its wash is noise; the whistle's notes follow", time=0))
    if channel != DRUM_CHANNEL:
        track.append(mido.Message("program_change", channel=channel, program=PROGRAMS[layer], time=0))
    end = ticks(duration, bpm)
    events = []  # (tick, 0 = off before 1 = on at the same tick, order, message)
    for order, note in enumerate(notes):
        if note.time >= duration:
            continue
        start = ticks(note.time, bpm)
        if note.voice is not None:
            key, stop = DRUM_KEYS[note.voice], start + DRUM_TICKS
        else:
            key, stop = int(round(note.midi)), ticks(min(note.time + note.dur, duration), bpm)
        stop = min(max(stop, start + 1), max(end, start + 1))
        events.append((start, 1, order, mido.Message("note_on", channel=channel, note=key, velocity=velocity(note.vel))))
        events.append((stop, 0, order, mido.Message("note_off", channel=channel, note=key, velocity=0)))
    now = 0
    for tick, _, _, message in sorted(events, key=lambda e: e[:3]):
        track.append(message.copy(time=tick - now))
        now = tick
    return track


def score_midi(score: dict[str, list[Note]], config: MusicConfig, duration: float) -> mido.MidiFile:
    """A type-1 MIDI file: a conductor track (tempo, 4/4, key), then one track per layer of `score`."""
    bpm = BPM[config.tempo]
    midi = mido.MidiFile(type=1, ticks_per_beat=PPQ)
    midi.tracks.append(_conductor(config, bpm))
    melodic = iter(c for c in range(16) if c != DRUM_CHANNEL)
    for layer, notes in score.items():
        channel = DRUM_CHANNEL if layer == "rhythm" else next(melodic)
        midi.tracks.append(_layer_track(layer, notes, config, bpm, duration, channel))
    return midi


def note_count(midi: mido.MidiFile) -> int:
    return sum(1 for track in midi.tracks for message in track if message.type == "note_on")


def write_midi(path: str | Path, midi: mido.MidiFile) -> Path:
    """Write a MIDI file atomically (a temporary file beside `path`, renamed into place)."""
    return write_atomic(path, lambda tmp: midi.save(str(tmp)))
