"""How each MusicConfig value sounds, one line each, read from this engine's code (`vibesynth styles`).

The numbers quoted come from tools/ambient/controls.py (tempo, brightness,
space, echo, stereo, motion, attack, human, grain) and the layer modules
(tonal.py, melody.py, rhythm.py, colour.py); tests/test_styles.py checks that
every value of every field has a line and that no line names a value the
schema has dropped. Edit the line when the synthesis of a value changes.
"""

from __future__ import annotations

from tools.ambient.controls import BPM, DETUNE, DRIVE, ECHO, MOTION, REVERB_WET, ROOM, SPREAD, TILT, TIMING
from tools.ambient.theory import PITCH_CLASS
from tools.schema import choices
from tools.synth_core import midi_to_hz

FIELD_LINES = {
    "tempo": "beats per minute of every layer's grid (bars, phrases, drum steps, echo time)",
    "root": "the key's tonic: chords, bass, melody and pitched drums follow it",
    "mode": "the scale the chords and melody are built from",
    "brightness": "how fast partials roll off (ratio ** -tilt); brighter also moves melody and accents up",
    "space": "the reverb's room size and how much of it is heard",
    "density": "how many layers sound: the first N of bass, pad, melody, rhythm, texture, accent ('none' takes no slot)",
    "bass": "the bass line's pattern and timbre (low register, follows the chord roots)",
    "pad": "the sustained chord bed: timbre, voice count and register",
    "melody": "the lead line: one two-bar phrase per chord, anchored on chord tones",
    "rhythm": "a drum pattern on a 16-step grid from small synthesized voices",
    "texture": "the air around the harmony: noise beds or high sparkles",
    "accent": "events on top: bells, plucks, blips, hits",
    "motion": "an LFO on the pad's level and stereo position (and the melody's vibrato rate): how much the bed breathes",
    "attack": "how notes start: scales every timbre's attack time",
    "stereo": "pan spread of voices, chorus detune and reverb width",
    "depth": "a pure sine sub-bass an octave under the chord roots",
    "echo": "a tempo-synced echo (3/4 beat) on melody, texture, accents and (a quarter as much) drums",
    "human": "timing and velocity jitter of every note",
    "grain": "saturation, bitcrush and noise floor on the whole mix",
}


def _bpm(value: str) -> str:
    return f"{BPM[value]:g} BPM"


def _bass_note(pc: int) -> str:
    midi = 36 + pc if pc < 7 else 24 + pc  # tools/ambient/tonal.py _bass_pitch
    return f"{midi_to_hz(midi):.0f} Hz"


def _root(name: str) -> str:
    return f"tonic {name.upper()}; the bass drone sits at {_bass_note(PITCH_CLASS[name])}"


VALUE_LINES: dict[str, dict] = {
    "tempo": {
        "very_slow": f"{_bpm('very_slow')}: long bars, glacial changes",
        "slow": f"{_bpm('slow')}: unhurried, a chord every ~7 s",
        "medium": f"{_bpm('medium')}: walking pace",
        "fast": f"{_bpm('fast')}: busy, driving",
        "very_fast": f"{_bpm('very_fast')}: dance tempo, chords change every ~4 s",
    },
    "root": {name: _root(name) for name in PITCH_CLASS},
    "mode": {
        "major": "bright and settled (I IV V vi progressions)",
        "minor": "dark, melancholy (i VI III VII)",
        "dorian": "minor with a raised sixth: wistful, hopeful (keeps its major IV chord)",
        "mixolydian": "major with a flat seventh: open, folky (keeps its bVII chord)",
    },
    "brightness": {
        "very_dark": f"muffled: tilt {TILT['very_dark']}, melody an octave lower",
        "dark": f"warm and dim: tilt {TILT['dark']}, melody 5 semitones lower",
        "medium": f"neutral: tilt {TILT['medium']}",
        "bright": f"clear: tilt {TILT['bright']}, melody 5 semitones higher",
        "very_bright": f"glassy: tilt {TILT['very_bright']}, melody an octave higher",
    },
    "space": {value: f"{text}: room {ROOM[value]}, reverb level {REVERB_WET[value]}" for value, text in (
        ("dry", "close and present"), ("small", "a room"), ("medium", "a hall"),
        ("large", "a cathedral-sized wash"), ("vast", "endless, notes melt into each other"))},
    "density": {n: f"{n} layers sound" + (" (sparse)" if n == 2 else " (everything, when no style is 'none')" if n == 6 else "")
                for n in choices("density")},
    "bass": {
        "drone": "the tonic held four bars at a time, soft attack: a floor under everything",
        "sustained": "each chord's root held for the chord, gentle saw",
        "pulsing": "the root in eighth notes, accents on the beat: a soft engine",
        "walking": "a stepwise line on every beat, leaning back to the root",
        "fifth_drone": "tonic and fifth held four bars: open, medieval",
        "sub_pulse": "an octave-down root every half bar, mostly sine: felt more than heard",
        "octave": "eighth notes jumping root-octave-root: disco-ish motion",
        "arp_bass": "sixteenth-note arpeggio of the chord, plucky decay: sequencer bass",
    },
    "pad": {
        "warm_slow": "four-voice saw chords with chorus, 3 s swells",
        "dark_sustained": "three low voices, few harmonics, 4 s swells: a dark hum",
        "cinematic": "five voices over a wide range, full harmonics, each chord swelling in",
        "thin_high": "two high near-sine voices: a glassy line above",
        "ambient_drift": "voices entering one by one with vibrato, overlapping the next chord",
        "stacked_fifths": "four voices stacked in fifths: open, modern",
        "bright_open": "five voices with an added ninth and bright harmonics",
    },
    "melody": {
        "contemplative": "sparse three-note phrases in a soft tone, 30% of phrases left silent",
        "rising": "four steps up then a long note: hopeful",
        "falling": "four steps down then a long note: sighing, resolving",
        "minimal": "one long note per phrase cycling tonic, fifth, third: barely there",
        "ornamental": "contemplative phrases with grace notes and turns",
        "arp_melody": "sixteen eighth notes up and down the chord: a plucked arpeggio",
        "contemplative_minor": "falling sighs onto chord tones, borrowing minor colour in major keys",
        "call_response": "a short call panned left, its answer panned right",
        "heroic": "a fixed leaping fanfare shape, bright saw-like tone",
    },
    "rhythm": {
        "none": "no drums",
        "minimal": "two rim clicks and two shaker taps per two-bar cycle: a sparse tick",
        "heartbeat": "a low double thump twice a bar",
        "soft_four": "a soft kick on every beat with shaker offbeats",
        "hats_only": "eighth-note hi-hats and one open hat: motion without weight",
        "electronic": "kick, clap on 2 and 4, sixteenth hats: club-like",
        "kit_light": "kick, snare on 3 and quiet eighth hats",
        "kit_medium": "a fuller backbeat: kick, snare on 2 and 4, eighth hats",
        "military": "a busy snare march over a light kick",
        "tabla_essence": "tabla-like tones tuned to the key (bayan glides, dayan rings)",
        "brush": "brushed snare on 2 and 4 with a quiet shaker: jazz-ballad feel",
    },
    "texture": {
        "none": "no texture",
        "shimmer": "high chord tones (octave 7) trembling at 7 Hz: sparkle",
        "shimmer_slow": "chord tones an octave lower swelling slowly",
        "vinyl_crackle": "record clicks and hiss",
        "breath": "slowly swelling filtered noise, like breathing",
        "stars": "random short high blips, three a second",
        "glitch": "stuttering square-wave bursts at random times",
        "noise_wash": "a slowly moving noise bed (rain, surf)",
        "crystal": "chord tones struck high on about half the beats, bell-like decay",
        "pad_whisper": "a quiet detuned chord around C5, its level fluttering",
    },
    "accent": {
        "none": "no accents",
        "bells": "an inharmonic bell on a chord tone every two bars",
        "pluck": "plucked chord tones on offbeats, about 60% of them",
        "chime": "three-note chime runs every bar",
        "bells_dense": "a bell on every beat",
        "blip": "short bright blips in a repeating eighth-note figure",
        "blip_random": "sine blips at random times and pitches in the key",
        "brass_hit": "a short brass-like chord stab at each chord change",
        "wind": "gusts of filtered noise with a faint whistling tone",
        "arp_accent": "a fast six-note upward run every two bars",
        "piano_note": "a single slightly inharmonic piano-like note on about half the half-bars",
    },
    "motion": {value: f"{text} (LFO {MOTION[value]:g} Hz)" for value, text in (
        ("static", "no movement"), ("slow", "a slow swell every ~14 s"), ("medium", "gentle breathing every ~4 s"),
        ("fast", "tremolo-like pulsing"), ("chaotic", "three unrelated rates: restless, never settles"))},
    "attack": {
        "soft": "every attack at full length and at least 50 ms: no edges",
        "medium": "attacks at 30% length: defined but smooth",
        "sharp": "attacks at 4%: percussive starts",
    },
    "stereo": {value: f"{text}: pan spread {SPREAD[value]:g}, chorus detune {DETUNE[value]:g} cents" for value, text in (
        ("mono", "everything centred, the mix folded to mono"), ("narrow", "slightly spread"), ("medium", "a natural stage"),
        ("wide", "voices spread wide"), ("ultra_wide", "hard-panned, fully detuned"))},
    "depth": {
        True: "on: a sine an octave under the chord roots (down to 41 Hz)",
        False: "off: no sub layer",
    },
    "echo": {value: f"{text}: feedback {ECHO[value][0]:g}, send {ECHO[value][1]:g}" for value, text in (
        ("none", "no echo"), ("subtle", "a faint repeat"), ("medium", "clear repeats"), ("heavy", "a trail of repeats"),
        ("infinite", "repeats ring for ages (never grow)"))},
    "human": {value: f"{text}: onset jitter σ {1000 * TIMING[value]:g} ms" for value, text in (
        ("robotic", "exactly on the grid, equal velocities"), ("tight", "a studio player"), ("natural", "a relaxed player"),
        ("loose", "audibly behind and ahead"), ("drunk", "loose, and the tempo sways"))},
    "grain": {value: f"{text}: drive {DRIVE[value]:g} dB" for value, text in (
        ("clean", "untouched"), ("warm", "tape-like saturation and a faint noise floor"),
        ("gritty", "hard saturation, 7-bit crush and audible noise"))},
}


def lines(field: str) -> dict:
    """The value -> line table of a field (schema order)."""
    return {value: VALUE_LINES[field][value] for value in choices(field)}
