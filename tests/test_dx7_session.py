import json

from tools.dx7.session import DX7Session


def call(method, *args, **kwargs):
    return json.loads(method(*args, **kwargs))


def test_edits_apply_and_bad_arguments_come_back_as_data():
    s = DX7Session()
    assert call(s.set_algorithm, 5)["ok"]
    assert s.voice.algorithm == 5
    r = call(s.set_algorithm, 40)
    assert r["error"] == "algorithm must be in 1..32, got 40" and r["valid"] == ["1..32"]
    assert call(s.set_operator, "OP2", {"output_level": 80, "coarse": 14})["ok"]
    before = s.voice
    r = call(s.set_operator, 2, {"output_level": 180})
    assert "OP2.output_level: 180 is out of range; use 0..99" in r["error"]
    assert s.voice == before  # nothing changed
    assert "unknown operator field" in call(s.set_operator, 1, {"levl": 3})["error"]
    assert "op must be in 1..6" in call(s.set_operator, "op9", {"output_level": 1})["error"]
    assert "feedback: 9 is out of range" in call(s.set_global, {"feedback": 9})["error"]
    assert "lfo.wave" in call(s.set_lfo, {"wave": "sinus"})["error"]
    assert "set_algorithm" in call(s.set_algorithm)["error"]  # wrong arity
    assert len(s.call_log) == 9


def test_render_and_describe():
    s = DX7Session()
    call(s.set_algorithm, 1)
    call(s.set_operator, "OP2", {"output_level": 85, "coarse": 3})
    r = call(s.render_note, 57, 90, 0.5)
    assert r["ok"] and r["seconds"] == 1.5 and not r["sound"]["silent"]
    assert s.last_audio.shape == (round(1.5 * 44100), 2)
    d = call(s.describe)
    assert d["structure"]["algorithm"].startswith("algorithm 1: OP2->OP1")
    assert any(line.startswith("OP2 modulator: level 85, ratio 3.00") for line in d["structure"]["operators"])
    assert "hold must be in 0.05..8" in call(s.render_note, 60, 100, 99)["error"]
