"""Schema-constrained greedy decoding: a field decoder that can only emit a valid MusicConfig.

The output is always the compact JSON of `prompts.completion` (the text the
student was trained on): keys, quotes and punctuation are forced; at each
value the model chooses only among the allowed values' tokens. For field i the
candidates are the tokenisations of `text so far + value + separator` for
every allowed value (tokenised jointly, as in training); a token trie over
them is walked greedily and the model is asked only where the trie branches,
scoring only the branch tokens. Forced tokens are not run on their own: they
ride along with the next question, so a config costs one forward pass per
branch point (~20), not one per token. Greedy and deterministic.

The model sits behind a runner: `choose(tokens, children)` is the child token
the model ranks first after exactly `tokens` (a `ScoringRunner` takes the
argmax of its `logits(tokens, children)`, the children's scores; the llama.cpp
runner of agent/student/gguf.py has the server pick it). `TorchRunner` keeps a KV cache,
crops it where the token history changes (a value can retokenise the text
before it), and starts every call from a cached pass over the shared prompt
prefix (system prompt and shots), so calls don't depend on each other.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Protocol, Sequence

from agent.student.prompts import prompt as build_prompt
from agent.student.prompts import prompt_prefix
from tools.schema import FIELDS, MusicConfig, choices


@dataclass
class Decoded:
    text: str
    config: MusicConfig
    forward_passes: int
    new_tokens: int


class Runner(Protocol):
    passes: int

    def start(self, prefix: list[int]) -> None: ...

    def choose(self, tokens: list[int], children: list[int]) -> int: ...


class ScoringRunner:
    """A runner that scores the children (`logits`) and picks the highest (the first on a tie)."""

    def logits(self, tokens: list[int], children: list[int]) -> Sequence[float]:
        raise NotImplementedError

    def choose(self, tokens: list[int], children: list[int]) -> int:
        scores = self.logits(tokens, children)
        return children[max(range(len(children)), key=lambda k: float(scores[k]))]


class TorchRunner(ScoringRunner):
    """A causal LM with a tied output embedding, run incrementally on a KV cache."""

    def __init__(self, model) -> None:
        import torch

        self.torch = torch
        self.inner = model.get_decoder() if hasattr(model, "get_decoder") else model.model
        self.head = model.get_output_embeddings().weight
        self.passes = 0
        self.prefix: tuple[list[int], object, object] | None = None
        self.cache, self.fed, self.hidden = None, [], None

    def _feed(self, tokens: list[int]) -> None:
        ids = self.torch.tensor([tokens], dtype=self.torch.long)
        out = self.inner(input_ids=ids, past_key_values=self.cache, use_cache=True)
        self.cache, self.hidden = out.past_key_values, out.last_hidden_state[0, -1]
        self.fed = self.fed + tokens
        self.passes += 1

    def start(self, prefix: list[int]) -> None:
        """Reset to the cache after `prefix` (one pass, computed once per distinct prefix)."""
        self.passes = 0
        if self.prefix is None or self.prefix[0] != prefix:
            self.cache, self.fed = None, []
            with self.torch.inference_mode():
                self._feed(prefix)
            self.prefix = (list(prefix), self.cache, self.hidden)
        self.fed, self.cache, self.hidden = list(prefix), copy.deepcopy(self.prefix[1]), self.prefix[2]

    def logits(self, tokens: list[int], children: list[int]):
        keep = min(_common_length(self.fed, tokens), len(tokens) - 1)
        if keep < len(self.fed):
            self.cache.crop(keep)
            self.fed = self.fed[:keep]
        with self.torch.inference_mode():
            if len(tokens) > len(self.fed):
                self._feed(tokens[len(self.fed) :])
            return self.head[children] @ self.hidden


class FieldDecoder:
    """`decoder(vibe) -> Decoded` over a runner (the model) and its tokenizer."""

    def __init__(self, runner: Runner, tokenizer) -> None:
        self.runner = runner
        self.tokenizer = tokenizer
        self.bos = [tokenizer.bos_token_id] if tokenizer.bos_token_id is not None else []

    def _encode(self, text: str) -> list[int]:
        return self.bos + self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def __call__(
        self, vibe: str, prompt_text: str | None = None, shots: list[tuple[str, dict]] | None = None, neighbours: list[tuple[str, dict]] | None = None
    ) -> Decoded:
        prompt_text = prompt_text or build_prompt(vibe, shots, neighbours)
        prompt_tokens = self._encode(prompt_text)
        prefix = self._encode(prompt_prefix(shots, retrieval=bool(neighbours)))[:-1]  # minus the last token: it may merge
        self.runner.start(prefix if prompt_tokens[: len(prefix)] == prefix else prompt_tokens[:1])
        text = prompt_text + " {" + f'"{FIELDS[0]}":'
        for index, field in enumerate(FIELDS):
            values = list(choices(field))
            sequences = [self._encode(text + _value_text(v) + _separator(index)) for v in values]
            alive = list(range(len(values)))
            position = _common_length(*sequences)
            while len(alive) > 1:
                children = sorted({sequences[i][position] for i in alive if len(sequences[i]) > position})
                token = children[0]
                if len(children) > 1:
                    token = self.runner.choose(sequences[alive[0]][:position], children)
                    if token not in children:
                        raise RuntimeError(f"the runner chose token {token}, not one of the allowed {children}")
                alive = [i for i in alive if len(sequences[i]) > position and sequences[i][position] == token]
                position += 1
                alive = _drop_finished(alive, sequences, position)
            text = text + _value_text(values[alive[0]]) + _separator(index)
        completion = text[len(prompt_text) :].strip()
        new_tokens = len(self._encode(text)) - len(prompt_tokens)
        return Decoded(completion, MusicConfig.parse(completion), self.runner.passes, new_tokens)


def _value_text(value) -> str:
    return json.dumps(value)


def _separator(index: int) -> str:
    return f',"{FIELDS[index + 1]}":' if index + 1 < len(FIELDS) else "}"


def _drop_finished(alive: list[int], sequences: list[list[int]], position: int) -> list[int]:
    """A candidate whose tokens are all fed while others go on is a prefix of them: keep it only if alone."""
    finished = [i for i in alive if len(sequences[i]) <= position]
    return finished[:1] if finished and len(finished) == len(alive) else [i for i in alive if len(sequences[i]) > position] or finished[:1]


def _common_length(*sequences: list[int]) -> int:
    """Length of the longest common prefix of the sequences."""
    length = min(len(s) for s in sequences)
    first = sequences[0]
    for other in sequences[1:]:
        for position in range(length):
            if other[position] != first[position]:
                length = position
                break
    return length
