"""The student on llama.cpp (PyPI `xllamacpp`, a prebuilt CPU wheel): the same field decoder, a faster runtime.

`GgufStudent(gguf, tokenizer_dir)` loads a GGUF into an in-process llama.cpp
server (no HTTP from us: requests go through `Server.handle_completions`; the
library also opens a listener on 127.0.0.1 at a random port) and decodes with
`FieldDecoder`, so every answer is a valid config. Each question the decoder
asks (which of these child tokens comes next?) is one completion request:
the token ids so far as the prompt, one token to predict, greedy, and a
logit bias of +BIAS on exactly the children; the reply's token is checked to be
one of them (never silently anything else). llama.cpp's prompt cache keeps
each slot's KV cache and re-reads only the tokens after the common prefix,
which is what `TorchRunner`'s cropping does in torch. Gemma 3's sliding-window
layers need `swa_full` for that cache to be cut anywhere.

`decode_many(vibes)` is the batched path: `slots` workers, each on its own
server slot, decode different vibes at once, and llama.cpp's continuous
batching runs their forward passes together in one batch. The results do not
depend on the number of slots (each vibe is decoded greedily on its own).

This is its own runtime and its own eval producer (`student-gguf:`): quantised
weights can choose differently from the torch model, so its quality is
measured, never assumed to be the torch decoder's.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from agent.student.decode import Decoded, FieldDecoder
from agent.student.neighbours import FILE as NEIGHBOURS_FILE
from agent.student.neighbours import Neighbours
from tools.errors import ConfigError

BIAS = 100.0  # added to the children's logits: far above any logit gap to the rest of the vocabulary
SLOT_CONTEXT = 1024  # tokens per slot: a retrieval prompt with 4 neighbours and the config fit in ~600


class LlamaRunner:
    """A `Runner` on one llama.cpp server slot."""

    def __init__(self, server, slot: int) -> None:
        self.server, self.slot, self.passes = server, slot, 0

    def start(self, prefix: list[int]) -> None:
        """Cut the slot's cache back to the shared prompt prefix. Without this a vibe would reuse as much of the
        previous vibe's text as happens to match, and floats summed over other chunks can flip a near tie:
        the same vibe would not always get the same config."""
        self._ask(prefix, [])
        self.passes = 0

    def choose(self, tokens: list[int], children: list[int]) -> int:
        reply = self._ask(tokens, [[child, BIAS] for child in children])
        self.passes += 1
        return int(reply["choices"][0]["logprobs"]["content"][0]["id"])

    def _ask(self, tokens: list[int], bias: list) -> dict:
        reply = self.server.handle_completions(
            {
                "prompt": tokens,
                "n_predict": 1,
                "temperature": 0.0,
                "cache_prompt": True,
                "id_slot": self.slot,
                "logit_bias": bias,
                "n_probs": 1,
            }
        )
        if "error" in reply:
            raise RuntimeError(f"llama.cpp refused a decoding step: {reply['error']}")
        return reply


class FolderTokenizer:
    """A model folder's tokenizer (`tokenizer.json`, `tokenizer_config.json`) through the `tokenizers` library, as the
    field decoder uses it: the same ids as transformers' fast tokenizer (a torch test checks it), without transformers.
    One instance is shared by the slots' decoders: the Rust tokenizer is not safe to call from two threads, so calls
    take a lock."""

    def __init__(self, folder: str | Path) -> None:
        from tokenizers import Tokenizer

        folder = Path(folder)
        if not (folder / "tokenizer.json").is_file():
            raise ConfigError(f"{folder} has no tokenizer.json; pass the model folder its GGUF came with")
        self.inner, self.lock = Tokenizer.from_file(str(folder / "tokenizer.json")), threading.Lock()
        config_file = folder / "tokenizer_config.json"
        bos = json.loads(config_file.read_text()).get("bos_token") if config_file.is_file() else None
        bos = bos.get("content") if isinstance(bos, dict) else bos
        self.bos_token_id = self.inner.token_to_id(bos) if bos else None

    def __call__(self, text: str, add_special_tokens: bool = False) -> dict:
        with self.lock:
            return {"input_ids": self.inner.encode(text, add_special_tokens=add_special_tokens).ids}


class GgufStudent:
    def __init__(
        self,
        gguf: str | Path,
        tokenizer_dir: str | Path,
        threads: int = 2,
        slots: int = 1,
        shots: list[tuple[str, dict]] | None = None,
        neighbours: Neighbours | None = None,
        lora: str | Path | None = None,
    ) -> None:
        """`lora`: a LoRA adapter GGUF applied to `gguf` at load (the shipped student: `agent.student.shipped`)."""
        try:
            import xllamacpp
        except ImportError:
            raise ConfigError("the llama.cpp runtime needs xllamacpp; run `make setup` (it installs xllamacpp into .venv and .venv-train)") from None

        self.path = Path(gguf)
        if not self.path.is_file() or self.path.suffix != ".gguf":
            raise ConfigError(f"{gguf} is not a GGUF file; pass a .gguf file, a folder holding one, or a base name")
        params = xllamacpp.CommonParams()
        params.model.path = str(self.path)
        if lora is not None:
            params.lora_adapters = [xllamacpp.CommonAdapterLoraInfo(str(lora), 1.0)]
        params.n_parallel = slots
        params.n_ctx = SLOT_CONTEXT * slots
        params.swa_full = True
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.warmup = False
        params.verbosity = -1
        self.server = xllamacpp.Server(params)
        self.threads, self.slots, self.lora = threads, slots, lora
        self.tokenizer = FolderTokenizer(tokenizer_dir)
        self.shots = shots
        index = Path(tokenizer_dir) / NEIGHBOURS_FILE  # beside the tokenizer: an export's or an adapter's folder
        self.neighbours = neighbours or (Neighbours.load(index) if index.is_file() else None)
        self.decoders = [FieldDecoder(LlamaRunner(self.server, slot), self.tokenizer) for slot in range(slots)]

    def retrieved(self, vibe: str) -> list[tuple[str, dict]] | None:
        return self.neighbours.nearest(vibe) if self.neighbours else None

    def decode(
        self, vibe: str, slot: int = 0, neighbours: list[tuple[str, dict]] | None = None, shots: list[tuple[str, dict]] | None = None
    ) -> Decoded:
        neighbours = neighbours if neighbours is not None else self.retrieved(vibe)
        return self.decoders[slot](vibe, shots=shots if shots is not None else self.shots, neighbours=neighbours)

    def constrained(self, vibe: str, shots: list[tuple[str, dict]] | None = None) -> str:
        """The config's JSON text; `shots` (a request's demos) replace the student's own shots."""
        return self.decode(vibe, shots=shots).text

    def decode_many(self, vibes: list[str]) -> list[Decoded]:
        """Decode many vibes at once: each slot's worker takes the next vibe; results in input order."""
        if self.slots == 1:
            return [self.decode(vibe) for vibe in vibes]
        retrieved = [self.retrieved(vibe) for vibe in vibes]  # embedding in this thread, before the workers start
        results: list[Decoded | None] = [None] * len(vibes)
        queue = iter(range(len(vibes)))
        lock = threading.Lock()

        def worker(slot: int) -> None:
            while True:
                with lock:
                    index = next(queue, None)
                if index is None:
                    return
                results[index] = self.decode(vibes[index], slot, retrieved[index])

        with ThreadPoolExecutor(self.slots) as pool:
            for future in [pool.submit(worker, slot) for slot in range(self.slots)]:
                future.result()
        return results
