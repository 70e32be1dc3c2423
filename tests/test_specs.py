"""The one spec grammar (tools.specs): every form each option takes, and one error line for each bad spec."""

from __future__ import annotations

import pytest

from tools.errors import AgentError, ConfigError
from tools.specs import LM, POLICIES, PRODUCERS, RULE_POLICIES, Spec

MODEL_FORMS = "PROVIDER/MODEL (e.g. openai/gpt-4o-mini"


@pytest.mark.parametrize(
    ("grammar", "text", "kind", "arg"),
    [
        (LM, "openai/gpt-4o-mini", "model", "openai/gpt-4o-mini"),
        (LM, " ollama_chat/llama3.2:1b ", "model", "ollama_chat/llama3.2:1b"),  # a ':' after the '/' is the model's
        (LM, "student:gemma-270m", "student", "gemma-270m"),
        (POLICIES, "reference", "reference", ""),
        (POLICIES, "fixed", "fixed", ""),
        (POLICIES, "random", "random", ""),
        (POLICIES, "replay:runs/dj/trajectory.jsonl", "replay", "runs/dj/trajectory.jsonl"),
        (POLICIES, "my_policies:slow", "object", "my_policies:slow"),
        (POLICIES, "a.b:c/d", "model", "a.b:c/d"),  # a '/' makes a model string, as --lm always read it
        (POLICIES, "openai/x", "model", "openai/x"),
        (POLICIES, "student:m", "student", "m"),
        (LM, "student", "student", ""),  # the shipped student
        (RULE_POLICIES, "random", "random", ""),
        (RULE_POLICIES, "pkg.mod:attr", "object", "pkg.mod:attr"),
        (PRODUCERS, "random", "random", ""),
        (PRODUCERS, "rule", "rule", ""),
        (PRODUCERS, "retrieval", "retrieval", ""),
        (PRODUCERS, "teacher", "teacher", ""),
        (PRODUCERS, "lm:openai/gpt-4o-mini", "lm", "openai/gpt-4o-mini"),
        (PRODUCERS, "lm:student:m", "lm", "student:m"),
        (PRODUCERS, "program:no/such/compile", "program", "no/such/compile"),
        (PRODUCERS, "student:m@free", "student", "m@free"),
        (PRODUCERS, "student-gguf:gemma-270m@fewshot", "student-gguf", "gemma-270m@fewshot"),
        (PRODUCERS, "musicgen", "musicgen", ""),
        (PRODUCERS, "musicgen:modal", "musicgen", "modal"),
        (PRODUCERS, "musicgen:https://host/generate", "musicgen", "https://host/generate"),
    ],
)
def test_every_form_parses_to_its_kind_and_argument(grammar, text, kind, arg):
    spec = grammar.parse(text)
    assert spec == Spec(kind, arg) and spec.text == text.strip()


def test_paths_are_recorded_portably_with_their_mode(tmp_path, monkeypatch):
    monkeypatch.setenv("VIBESYNTH_CACHE", str(tmp_path))
    (tmp_path / "m").mkdir()
    assert LM.parse(f"student:{tmp_path}/m").text == "student:$VIBESYNTH_CACHE/m"
    assert PRODUCERS.parse(f"student:{tmp_path}/m@fewshot").text == "student:$VIBESYNTH_CACHE/m@fewshot"
    assert PRODUCERS.parse(f"lm:student:{tmp_path}/m").text == "lm:student:$VIBESYNTH_CACHE/m"
    assert PRODUCERS.parse(f"program:{tmp_path}/m").arg == "$VIBESYNTH_CACHE/m"
    assert PRODUCERS.parse(f"student-gguf:{tmp_path}/m").arg == f"{tmp_path}/m"  # read as given (a base or a file)


@pytest.mark.parametrize(
    ("grammar", "text", "error", "message"),
    [
        (LM, "  ", AgentError, "--lm is empty; use one of: PROVIDER/MODEL"),
        (LM, "gpt4", AgentError, "--lm 'gpt4' is not a model string; use one of: PROVIDER/MODEL"),
        (LM, "openai/", AgentError, "--lm 'openai/' is not a model string"),
        (LM, "/gpt", AgentError, "--lm '/gpt' is not a model string"),
        (LM, "reference", AgentError, "--lm 'reference' is not a model string"),  # a policy, not an LM
        (
            POLICIES,
            "",
            AgentError,
            "--lm is empty; use one of: reference, fixed, random, package.module:attribute, replay:TRAJECTORY.jsonl, PROVIDER/MODEL",
        ),
        (POLICIES, "gpt4", AgentError, "--lm 'gpt4' is not a model string"),
        (POLICIES, "mod:", AgentError, "unknown policy 'mod:'; use one of: reference"),
        (POLICIES, "replay:", AgentError, "policy replay needs an argument: replay:TRAJECTORY.jsonl"),
        (POLICIES, "fixed:64", AgentError, "policy fixed takes no argument: give fixed, not 'fixed:64'"),
        (RULE_POLICIES, "nope", ConfigError, "unknown policy 'nope'; use one of: reference, fixed, random, package.module:attribute"),
        (PRODUCERS, "nope", ConfigError, "unknown producer 'nope'; use one of: random, rule, retrieval, teacher, lm:PROVIDER/MODEL"),
        (PRODUCERS, "openai/gpt-4o-mini", ConfigError, "unknown producer 'openai/gpt-4o-mini'"),  # a model is lm:MODEL here
        (PRODUCERS, "lm", ConfigError, "producer lm needs an argument: lm:PROVIDER/MODEL"),
        (PRODUCERS, "lm:gpt", ConfigError, "--producers lm: 'gpt' is not a model string; use one of: PROVIDER/MODEL"),
        (PRODUCERS, "program:", ConfigError, "producer program needs an argument: program:COMPILE_DIR"),
        (PRODUCERS, "student-gguf", ConfigError, "producer student-gguf needs an argument: student-gguf:SPEC"),
        (PRODUCERS, "rule:x", ConfigError, "producer rule takes no argument"),
    ],
)
def test_a_bad_spec_is_one_line_naming_it_and_the_forms_taken(grammar, text, error, message):
    with pytest.raises(error) as caught:
        grammar.parse(text)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_registered_producers_join_the_grammar_until_removed():
    from optimize.eval import producers

    producers.register("echo", lambda arg, ctx: producers.RuleProducer(), needs_arg=True)
    try:
        assert producers.parse_specs("rule, echo:x") == ["rule", "echo:x"]
        assert "echo:ARG" in producers.grammar().usage()
        with pytest.raises(ConfigError, match="producer echo needs an argument: echo:ARG"):
            producers.parse_specs("echo")
        with pytest.raises(ConfigError, match="listed twice"):
            producers.parse_specs("echo:x,echo:x")
    finally:
        producers.REGISTRY.pop("echo")
    with pytest.raises(ConfigError, match="unknown producer 'echo:x'"):
        producers.parse_specs("echo:x")


def test_each_layer_builds_what_the_parsed_spec_names(tmp_path):
    from agent.dj.lm_policy import LMPolicy
    from agent.lm import parse_lm
    from agent.policies import parse_policy
    from reference.policies import FixedPolicy

    assert isinstance(parse_policy("fixed"), FixedPolicy)
    policy = parse_policy("ollama_chat/llama3.2:1b", api_base="http://127.0.0.1:9/v1", temperature=0.3)
    assert isinstance(policy, LMPolicy) and policy.spec == parse_lm("ollama_chat/llama3.2:1b", api_base="http://127.0.0.1:9/v1", temperature=0.3)
    assert parse_lm("student:m", api_base="http://127.0.0.1:9/v1").api_base is None  # a student runs in-process
    with pytest.raises(AgentError, match="cannot load policy 'no_such_module:x'"):
        parse_policy("no_such_module:x")
    with pytest.raises(AgentError, match="no trajectory"):
        parse_policy(f"replay:{tmp_path / 'missing.jsonl'}")
