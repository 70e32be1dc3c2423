"""Schema-constrained greedy decoding: a field decoder that can only emit a valid MusicConfig.

The output is always the compact JSON of `prompts.completion` (the text the
student was trained on): keys, quotes and punctuation are forced; at each
value the model chooses only among the allowed values' tokens. For field i the
candidates are the tokenisations of `text so far + value + separator` for
every allowed value (tokenised jointly, as in training); the shared token
prefix is fed as forced tokens, then a token trie over the rest is walked
greedily, scoring only the trie's children: the last hidden state times those
rows of the (tied) output embedding. About 20-30 small forward passes per
config, with the KV cache. Greedy and deterministic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from agent.student.prompts import prompt as build_prompt
from tools.schema import FIELDS, MusicConfig, choices


@dataclass
class Decoded:
    text: str
    config: MusicConfig
    forward_passes: int
    new_tokens: int


def _value_text(value) -> str:
    return json.dumps(value)


def _separator(index: int) -> str:
    return f',"{FIELDS[index + 1]}":' if index + 1 < len(FIELDS) else "}"


class FieldDecoder:
    """`decoder(vibe) -> Decoded`, for a causal LM whose output layer is tied to its input embedding."""

    def __init__(self, model, tokenizer) -> None:
        import torch

        self.torch = torch
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.inner = model.get_decoder() if hasattr(model, "get_decoder") else model.model
        self.head = model.get_output_embeddings().weight
        self.softcap = getattr(model.config, "final_logit_softcapping", None)

    def _encode(self, text: str) -> list[int]:
        return self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def _feed(self, tokens: list[int], state: dict) -> None:
        """Run `tokens` through the model on top of the cache; keep the last hidden state."""
        torch = self.torch
        ids = torch.tensor([tokens], dtype=torch.long)
        out = self.inner(input_ids=ids, past_key_values=state["cache"], use_cache=True)
        state["cache"] = out.past_key_values
        state["hidden"] = out.last_hidden_state[0, -1]
        state["fed"].extend(tokens)
        state["passes"] += 1

    def _restart(self, tokens: list[int], state: dict) -> None:
        """Tokenisation of the text so far changed at the boundary: rebuild the cache for `tokens`."""
        state["cache"], state["fed"] = None, []
        self._feed(tokens, state)

    def _pick(self, children: list[int], state: dict) -> int:
        rows = self.head[children]
        logits = rows @ state["hidden"]
        return children[int(self.torch.argmax(logits))]

    def __call__(self, vibe: str, prompt_text: str | None = None) -> Decoded:
        torch = self.torch
        prompt_text = prompt_text or build_prompt(vibe)
        bos = [self.tokenizer.bos_token_id] if self.tokenizer.bos_token_id is not None else []
        state = {"cache": None, "fed": [], "passes": 0, "hidden": None}
        text = prompt_text + " {" + f'"{FIELDS[0]}":'
        with torch.inference_mode():
            prompt_tokens = bos + self._encode(prompt_text)
            self._feed(prompt_tokens, state)
            for index, field in enumerate(FIELDS):
                values = list(choices(field))
                sequences = [bos + self._encode(text + _value_text(v) + _separator(index)) for v in values]
                shared = _common_prefix(sequences)
                if state["fed"] != shared[:len(state["fed"])]:
                    common = _common_prefix([state["fed"], shared])
                    self._restart(shared[:max(len(common), len(prompt_tokens))], state)
                if len(shared) > len(state["fed"]):
                    self._feed(shared[len(state["fed"]):], state)
                alive = list(range(len(values)))
                position = len(state["fed"])
                while len(alive) > 1:
                    children = sorted({sequences[i][position] for i in alive if len(sequences[i]) > position})
                    token = children[0] if len(children) == 1 else self._pick(children, state)
                    alive = [i for i in alive if len(sequences[i]) > position and sequences[i][position] == token]
                    self._feed([token], state)
                    position += 1
                    alive = _drop_finished(alive, sequences, position)
                chosen = values[alive[0]]
                text = text + _value_text(chosen) + _separator(index)
        completion = text[len(prompt_text):].strip()
        return Decoded(completion, MusicConfig.parse(completion), state["passes"], len(state["fed"]) - len(prompt_tokens))


def _drop_finished(alive: list[int], sequences: list[list[int]], position: int) -> list[int]:
    """A candidate whose tokens are all fed while others go on is a prefix of them: keep it only if alone."""
    finished = [i for i in alive if len(sequences[i]) <= position]
    return finished[:1] if finished and len(finished) == len(alive) else [i for i in alive if len(sequences[i]) > position] or finished[:1]


def _common_prefix(sequences: list[list[int]]) -> list[int]:
    first = sequences[0]
    length = len(first)
    for other in sequences[1:]:
        length = min(length, len(other))
        for position in range(length):
            if other[position] != first[position]:
                length = position
                break
    return first[:length]
