"""The student as eval-suite producers: `student:PATH` (torch, see `producer`) and `student-gguf:SPEC`
(llama.cpp, see `gguf_producer`): two runtimes, two producers, each measured on its own. The shipped student
(`student`, no path) and any adapter folder (`student:ADAPTER_DIR`, `student-gguf:ADAPTER_DIR`) run on llama.cpp,
the runtime they ship for (`agent.student.shipped`)."""

from __future__ import annotations

import time

from tools.errors import ConfigError

THREADS = 2  # the eval runs one producer at a time: the student gets both cores of the 2-core target machine


def _fewshot(ctx) -> list[tuple[str, dict]]:
    from optimize.vibes.generate import normalise

    records = ctx.teacher.records if ctx.teacher else []
    source = [(r.vibe, r.config.model_dump()) for r in records if normalise(r.vibe) not in ctx.exclude][:3]
    if not source:
        raise ConfigError("the @fewshot mode takes its 3 examples from the teacher file; pass --teacher")
    return source


def gguf_spec(spec: str):
    """`student-gguf:` argument -> (GGUF file, tokenizer folder): a base name (gemma-270m, smollm2-135m, tiny),
    a .gguf file, or a folder holding one .gguf (an export's gguf/: its tokenizer files beside it)."""
    from pathlib import Path

    from optimize.distill.base import BASES, gguf_base

    if spec in BASES:
        return gguf_base(spec)
    path = Path(spec)
    if path.is_dir():
        found = sorted(path.glob("*.gguf"))
        if len(found) != 1:
            raise ConfigError(f"{spec} holds {len(found)} .gguf files; pass one file, or a folder with exactly one")
        path = found[0]
    if path.suffix != ".gguf" or not path.is_file():
        raise ConfigError(
            f"student-gguf:{spec} is neither a base ({', '.join(BASES)}) nor a .gguf file; export one with `vibesynth export --formats hf,gguf`"
        )
    if not (path.parent / "tokenizer.json").is_file():
        raise ConfigError(f"{path.parent} has no tokenizer.json beside {path.name}; export writes it there")
    return path, path.parent


def gguf_producer(arg: str, ctx):
    """Eval-suite factory: `student-gguf:SPEC` (llama.cpp, constrained, 1 slot) or `student-gguf:SPEC@fewshot`."""
    from agent.student import shipped
    from agent.student.gguf import GgufStudent

    spec, _, mode = arg.partition("@")
    if mode not in ("", "fewshot"):
        raise ConfigError(f"student-gguf:{arg}: the mode after @ must be fewshot")

    if shipped.is_adapter_folder(spec):
        if mode:
            raise ConfigError(f"student-gguf:{arg}: an adapter folder is a trained student; @fewshot is for a base")
        student = shipped.load(spec, threads=THREADS)
    else:
        gguf, tokenizer = gguf_spec(spec)
        student = GgufStudent(gguf, tokenizer, threads=THREADS, shots=_fewshot(ctx) if mode else None)
    return _llama_producer(student, "constrained" + (" fewshot" if mode else ""))


def _llama_producer(student, decoding: str):
    from optimize.eval.producers import Producer, Production

    class GgufProducer(Producer):
        def produce(self, vibe: str, example_id: str) -> Production:
            started = time.perf_counter()
            text = student.constrained(vibe)
            return Production(text, note=f"{time.perf_counter() - started:.3f}s")

        def describe(self) -> dict:
            return {
                "name": self.name,
                "model": str(student.path),
                "runtime": "llama.cpp (xllamacpp)",
                "adapter": str(student.lora) if student.lora else None,
                "decoding": decoding,
                "threads": THREADS,
                "neighbours": student.neighbours.k if student.neighbours else 0,
            }

    return GgufProducer()


def producer(arg: str, ctx):
    """Eval-suite factory: `student:PATH` (constrained), `student:PATH@free` (unconstrained greedy),
    `student:gemma-270m@fewshot` (the untrained base, 3 teacher examples outside the evaluated split in
    the prompt, constrained); `student` alone or with an adapter folder: on llama.cpp (`gguf_producer`)."""
    from agent.student import shipped
    from optimize.eval.producers import Producer, Production

    path, _, mode = arg.partition("@")
    if not path or shipped.is_adapter_folder(path):
        if mode:
            raise ConfigError(f"student:{arg}: the shipped student and adapter folders take no @mode")
        return _llama_producer(shipped.load(path or shipped.SHIPPED, threads=THREADS), "constrained")
    if mode not in ("", "free", "fewshot"):
        raise ConfigError(f"student:{arg}: the mode after @ must be free or fewshot")
    shots = _fewshot(ctx) if mode == "fewshot" else None
    from agent.student.model import Student
    from optimize.distill.base import resolve

    student = Student(resolve(path), threads=THREADS, shots=shots)

    class StudentProducer(Producer):
        def produce(self, vibe: str, example_id: str) -> Production:
            started = time.perf_counter()
            text = student.free(vibe) if mode == "free" else student.constrained(vibe)
            return Production(text, note=f"{time.perf_counter() - started:.3f}s")

        def describe(self) -> dict:
            return {"name": self.name, "model": str(student.path), "decoding": mode or "constrained", "threads": THREADS}

    return StudentProducer()
