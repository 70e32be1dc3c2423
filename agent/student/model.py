"""A trained student model: load a model folder, decode a vibe into a config.

`Student(path)` loads the merged model and tokenizer (float32, eager attention,
`threads` torch threads; `gguf_file` reads a GGUF in that folder instead, dequantised). `constrained(vibe)` is the field decoder (always a
valid config); `free(vibe)` is plain greedy generation (what the model writes
unaided, for export checks and validity measurements). A folder that holds
`neighbours.npz` (a model trained on retrieval-augmented prompts) is prompted
with each vibe's nearest teacher examples, as in training; `neighbours` passes
an index to an untrained base.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from agent.student.neighbours import FILE as NEIGHBOURS_FILE
from agent.student.neighbours import Neighbours
from agent.student.prompts import first_json_object, prompt
from tools.errors import ConfigError


class Student:
    def __init__(
        self,
        path: str | Path,
        threads: int | None = None,
        shots: list[tuple[str, dict]] | None = None,
        gguf_file: str | None = None,
        neighbours: Neighbours | None = None,
    ) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from agent.student.decode import FieldDecoder, TorchRunner

        if threads:
            torch.set_num_threads(threads)
        self.path = Path(path)
        if not (self.path / "config.json").is_file():
            raise ConfigError(f"{path} is not a model folder (no config.json); pass a distill run's model/ folder or an export's hf/ folder")
        what = f"dequantising {gguf_file}" if gguf_file else "reading the weights"
        # a GGUF is dequantised on every load (~90 s for the 270M model): say so on a terminal, not silently
        with Console(stderr=True).status(f"loading the student from {self.path} ({what})"):
            self.tokenizer = AutoTokenizer.from_pretrained(self.path, gguf_file=gguf_file)
            self.tokenizer.padding_side = "left"
            self.model = AutoModelForCausalLM.from_pretrained(self.path, gguf_file=gguf_file, dtype=torch.float32, attn_implementation="eager").eval()
        self.shots = shots
        self.neighbours = neighbours or (Neighbours.load(self.path / NEIGHBOURS_FILE) if (self.path / NEIGHBOURS_FILE).is_file() else None)
        self.decoder = FieldDecoder(TorchRunner(self.model), self.tokenizer)
        self.torch = torch

    def prompt(self, vibe: str, shots: list[tuple[str, dict]] | None = None) -> str:
        """The prompt with `shots` (a request's demos) when given, else the student's own shots."""
        return prompt(vibe, shots if shots is not None else self.shots, self.retrieved(vibe))

    def retrieved(self, vibe: str) -> list[tuple[str, dict]] | None:
        """The vibe's nearest teacher examples (None: this student is not retrieval-augmented)."""
        return self.neighbours.nearest(vibe) if self.neighbours else None

    def constrained(self, vibe: str, shots: list[tuple[str, dict]] | None = None) -> str:
        return self.decoder(vibe, shots=shots if shots is not None else self.shots, neighbours=self.retrieved(vibe)).text

    def free(self, vibe: str, max_new_tokens: int = 120) -> str:
        """Greedy free-running generation, cut at the end of the first JSON object."""
        inputs = self.tokenizer(self.prompt(vibe), return_tensors="pt")
        with self.torch.inference_mode():
            out = self.model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=self.tokenizer.pad_token_id)
        text = self.tokenizer.decode(out[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
        return first_json_object(text)
