"""llama.cpp's Python converters (model -> GGUF, LoRA -> GGUF) and its gguf-py, from the llama-cpp-python sdist on PyPI.

The wheel-free way to get them here (the network reaches PyPI, not GitHub): `pip download --no-deps
--no-binary :all: llama-cpp-python==LLAMA_CPP_VERSION`, unpacked once under the cache root.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from tools.errors import ConfigError
from tools.paths import cache_root

LLAMA_CPP_VERSION = "0.3.36"


def llama_cpp_dir() -> Path:
    """llama.cpp's converters (model and LoRA) and gguf-py from the llama-cpp-python sdist (downloaded once, unpacked in the cache)."""
    root = cache_root() / "distill" / f"llama-cpp-python-{LLAMA_CPP_VERSION}"
    script = root / "vendor" / "llama.cpp" / "convert_hf_to_gguf.py"
    if script.is_file() and script.with_name("convert_lora_to_gguf.py").is_file():
        return script.parent
    download = cache_root() / "distill" / "sdist"
    download.mkdir(parents=True, exist_ok=True)
    archives = list(download.glob(f"llama_cpp_python-{LLAMA_CPP_VERSION}.tar.gz"))
    if not archives:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            f"llama-cpp-python=={LLAMA_CPP_VERSION}",
            "-d",
            str(download),
        ]
        if subprocess.run(command, capture_output=True, text=True).returncode != 0:
            raise ConfigError(
                f"could not download the llama-cpp-python {LLAMA_CPP_VERSION} sdist (it carries "
                "llama.cpp's GGUF converter); check that PyPI is reachable, or use --formats hf"
            )
        archives = list(download.glob(f"llama_cpp_python-{LLAMA_CPP_VERSION}.tar.gz"))
    with tarfile.open(archives[0]) as archive:
        wanted = ("convert_hf_to_gguf", "convert_lora_to_gguf", "/gguf-py/", "/vendor/llama.cpp/conversion/")
        members = [m for m in archive.getmembers() if "/vendor/llama.cpp/" in m.name and any(w in m.name for w in wanted)]
        work = root.parent / (root.name + ".part")
        shutil.rmtree(work, ignore_errors=True)
        archive.extractall(work, members=members, filter="data")
        shutil.rmtree(root, ignore_errors=True)
        next(work.iterdir()).rename(root)
        shutil.rmtree(work, ignore_errors=True)
    return script.parent


def convert_gguf(hf_dir: Path, out_file: Path, outtype: str) -> Path:
    """llama.cpp's `convert_hf_to_gguf.py` (f32, f16, q8_0, ...), written to a temporary name and moved into place."""
    converter = llama_cpp_dir()
    out_file.parent.mkdir(parents=True, exist_ok=True)
    work = out_file.with_name(f".{out_file.name}.part")
    env = {"PYTHONPATH": str(converter / "gguf-py"), "PATH": "/usr/bin:/bin", "NO_LOCAL_GGUF": ""}
    command = [sys.executable, str(converter / "convert_hf_to_gguf.py"), str(hf_dir), "--outfile", str(work), "--outtype", outtype]
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0 or not work.is_file():
        work.unlink(missing_ok=True)
        tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ConfigError(f"llama.cpp's GGUF converter failed: {tail[0]}")
    work.replace(out_file)
    return out_file
