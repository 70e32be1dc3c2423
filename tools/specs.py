"""The one grammar for naming who makes something on the command line: `--lm`, `--producers`, a DJ policy.

A spec is one of these forms; each option takes some of them (its Grammar, below), and each layer builds
what a parsed Spec names (agent.lm an LM, agent.policies and reference.policies a DJ policy,
optimize.eval.producers a producer):

- `NAME`: a fixed maker (`rule`, `random`, `retrieval`, `teacher`, `reference`, `fixed`);
- `NAME:ARG`: a kind and its argument (`student-gguf:SPEC`, `program:PATH`, `lm:MODEL`,
  `replay:TRAJECTORY.jsonl`; `student[:PATH]` and `musicgen[:CHECKPOINT|:modal|:URL]` take one or not);
- `PROVIDER/MODEL`: a litellm model string (a ':' after the '/' is the model's: `ollama_chat/llama3.2:1b`);
- `package.module:attribute`: a Python object (a DJ policy).

A NAME the option knows, before the first ':', decides the form; otherwise a '/' makes a model string and a
':' an attribute path. Paths in arguments are recorded portably (tools.paths.recorded), an `@MODE` after
them kept as given. A bad spec is one error: what is wrong with it, then every form the option takes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tools.errors import AgentError, ConfigError, VibesynthError
from tools.paths import recorded

NONE, NEEDED, OPTIONAL = "none", "needed", "optional"  # whether a form takes an argument


@dataclass(frozen=True)
class Form:
    kind: str
    usage: str  # as errors and help list it
    arg: str = NONE
    path: bool = False  # the argument is a path (an `@MODE` after it aside), recorded portably
    inner: Grammar | None = None  # the argument is itself a spec of this grammar


@dataclass(frozen=True)
class Spec:
    """A parsed spec: its form's kind and argument (the whole text for a model string or attribute path)."""

    kind: str
    arg: str = ""

    @property
    def text(self) -> str:
        """The spec as records write it."""
        if self.kind in (MODEL.kind, OBJECT.kind):
            return self.arg
        return f"{self.kind}:{self.arg}" if self.arg else self.kind


@dataclass(frozen=True)
class Grammar:
    noun: str  # what a spec names here, in errors: "LM", "policy", "producer"
    option: str  # where it is given, in errors: "--lm"
    forms: tuple[Form, ...]
    error: type[VibesynthError] = ConfigError

    def usage(self) -> str:
        return ", ".join(form.usage for form in self.forms)

    def with_forms(self, *forms: Form) -> Grammar:
        return replace(self, forms=self.forms + forms)

    def parse(self, text: str) -> Spec:
        """The Spec `text` names, or this grammar's error naming it and the forms taken here."""
        value = text.strip()
        if not value:
            raise self._refuse(f"{self.option} is empty")
        name, colon, arg = value.partition(":")
        form = next((f for f in self.forms if f.kind == name and f not in (MODEL, OBJECT)), None)
        if form is None:
            return self._whole(value)
        if form.arg == NONE and colon:
            raise self.error(f"{self.noun} {name} takes no argument: give {form.usage}, not {value!r}")
        if form.arg == NEEDED and not arg:
            raise self.error(f"{self.noun} {name} needs an argument: {form.usage}")
        if form.inner is not None:
            arg = replace(form.inner, option=f"{self.option} {name}:", error=self.error).parse(arg).text
        elif form.path and arg:
            path, at, mode = arg.partition("@")
            arg = recorded(path) + at + mode
        return Spec(form.kind, arg)

    def _whole(self, value: str) -> Spec:
        """A model string or an attribute path, where this grammar takes one."""
        if MODEL in self.forms and "/" in value:
            provider, _, name = value.partition("/")
            if provider and name:
                return Spec(MODEL.kind, value)
            raise self._refuse(f"{self.option} {value!r} is not a model string")
        if OBJECT in self.forms and ":" in value:
            module, _, attribute = value.partition(":")
            if module and attribute:
                return Spec(OBJECT.kind, value)
        elif MODEL in self.forms:
            raise self._refuse(f"{self.option} {value!r} is not a model string")
        raise self._refuse(f"unknown {self.noun} {value!r}")

    def _refuse(self, problem: str) -> VibesynthError:
        return self.error(f"{problem}; use one of: {self.usage()}")


MODEL = Form("model", "PROVIDER/MODEL (e.g. openai/gpt-4o-mini, ollama_chat/llama3.2, or openai/NAME with --api-base http://127.0.0.1:PORT/v1)")
OBJECT = Form("object", "package.module:attribute")
STUDENT = Form("student", "student[:PATH]", OPTIONAL, path=True)  # the shipped student, or a model or adapter folder
LM = Grammar("LM", "--lm", (MODEL, STUDENT), AgentError)

RULE, RANDOM, RETRIEVAL, TEACHER, REFERENCE, FIXED = (Form(name, name) for name in ("rule", "random", "retrieval", "teacher", "reference", "fixed"))
REPLAY = Form("replay", "replay:TRAJECTORY.jsonl", NEEDED)
LM_PRODUCER = Form("lm", "lm:PROVIDER/MODEL", NEEDED, inner=LM)
PROGRAM = Form("program", "program:COMPILE_DIR", NEEDED, path=True)
STUDENT_GGUF = Form("student-gguf", "student-gguf:SPEC", NEEDED)  # a base name or .gguf: read as given
MUSICGEN = Form("musicgen", "musicgen[:CHECKPOINT|:modal|:URL]", OPTIONAL)

RULE_POLICIES = Grammar("policy", "policy", (REFERENCE, FIXED, RANDOM, OBJECT))  # the policies without an LM
POLICIES = Grammar("policy", "--lm", (*RULE_POLICIES.forms, REPLAY, *LM.forms), AgentError)
PRODUCERS = Grammar("producer", "--producers", (RANDOM, RULE, RETRIEVAL, TEACHER, LM_PRODUCER, PROGRAM, STUDENT, STUDENT_GGUF, MUSICGEN))
