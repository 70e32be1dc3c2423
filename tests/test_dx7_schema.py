import json

import dexed
import numpy as np
import pytest

from tests.dx7_support import require_factory
from tools.dx7 import seed_form
from tools.dx7.algorithms import ALGORITHMS, algorithm_from_matrices
from tools.dx7.factory import factory_entries
from tools.dx7.voice import VCED_SIZE, Voice, json_schema
from tools.errors import ConfigError


def test_json_schema_names_six_operators_and_ranges():
    schema = json_schema()
    assert {f"OP{n}" for n in range(1, 7)} <= set(schema["properties"])
    op = schema["$defs"]["Operator"]["properties"]
    assert op["output_level"]["maximum"] == 99 and op["detune"]["minimum"] == -7
    json.dumps(schema)


def test_voice_has_155_vced_parameters_and_round_trips():
    v = Voice(algorithm=17, feedback=5, transpose=-12, name="TEST")
    data = v.to_vced()
    assert len(data) == VCED_SIZE
    assert Voice.from_vced(data) == v


@pytest.mark.parametrize(
    "bad, needle",
    [
        ({"OP3": {"output_level": 120}}, "OP3.output_level: 120 is out of range; use 0..99"),
        ({"OP1": {"outputlevel": 3}}, "did you mean 'output_level'"),
        ({"algorithm": 0}, "algorithm: 0 is out of range; use 1..32"),
        ({"lfo": {"wave": "sin"}}, "lfo.wave"),
        ({"OP2": {"eg_rates": [1, 2]}}, "exactly 4 values"),
    ],
)
def test_readable_errors(bad, needle):
    with pytest.raises(ConfigError) as err:
        Voice.parse(bad)
    assert needle in str(err.value)


def test_not_json_is_one_line_error():
    with pytest.raises(ConfigError, match="not valid JSON"):
        Voice.parse("{oops")


def test_algorithms_agree_with_dexed_and_are_distinct():
    seen = set()
    for n, alg in ALGORITHMS.items():
        assert np.array_equal(alg.mod_matrix(with_feedback=False), np.array(dexed.get_mod_matrix(n - 1)))
        assert sorted(c - 1 for c in alg.carriers) == sorted(dexed.get_carriers(n - 1))
        assert tuple(x - 1 for x in alg.feedback) == tuple(dexed.get_feedback_edge(n - 1))
        seen.add((alg.mod_matrix().tobytes(), alg.out_vector().tobytes()))
        assert algorithm_from_matrices(alg.mod_matrix(), alg.out_vector()) == n
    assert len(seen) == 32


def test_seed_form_orders_operators_op6_first_and_matrices_op1_first():
    v = Voice(algorithm=1)
    v.OP6.output_level, v.OP1.output_level = 11, 99
    form = seed_form.to_seed_form(v)
    assert form["ol"][0] == 11 and form["ol"][5] == 99  # OP6 first
    assert form["modmatrix"][0][1] == 1  # OP2 modulates OP1
    assert form["modmatrix"][5][5] == 1  # OP6 feedback on itself (algorithm 1)
    assert form["outmatrix"] == [1, 0, 1, 0, 0, 0]
    assert sum(np.asarray(form[k]).size for k in seed_form.KEYS) == 128


def test_seed_form_round_trips_every_factory_voice():
    require_factory()
    for entry in factory_entries():
        form = seed_form.to_seed_form(entry.voice)
        assert seed_form.to_seed_form(seed_form.from_seed_form(form)) == form


def test_seed_form_rejects_matrices_of_no_algorithm():
    form = seed_form.to_seed_form(Voice())
    form["modmatrix"][0][0] = 1
    form["modmatrix"][5][5] = 0
    with pytest.raises(ConfigError, match="none of the 32"):
        seed_form.from_seed_form(form)


def test_parameter_reward_hand_cases():
    a = seed_form.to_seed_form(Voice())
    assert seed_form.parameter_reward(a, a) == {"format": 1.0, "keys": 1.0, "dist": 1.0}
    b = json.loads(json.dumps(a))
    b["feedback"] = 7  # 0 -> 7: s = 0 on a weight-4 key of total weight 33
    assert seed_form.parameter_reward(b, a)["dist"] == pytest.approx(1 - 4 / 33)
    c = json.loads(json.dumps(a))
    c["fine"][0] = 99  # one of six entries fully off: s = 5/6 on a weight-2 key
    assert seed_form.parameter_reward(c, a)["dist"] == pytest.approx(1 - 2 * (1 / 6) / 33)
    broken = {"ol": a["ol"]}
    r = seed_form.parameter_reward(broken, a)
    assert r["format"] == 0.0 and r["dist"] == 0.0 and r["keys"] == pytest.approx(1 / 12)
