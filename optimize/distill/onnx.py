"""ONNX export of a merged student, and a decoder runner on ONNX Runtime.

The graph maps `input_ids` [1, T] (T dynamic) to the logits of the last
position [1, vocab]; it has no KV cache, so each question the field decoder
asks re-reads the whole sequence: fine for checking an export, not the fast
path (that is `TorchRunner`). Exported with torch.onnx's dynamo exporter
(onnxscript); the weights go to an external data file beside the graph.
"""

from __future__ import annotations

from pathlib import Path

from agent.student.decode import ScoringRunner

GRAPH_NAME = "student.onnx"


def export_onnx(hf_dir: Path, target: Path) -> Path:
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(hf_dir, dtype=torch.float32, attn_implementation="eager").eval()

    class LastLogits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids):
            return self.model(input_ids=input_ids, use_cache=False, logits_to_keep=1).logits[:, -1]

    target.mkdir(parents=True, exist_ok=True)
    graph = target / GRAPH_NAME
    example = torch.tensor([[2, 818, 5279, 236787]], dtype=torch.long)  # any ids: only the shape is traced
    sequence = torch.export.Dim("sequence", min=2, max=2048)
    with torch.inference_mode():
        torch.onnx.export(
            LastLogits().eval(),
            (example,),
            str(graph),
            input_names=["input_ids"],
            output_names=["logits"],
            dynamic_shapes={"input_ids": {1: sequence}},
            dynamo=True,
            external_data=True,
            optimize=True,
            verbose=False,
        )
    return graph


class OnnxRunner(ScoringRunner):
    """`logits(tokens, children)` from an exported graph on ONNX Runtime (CPU)."""

    def __init__(self, graph: Path, threads: int = 2) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.passes = 0

    def start(self, prefix: list[int]) -> None:
        self.passes = 0

    def logits(self, tokens: list[int], children: list[int]):
        import numpy as np

        self.passes += 1
        logits = self.session.run(["logits"], {"input_ids": np.asarray([tokens], dtype=np.int64)})[0][0]
        return logits[children]
