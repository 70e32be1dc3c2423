import json

import pytest
from dspy.utils import DummyLM

from agent.dx7_design import text_to_voice
from optimize.dx7_match import apply_genome, evaluate, genome, match, target_from_voice
from optimize.dx7_report import paired_summary
from reference.dx7_designer import design
from tools.dx7.distance import HELD_OUT_PROBE, Probe
from tools.dx7.engine import Engine
from tools.dx7.voice import Voice
from tools.errors import AgentError


def known_target() -> Voice:
    v = Voice(algorithm=1, feedback=3)
    v.OP2.output_level, v.OP2.coarse = 82, 2
    v.OP1.eg_rates, v.OP1.eg_levels = [99, 40, 30, 60], [99, 70, 0, 0]
    return v


def test_genome_round_trips():
    v = known_target()
    assert apply_genome(Voice(), genome(v)) == v


@pytest.mark.slow
def test_matching_improves_distance_on_a_known_target():
    engine = Engine()
    target = known_target()
    probe = Probe(pairs=((60, 100),), hold=0.6, release=0.3)
    result = match(target_from_voice(target, probe, engine), Voice(), trials=40, seed=1, engine=engine)
    assert result.best_distance < 0.85 * result.start_distance
    assert result.history == sorted(result.history, reverse=True)
    held_start = evaluate(Voice(), target, HELD_OUT_PROBE, engine)["mrstft"]
    held_matched = evaluate(result.voice, target, HELD_OUT_PROBE, engine)["mrstft"]
    assert held_matched < held_start


def test_paired_summary_hand_case():
    s = paired_summary([3.0, 4.0, 5.0, 6.0], [2.0, 2.5, 4.5, 4.0])
    assert s["n"] == 4 and s["improvement_mean"] == pytest.approx(1.25)
    assert s["ci95_low"] < 1.25 < s["ci95_high"] and 0 < s["t_p"] < 0.05


def test_reference_designer_follows_words():
    assert design("warm electric piano").algorithm == 5
    assert design("church organ").algorithm == 32
    dark, bright = design("dark bell"), design("bright bell")
    assert bright.OP2.output_level > dark.OP2.output_level
    assert design("strings with slow attack").OP1.eg_rates[0] < design("strings").OP1.eg_rates[0]
    assert design("words it does not know") == design("")
    assert design("deep bass") == design("deep bass")


def test_dspy_program_retries_with_readable_feedback():
    good = Voice(algorithm=7).model_dump(mode="json")
    lm = DummyLM([{"patch": json.dumps({"algorithm": 40})}, {"patch": "here: " + json.dumps(good)}])
    result = text_to_voice("glassy bell", lm)
    assert result.attempts == 2 and result.voice.algorithm == 7
    assert "algorithm: 40 is out of range; use 1..32" in result.feedback[0]
    with pytest.raises(AgentError, match="no valid DX7 voice"):
        text_to_voice("bell", DummyLM([{"patch": "no json"}] * 2), retries=1)
