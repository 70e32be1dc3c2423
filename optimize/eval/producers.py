"""Producers of configs: anything that turns a vibe into MusicConfig JSON, behind one registry.

A producer spec is `NAME` or `NAME:ARG`, the forms of `tools.specs.PRODUCERS`
(`random`, `rule`, `retrieval`, `teacher`, `lm:openai/gpt-4o-mini`,
`program:COMPILE_DIR` (a compiled vibe program, its LM named in the sidecar),
`student:PATH` (a distilled model folder, in .venv-train), `student-gguf:SPEC`
(a GGUF or base on llama.cpp, in .venv-train), `musicgen[:CHECKPOINT|:modal|:URL]`
(text to audio, docs/learning/musicgen.md)). A factory `(arg, context) -> Producer`
is registered under NAME with `register`, or named lazily in LAZY ("module:function")
so heavy stacks load only when asked, as `student` is (optimize/distill/producer.py).

`Producer.produce(vibe, example_id)` returns a Production: the raw output text
(what a model wrote, scored for validity and schema), never raising for a bad
output; it raises only when the producer itself cannot run. An audio producer
(`makes = "audio"`, e.g. `musicgen`) returns the clip instead, made to the
run's clip spec (`ProducerContext.clip_seconds`, `.sample_rate`, `.seed`).
"""

from __future__ import annotations

import importlib
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from optimize.eval.teacher import TeacherSet
from optimize.vibes.generate import Embedder, normalise
from tools.errors import AgentError, ConfigError
from tools.paths import resolve_recorded
from tools.schema import FIELDS, MusicConfig, choices
from tools.specs import NEEDED, OPTIONAL, PRODUCERS, Form, Grammar


@dataclass
class Production:
    raw: str | None  # the output text as produced (None: nothing to score, see `missing`)
    attempts: int = 1
    note: str | None = None  # e.g. which train vibe retrieval copied
    missing: bool = False  # the producer has no answer for this vibe (teacher without a record)
    audio: np.ndarray | None = None  # an audio producer's clip, (frames, 2) float32 at `sample_rate`
    sample_rate: int | None = None
    cost_usd: float | None = None  # per clip, where the producer knows a price


@dataclass
class ProducerContext:
    """What producers may need, built once per run."""

    seed: int = 0
    train: list[dict] = field(default_factory=list)  # the train split (retrieval index)
    teacher: TeacherSet | None = None
    embed: Embedder | None = None
    api_base: str | None = None
    lm_retries: int = 2
    exclude: frozenset[str] = frozenset()  # normalised vibes evaluated (split and controllability pairs): never a retrieval answer
    quiet: bool = False  # no progress bars (long waits otherwise show one on stderr)
    clip_seconds: float = 8.0  # the clip an audio producer makes: the judge's length and rate
    sample_rate: int = 22050


EMBED_PROGRESS_MIN = 200  # texts embedded at once from which a progress bar shows (MiniLM: ~5 ms each uncached)
EMBED_CHUNK = 64


def embed_many(embed: Embedder, texts: list[str], what: str, quiet: bool = False) -> np.ndarray:
    """`embed(texts)` with a progress bar on stderr when there are many (the first run embeds thousands
    of texts, seconds to minutes). The texts go in chunks; an embedder maps each text on its own (MiniLM's
    `embed_texts` does, per text and cached), so the rows are exactly those of one call."""
    if quiet or len(texts) < EMBED_PROGRESS_MIN:
        return np.asarray(embed(texts))
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    parts = []
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(f"embedding {len(texts)} {what}", total=len(texts))
        for start in range(0, len(texts), EMBED_CHUNK):
            chunk = texts[start : start + EMBED_CHUNK]
            parts.append(np.asarray(embed(chunk)))
            progress.advance(task, len(chunk))
    return np.concatenate(parts)


class Producer:
    name: str = ""
    makes: str = "config"  # "audio": returns clips, not config text (config-only metrics do not apply)

    def produce(self, vibe: str, example_id: str) -> Production:
        raise NotImplementedError

    def describe(self) -> dict:
        return {"name": self.name}


def _dump(config: MusicConfig | dict) -> str:
    data = config.model_dump() if isinstance(config, MusicConfig) else config
    return json.dumps(data, sort_keys=False)


class RandomProducer(Producer):
    """Every field uniform over its values; seeded by (run seed, example id), so reruns agree."""

    name = "random"

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def produce(self, vibe: str, example_id: str) -> Production:
        rng = np.random.default_rng([self.seed, zlib.crc32(example_id.encode())])
        config = {}
        for name in FIELDS:
            values = choices(name)
            config[name] = values[int(rng.integers(len(values)))]
        return Production(_dump(config))


class RuleProducer(Producer):
    """The rule-based mapper of reference/vibe_mapper.py."""

    name = "rule"

    def produce(self, vibe: str, example_id: str) -> Production:
        from reference.vibe_mapper import map_vibe

        return Production(_dump(map_vibe(vibe)))


class RetrievalProducer(Producer):
    """Nearest train vibe by MiniLM cosine; copies its teacher config, else its rule-mapper config.

    Vibes of the evaluated split are left out of the index, so retrieval never copies the answer to the
    very vibe it is asked about (a teacher file may hold test vibes too).
    """

    name = "retrieval"

    def __init__(self, ctx: ProducerContext) -> None:
        if ctx.embed is None:
            raise ConfigError("retrieval needs the MiniLM embedder (aesthetics.embed); install the judge extra")
        self.embed = ctx.embed
        if ctx.teacher is not None:
            self.index = [(r.vibe, r.config) for r in ctx.teacher.records if normalise(r.vibe) not in ctx.exclude]
            self.source = f"teacher file {ctx.teacher.path}"
        else:
            if not ctx.train:
                raise ConfigError("retrieval needs the train split or a --teacher file to search; neither was given")
            from reference.vibe_mapper import map_vibe

            self.index = [(r["vibe"], map_vibe(r["vibe"])) for r in ctx.train if normalise(r["vibe"]) not in ctx.exclude]
            self.source = "train split, rule-mapper configs"
        if not self.index:
            raise ConfigError(f"retrieval has nothing to search: every vibe of the {self.source} is in the evaluated split")
        texts = [v for v, _ in self.index]
        shipped = ctx.teacher.embeddings if ctx.teacher is not None else {}
        missing = [t for t in dict.fromkeys(texts) if t not in shipped]
        embedded = dict(zip(missing, embed_many(self.embed, missing, f"retrieval vibes ({self.source})", ctx.quiet)))
        vectors = np.asarray([shipped[t] if t in shipped else embedded[t] for t in texts], dtype=np.float32)
        self.vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def produce(self, vibe: str, example_id: str) -> Production:
        query = np.asarray(self.embed([vibe]), dtype=np.float32)[0]
        sims = self.vectors @ (query / max(float(np.linalg.norm(query)), 1e-12))
        best = int(np.argmax(sims))
        neighbour, config = self.index[best]
        return Production(_dump(config), note=f"{neighbour} (cos {sims[best]:.3f})")

    def describe(self) -> dict:
        return {"name": self.name, "index": self.source, "size": len(self.index)}


class TeacherProducer(Producer):
    """Looks the vibe up in the teacher dataset; vibes it lacks are `missing`, not failures."""

    name = "teacher"

    def __init__(self, ctx: ProducerContext) -> None:
        if ctx.teacher is None:
            raise ConfigError("producer `teacher` needs a dataset; pass --teacher FILE.jsonl ({vibe, config} records)")
        self.teacher = ctx.teacher

    def produce(self, vibe: str, example_id: str) -> Production:
        record = self.teacher.get(vibe)
        if record is None:
            return Production(None, missing=True, note="no teacher record")
        return Production(_dump(record.config), note=record.source)

    def describe(self) -> dict:
        return {"name": self.name, "file": str(self.teacher.path), "records": len(self.teacher)}


class LMProducer(Producer):
    """An LM through the DSPy vibe program (agent/vibe.py), with its validation-feedback retries.

    `program_path` (producer `program:PATH`) loads a compiled program (agent.compiled); its LM comes
    from the compile sidecar unless a model is given.
    """

    def __init__(self, model: str | None, ctx: ProducerContext, program_path: str | None = None) -> None:
        from agent.lm import build_lm, parse_lm

        self.program, self.compiled = None, None
        if program_path is not None:
            from agent.compiled import load_vibe_program

            self.program, self.compiled = load_vibe_program(resolve_recorded(program_path))
            model = model or self.compiled["lm"]["model"]
            api_base = ctx.api_base or self.compiled["lm"].get("api_base")
        else:
            api_base = ctx.api_base
        self.spec = parse_lm(model, api_base=api_base, seed=ctx.seed)
        self.lm = build_lm(self.spec)
        self.retries = ctx.lm_retries
        self.name = f"lm:{model}"

    def produce(self, vibe: str, example_id: str) -> Production:
        from agent.vibe import vibe_to_config

        try:
            result = vibe_to_config(vibe, self.lm, retries=self.retries, program=self.program)
        except AgentError as err:
            return Production(_last_output(self.lm), attempts=self.retries + 1, note=str(err).splitlines()[0])
        return Production(_dump(result.config), attempts=result.attempts)

    def describe(self) -> dict:
        described = {"name": self.name, **self.spec.settings(), "retries": self.retries}
        if self.compiled is not None:
            described["program"] = {key: self.compiled.get(key) for key in ("optimizer", "split", "metric", "lm")}
        return described


def _last_output(lm) -> str | None:
    """The config JSON object the LM last wrote (for the schema score of a failed answer)."""
    if not getattr(lm, "history", None):
        return None
    outputs = lm.history[-1].get("outputs") or []
    text = str(outputs[0]) if outputs else ""
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if 0 <= start < end else text


Factory = Callable[[str, ProducerContext], Producer]
REGISTRY: dict[str, Factory] = {
    "random": lambda arg, ctx: RandomProducer(ctx.seed),
    "rule": lambda arg, ctx: RuleProducer(),
    "retrieval": lambda arg, ctx: RetrievalProducer(ctx),
    "teacher": lambda arg, ctx: TeacherProducer(ctx),
    "lm": lambda arg, ctx: LMProducer(arg, ctx),
    "program": lambda arg, ctx: LMProducer(None, ctx, program_path=arg),
}
LAZY: dict[str, str] = {  # name -> "module:factory", imported on first use
    "student": "optimize.distill.producer:producer",
    "student-gguf": "optimize.distill.producer:gguf_producer",  # the student on llama.cpp (xllamacpp), .venv-train
    "musicgen": "optimize.musicgen.producer:producer",  # audio: musicgen[:CHECKPOINT | :modal | :URL], in .venv-train or remote
}
ADDED: dict[str, Form] = {}  # the forms of registered producers


def register(name: str, factory: Factory, needs_arg: bool = False) -> None:
    REGISTRY[name] = factory
    ADDED[name] = Form(name, f"{name}:ARG" if needs_arg else name, NEEDED if needs_arg else OPTIONAL)


def grammar() -> Grammar:
    """The producer forms: the built-in ones and those registered (and not removed) since."""
    return PRODUCERS.with_forms(*(form for name, form in ADDED.items() if name in REGISTRY))


def parse_specs(text: str) -> list[str]:
    """`random,rule,lm:openai/x` -> specs as results record them (tools.specs.PRODUCERS; one-line error otherwise)."""
    texts = [s.strip() for s in text.split(",") if s.strip()]
    if not texts:
        raise ConfigError(f"no producers given; use --producers with some of: {grammar().usage()}")
    specs = [grammar().parse(spec).text for spec in texts]
    if len(set(specs)) != len(specs):
        raise ConfigError("a producer is listed twice in --producers; list each once")
    return specs


def make_producer(text: str, ctx: ProducerContext) -> Producer:
    spec = grammar().parse(text)
    if spec.kind not in REGISTRY and spec.kind in LAZY:
        module, _, attr = LAZY[spec.kind].partition(":")
        REGISTRY[spec.kind] = getattr(importlib.import_module(module), attr)
    producer = REGISTRY[spec.kind](spec.arg, ctx)
    producer.name = spec.text
    return producer
