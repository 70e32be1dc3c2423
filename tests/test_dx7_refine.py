"""DX7 refine by words (#26 item 3): the documented mappings, locality, errors, the check on voices, the command."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from optimize.eval.dx7_edits import check, summary
from reference.dx7_designer import design
from reference.dx7_refiner import refine_voice
from tools.dx7.algorithms import ALGORITHMS
from tools.errors import ConfigError
from vibesynth.cli import app

PIANO = design("electric piano")
CARRIERS = set(ALGORITHMS[PIANO.algorithm].carriers)
MODULATORS = set(range(1, 7)) - CARRIERS


def test_brighter_raises_modulator_levels_and_feedback_only():
    edit = refine_voice(PIANO, "brighter")
    for n in MODULATORS:
        assert edit.voice.op(n).output_level == min(99, PIANO.op(n).output_level + 8)
    for n in CARRIERS:
        assert edit.voice.op(n) == PIANO.op(n)
    assert edit.voice.feedback == min(7, PIANO.feedback + 1)
    assert all(line.startswith(("feedback", *(f"OP{n}.output_level" for n in MODULATORS))) for line in edit.changed)


def test_much_makes_two_steps_and_the_words_are_kept():
    edit = refine_voice(PIANO, "much darker")
    assert edit.moves == (("brightness", -2, "darker"),)
    n = min(MODULATORS)
    assert edit.voice.op(n).output_level == max(0, PIANO.op(n).output_level - 16)


def test_decay_attack_release_and_pitch_mappings():
    shorter = refine_voice(PIANO, "shorter decay").voice
    assert all(shorter.op(n).eg_rates[1] >= PIANO.op(n).eg_rates[1] for n in range(1, 7))
    softer = refine_voice(PIANO, "softer attack").voice
    assert all(softer.op(n).eg_rates[0] < PIANO.op(n).eg_rates[0] for n in CARRIERS)
    longer = refine_voice(PIANO, "longer release").voice
    assert all(longer.op(n).eg_rates[3] <= PIANO.op(n).eg_rates[3] for n in range(1, 7))
    assert refine_voice(PIANO, "an octave lower").voice.transpose == PIANO.transpose - 12
    assert refine_voice(PIANO, "softer attack, longer release").moves == (("attack", -1, "softer attack"), ("release", 1, "longer release"))


def test_nothing_to_read_is_refused_with_the_fix():
    with pytest.raises(ConfigError, match="reads as a voice edit.*brighter"):
        refine_voice(PIANO, "make it nicer")


def test_the_descriptor_check_on_designed_voices():
    rows = check([(1, PIANO), (2, design("bright bell"))])
    assert len(rows) == 12
    brighter = [r for r in rows if r["instruction"] == "brighter"]
    assert all(r["after"] > r["before"] for r in brighter)  # more modulation: a higher spectral centroid
    skipped = [r for r in rows if r["right"] is None]
    assert all(r["instruction"] == "sharper attack" for r in skipped)  # both attacks are already instant
    result = summary(rows)
    assert result["brighter"] == {"n": 2, "hits": 2, "rate": 1.0, "ci95": result["brighter"]["ci95"], "skipped": 0}
    assert result["all"]["n"] == len(rows) - len(skipped)


def test_cli_dx7_refine_writes_the_voice_and_a_wav(tmp_path):
    source = tmp_path / "piano.json"
    source.write_text(PIANO.model_dump_json())
    out, wav = tmp_path / "brighter.json", tmp_path / "brighter.wav"
    result = CliRunner().invoke(app, ["dx7", "refine", str(source), "brighter, shorter decay", "-o", str(out), "--wav", str(wav)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["feedback"] == min(7, PIANO.feedback + 1) and wav.read_bytes()[:4] == b"RIFF"
    bad = CliRunner().invoke(app, ["dx7", "refine", str(source), "nicer", "-o", str(tmp_path / "x.json")])
    assert bad.exit_code == 2 and "reads as a voice edit" in bad.output and not (tmp_path / "x.json").exists()
