"""The student as an eval-suite producer: `student:PATH` (see `producer`)."""

from __future__ import annotations

import time

from tools.errors import ConfigError

THREADS = 2  # the eval runs one producer at a time: the student gets both cores of the 2-core target machine


def producer(arg: str, ctx):
    """Eval-suite factory: `student:PATH` (constrained), `student:PATH@free` (unconstrained greedy),
    `student:gemma-270m@fewshot` (the untrained base, 3 teacher examples outside the evaluated split in
    the prompt, constrained)."""
    from optimize.eval.producers import Producer, Production

    path, _, mode = arg.partition("@")
    if mode not in ("", "free", "fewshot"):
        raise ConfigError(f"student:{arg}: the mode after @ must be free or fewshot")
    shots = None
    if mode == "fewshot":
        from optimize.vibes.generate import normalise

        records = ctx.teacher.records if ctx.teacher else []
        source = [(r.vibe, r.config) for r in records if normalise(r.vibe) not in ctx.exclude][:3]
        if not source:
            raise ConfigError("student:...@fewshot takes its 3 examples from the teacher file; pass --teacher")
        shots = source
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
