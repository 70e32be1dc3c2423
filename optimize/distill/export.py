"""Export a merged student: HF folder (safetensors + tokenizer + model card), GGUF Q8_0, ONNX, or a LoRA adapter
GGUF over its PyPI base (`optimize.distill.adapter`: the form the project ships); each reload-checked.

- hf: `save_pretrained(safe_serialization=True)`, the tokenizer (with
  tokenizer.model) and a model card (README.md with HF front matter).
- gguf: llama.cpp's `convert_hf_to_gguf.py --outtype q8_0`, taken from the
  llama-cpp-python sdist (`pip download --no-deps --no-binary :all:
  llama-cpp-python==0.3.36`, cached under cache_root()/distill/llama.cpp); it
  reads tokenizer.model. Reloaded with transformers' GGUF reader (dequantised).
- onnx: torch.onnx's dynamo exporter (`optimize/distill/onnx.py`), reloaded with
  ONNX Runtime. (optimum-onnx would need transformers<4.58, an environment of its own.)

Each export is reloaded and must map the first `check` held-out test vibes to
the same configs as the PyTorch model (greedy, constrained decoder); the count
that agree is written in `export.json`.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from agent.student.neighbours import FILE as NEIGHBOURS_FILE
from optimize.distill.adapter import adapter_configs, export_adapter, lineage, record_check
from optimize.distill.base import LICENCES
from optimize.distill.llama_cpp import convert_gguf
from tools.errors import ConfigError
from tools.files import write_json, write_text


def held_out_vibes(data: Path | None, count: int) -> list[str]:
    from optimize.distill.data import read_records, split_file

    if data is None:
        from optimize.vibes.data import load_split

        return [item["vibe"] for item in load_split("test")][:count]
    return [r["vibe"] for r in read_records(split_file(data, "test"), count)]


def configs_of(model_dir: Path, vibes: list[str], gguf_file: str | None = None) -> list[str]:
    """Greedy constrained configs of a model folder (or a GGUF file in it)."""
    from agent.student.model import Student

    student = Student(model_dir, threads=2, gguf_file=gguf_file)
    return [student.constrained(vibe) for vibe in vibes]


def gguf_configs(gguf_file: Path, vibes: list[str]) -> list[str]:
    """Greedy constrained configs of an exported GGUF on llama.cpp, the runtime it is exported for (transformers'
    GGUF loader drops settings llama.cpp keeps, such as the sliding-window layout)."""
    from agent.student.gguf import GgufStudent

    student = GgufStudent(gguf_file, gguf_file.parent, threads=2)
    return [student.constrained(vibe) for vibe in vibes]


def onnx_configs(graph: Path, vibes: list[str]) -> list[str]:
    """Greedy constrained configs of an exported ONNX graph on ONNX Runtime."""
    from transformers import AutoTokenizer

    from agent.student.decode import FieldDecoder
    from optimize.distill.onnx import OnnxRunner

    decoder = FieldDecoder(OnnxRunner(graph), AutoTokenizer.from_pretrained(graph.parent))
    return [decoder(vibe).text for vibe in vibes]


def model_card(stages: list[dict]) -> str:
    """The card of a merged model made by `stages` (its runs' settings, base first: `adapter.lineage`)."""
    base_model, licence_id, licence = LICENCES[stages[0]["model"]]
    lines = [
        "---",
        "library_name: transformers",
        f"license: {licence_id}",
        f"base_model: {base_model}",
        "pipeline_tag: text-generation",
        "tags: [vibesynth, music, json, distillation, trl, sft, grpo]",
        "---",
        "",
        "# vibesynth student: vibe -> synthesizer config",
        "",
        f"{base_model} (`{stages[0]['model']}`, from its PyPI GGUF, dequantised) fine-tuned with TRL on the vibesynth",
        "teacher dataset (best-of-N configs chosen by the vibe judge) in the stages below, each LoRA merged into the weights.",
        "Prompt (plain text, no chat template): the system prompt of `agent/student/prompts.py`, a blank line,",
        "`Vibe: <text>` and `Config: `; the completion is the compact JSON MusicConfig (19 fields).",
        "Serve it with `vibesynth serve-lm --model PATH` (schema-constrained: every answer is a valid config).",
        "",
        "## Training settings (one run.json per stage, base first)",
        "",
        "```json",
        json.dumps(stages, indent=2),
        "```",
        "",
        f"Licence: {licence} applies to the weights.",
        "",
    ]
    return "\n".join(lines)


def export_hf(model_dir: Path, target: Path) -> Path:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    if target.exists():
        shutil.rmtree(target)
    model.save_pretrained(target, safe_serialization=True)
    tokenizer.save_pretrained(target)
    for name in ("tokenizer.model", NEIGHBOURS_FILE):  # the neighbours: an export prompts as the model was trained
        if (model_dir / name).is_file():
            shutil.copy(model_dir / name, target / name)
    write_text(target / "README.md", model_card(lineage(model_dir)))
    return target


def export_gguf(hf_dir: Path, target: Path) -> Path:
    if not (hf_dir / "tokenizer.model").is_file():
        raise ConfigError(
            f"{hf_dir} has no tokenizer.model; llama.cpp's converter would write a wrong tokenizer "
            "without it (re-run the distill step, which copies it from the base)"
        )
    target.mkdir(parents=True, exist_ok=True)
    return convert_gguf(hf_dir, target / "student-q8_0.gguf", "q8_0")


def _copy_tokenizer(hf_dir: Path, target: Path) -> None:
    """The tokenizer, config (and neighbours index) beside an exported weights file, so the folder reloads on its own."""
    for name in ("tokenizer.json", "tokenizer_config.json", "config.json", NEIGHBOURS_FILE):
        if name != NEIGHBOURS_FILE or (hf_dir / name).is_file():
            shutil.copy(hf_dir / name, target / name)


def export_all(model_dir: Path, out: Path, formats: list[str], data: Path | None, check: int) -> dict:
    """Run the asked exports in order (the adapter from the model folder; hf before gguf and onnx, which start from it)
    and write out/export.json."""
    model_dir = Path(model_dir)
    if not (model_dir / "config.json").is_file():
        raise ConfigError(f"{model_dir} is not a model folder (no config.json); pass a distill run's model/ folder")
    out.mkdir(parents=True, exist_ok=True)
    vibes = held_out_vibes(data, check) if check else []
    reference = configs_of(model_dir, vibes) if vibes else []
    report: dict = {"source": str(model_dir), "vibes": vibes}
    hf_dir = out / "hf"
    if "adapter" in formats:
        started = time.monotonic()
        folder = export_adapter(model_dir, out / "adapter")
        report["adapter"] = _checked(folder, adapter_configs(folder, vibes) if vibes else [], reference, started)
        record_check(folder, report["adapter"])
    if {"hf", "gguf", "onnx"} & set(formats):
        started = time.monotonic()
        export_hf(model_dir, hf_dir)
        report["hf"] = _checked(hf_dir, configs_of(hf_dir, vibes) if vibes else [], reference, started)
    if "gguf" in formats:
        started = time.monotonic()
        gguf_file = export_gguf(hf_dir, out / "gguf")
        _copy_tokenizer(hf_dir, gguf_file.parent)
        report["gguf"] = _checked(gguf_file, gguf_configs(gguf_file, vibes) if vibes else [], reference, started)
    if "onnx" in formats:
        from optimize.distill.onnx import export_onnx

        started = time.monotonic()
        graph = export_onnx(hf_dir, out / "onnx")
        _copy_tokenizer(hf_dir, graph.parent)
        report["onnx"] = _checked(graph.parent, onnx_configs(graph, vibes) if vibes else [], reference, started)
    write_json(out / "export.json", report)
    return {k: v for k, v in report.items() if isinstance(v, dict)}


def _checked(path: Path, configs: list[str], reference: list[str], started: float) -> dict:
    agree = sum(a == b for a, b in zip(configs, reference, strict=True))
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size
    return {
        "path": str(path),
        "bytes": size,
        "checked": len(reference),
        "agree": agree,
        "seconds": round(time.monotonic() - started, 1),
        "disagreements": [{"reference": r, "export": c} for c, r in zip(configs, reference, strict=True) if c != r],
    }
