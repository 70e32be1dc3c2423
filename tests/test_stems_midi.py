"""--stems and --midi (#26 item 6): stems sum to the mix before the master chain; the MIDI file holds the notes played."""

import json

import mido
import numpy as np
import pytest
from typer.testing import CliRunner

from tools.ambient import render_parts
from tools.ambient.controls import BPM
from tools.ambient.midi import DRUM_CHANNEL, DRUM_KEYS, PPQ, score_midi, ticks, velocity
from tools.ambient.rhythm import voices
from tools.audio_io import read_audio
from tools.schema import EXAMPLE, MusicConfig
from vibesynth.cli.app import app

runner = CliRunner()
FULL = {**EXAMPLE, "density": 6, "rhythm": "kit_medium", "texture": "crystal", "accent": "pluck", "grain": "clean"}


@pytest.mark.parametrize(
    "fields,rate",
    [
        ({}, 44100),
        ({"stereo": "mono", "echo": "infinite", "space": "vast"}, 48000),
        ({"tempo": "very_fast", "human": "drunk", "motion": "chaotic", "bass": "arp_bass"}, 22050),
    ],
)
def test_stems_sum_to_the_mix_when_grain_is_clean(fields, rate):
    config = MusicConfig.parse({**FULL, **fields})
    parts = render_parts(config, 6.0, seed=5, sample_rate=rate, stems=True)
    plain = render_parts(config, 6.0, seed=5, sample_rate=rate)
    assert np.array_equal(parts.levelled.audio, plain.levelled.audio)  # --stems never changes the mix
    assert list(parts.stems) == ["bass", "pad", "melody", "rhythm", "texture", "accent", "sub"]
    total = sum(parts.stems.values())
    mix = parts.levelled.audio
    assert total.shape == mix.shape and all(s.dtype == np.float32 for s in parts.stems.values())
    assert np.max(np.abs(total - mix)) < 1e-5 * np.max(np.abs(mix))  # float32 rounding, nothing more
    assert all(np.max(np.abs(s)) > 1e-4 for s in parts.stems.values())  # every stem sounds


def test_stems_are_the_pre_master_layers_whatever_the_grain():
    """Grain (saturation, bitcrush, noise) acts on the whole mix after the layers: the stems do not change
    with it, and their sum is the pre-grain mix, not the saturated one."""
    clean = render_parts(MusicConfig.parse(FULL), 5.0, seed=2, stems=True)
    gritty = render_parts(MusicConfig.parse({**FULL, "grain": "gritty"}), 5.0, seed=2, stems=True)
    for layer in clean.stems:
        assert np.array_equal(clean.stems[layer], gritty.stems[layer])
    residual = np.max(np.abs(sum(gritty.stems.values()) - gritty.levelled.audio))
    assert residual > 0.01  # the saturated mix is not the sum of its layers


def _notes(midi: mido.MidiFile) -> dict[str, list[tuple[int, int, int, int]]]:
    """Per track name: (on tick, off tick, key, velocity), pairing each note_off with the oldest open note_on of its key."""
    out = {}
    for track in midi.tracks[1:]:
        now, open_, notes = 0, {}, []
        for message in track:
            now += message.time
            if message.type == "note_on":
                open_.setdefault(message.note, []).append((now, message.velocity, len(notes)))
                notes.append(None)
            elif message.type == "note_off":
                start, vel, slot = open_[message.note].pop(0)
                notes[slot] = (start, now, message.note, vel)
        assert all(open_[k] == [] for k in open_) and None not in notes
        out[track.name.split(" ")[0]] = notes
    return out


def test_midi_holds_every_note_the_engine_played(tmp_path):
    config = MusicConfig.parse({**FULL, "human": "loose", "tempo": "fast"})
    duration = 9.0
    parts = render_parts(config, duration, seed=4)
    path = tmp_path / "score.mid"
    score_midi(parts.score, config, duration).save(path)
    midi = mido.MidiFile(path)
    assert midi.type == 1 and midi.ticks_per_beat == PPQ
    tempo = next(m.tempo for m in midi.tracks[0] if m.type == "set_tempo")
    assert mido.tempo2bpm(tempo) == pytest.approx(BPM["fast"])
    got = _notes(midi)
    assert list(got) == list(parts.score)  # one track per sounding layer, in the engine's order
    beat = 60.0 / BPM["fast"]
    for layer, played in parts.score.items():

        def key_of(note):
            return DRUM_KEYS[note.voice] if layer == "rhythm" else note.midi

        heard = sorted((n for n in played if n.time < duration), key=lambda n: (ticks(n.time, BPM["fast"]), key_of(n)))
        written = sorted(got[layer], key=lambda w: (w[0], w[2]))
        assert len(written) == len(heard) > 0, layer
        for note, (on, off, key, vel) in zip(heard, written):
            assert abs(on * beat / PPQ - note.time) <= 0.5 * beat / PPQ + 1e-9
            assert vel == velocity(note.vel)
            assert key == key_of(note)
            if layer != "rhythm":
                assert off * beat / PPQ == pytest.approx(min(note.time + note.dur, duration), abs=beat / PPQ)
    channels = {m.channel for t in midi.tracks for m in t if m.type == "note_on" and t.name.startswith("rhythm")}
    assert channels == {DRUM_CHANNEL}


def test_midi_pitches_are_the_pitches_heard():
    """The melody's MIDI notes against the solo melody's spectrum: each long note's strongest partial is its pitch."""
    config = MusicConfig.parse(
        {
            **EXAMPLE,
            "melody": "minimal",
            "space": "dry",
            "echo": "none",
            "brightness": "bright",
            "motion": "static",
            "human": "robotic",
            "grain": "clean",
            "tempo": "fast",
        }
    )
    rate = 22050
    duration = 14.0
    solo = render_parts(config, duration, seed=1, sample_rate=rate, solo="melody")
    notes = _notes(score_midi(solo.score, config, duration))["melody"]
    beat = 60.0 / BPM["fast"]
    checked = 0
    for on, off, key, _ in notes:
        start, stop = on * beat / PPQ + 0.4, min(off * beat / PPQ, duration) - 0.1
        if stop - start < 0.5:
            continue
        window = solo.levelled.audio[int(start * rate) : int(stop * rate)].mean(axis=1)
        spectrum = np.abs(np.fft.rfft(window * np.hanning(window.size)))
        freqs = np.fft.rfftfreq(window.size, 1 / rate)
        peak = freqs[np.argmax(np.where(freqs > 60, spectrum, 0))]
        assert abs(12 * np.log2(peak / (440 * 2 ** ((key - 69) / 12)))) < 0.5, (key, peak)
        checked += 1
    assert checked >= 3


def test_every_drum_voice_has_a_general_midi_key():
    config = MusicConfig.parse(EXAMPLE)
    from tools.ambient.controls import controls

    assert set(voices(controls(config), 8000, np.random.default_rng(0))) == set(DRUM_KEYS)


def test_cli_render_and_refine_write_stems_and_midi(tmp_path):
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps(FULL))
    out = tmp_path / "song.wav"
    result = runner.invoke(app, ["render", "--config", str(cfg), "--duration", "3", "--stems", "--midi", "-o", str(out)])
    assert result.exit_code == 0, result.output
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["stems"]["files"]["bass"] == "song.stem-bass.wav" and meta["midi"]["file"] == "song.mid"
    assert meta["stems"]["mix_minus_sum_peak"] < 1e-5
    mix, _ = read_audio(out)
    total = sum(read_audio(tmp_path / name)[0] for name in meta["stems"]["files"].values())
    assert np.max(np.abs(total - mix)) < 1e-5
    assert meta["midi"]["notes"] == sum(1 for t in mido.MidiFile(tmp_path / "song.mid").tracks for m in t if m.type == "note_on")
    # refine: the stems come from a second render of the refined config (same mix, checked bit for bit)
    again = tmp_path / "darker.wav"
    result = runner.invoke(app, ["refine", str(out.with_suffix(".json")), "darker", "--stems", "--midi", "-o", str(again)])
    assert result.exit_code == 0, result.output
    refined = json.loads(again.with_suffix(".json").read_text())
    assert refined["config"]["brightness"] == "very_dark" and refined["midi"]["file"] == "darker.mid"
    total = sum(read_audio(tmp_path / name)[0] for name in refined["stems"]["files"].values())
    assert np.max(np.abs(total - read_audio(again)[0])) < 1e-5


def test_musicgen_has_no_stems_or_midi(tmp_path):
    result = runner.invoke(app, ["render", "--engine", "musicgen", "--vibe", "rain", "--stems", "-o", str(tmp_path / "m.wav")])
    assert result.exit_code == 2 and "--stems and --midi need the synth" in result.output
