"""Near-duplicate texts: MinHash signatures over word three-grams, found through locality-
sensitive hashing of their bands (Broder, 1997; Leskovec, Rajaraman and Ullman, "Mining of
Massive Datasets", ch. 3).

A syndicated copy of a report, a republication with another outlet's furniture around it,
or an update that changes a figure and a sentence share most of their word three-grams
with the first text; unrelated reports on the same war share few. Two texts whose
signatures agree in at least `NEAR` of their `HASHES` positions (an estimate of the
three-grams' Jaccard similarity) are one article for Sitrep: the first one's analysis
serves both and both sources are kept. Each signature is cut into `BANDS` bands; texts
that agree on a whole band are the candidates the store compares, so a lookup never reads
every stored signature. With 16 bands of 8, a pair at Jaccard 0.8 shares a band with
probability 0.98, a pair at 0.3 with 0.001.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

HASHES = 128
BANDS = 16
NEAR = 0.8
_WORD = re.compile(r"\w+")
# Multiply-shift hashing (Dietzfelbinger et al., 1997), one (xor, odd multiplier) pair per
# signature position: 64-bit products wrap by design and the high half is the hash.
_MIX = np.random.default_rng(20_220_808).integers(0, 2**63, size=(2, HASHES), dtype=np.uint64)
_MIX[1] |= np.uint64(1)


def signature(text: str) -> np.ndarray | None:
    """The text's MinHash signature (`HASHES` uint32 values), or None for a text of
    fewer than three words, which is never compared."""
    words = _WORD.findall(text.lower())
    if len(words) < 3:
        return None
    shingles = {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}
    values = np.array(
        [
            int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")
            for s in shingles
        ],
        dtype=np.uint64,
    )
    mixed = ((values[None, :] ^ _MIX[0][:, None]) * _MIX[1][:, None]) >> np.uint64(32)
    return mixed.min(axis=1).astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (what the store indexes)."""
    rows = len(sig) // BANDS
    return [
        int.from_bytes(
            hashlib.blake2b(sig[band * rows : (band + 1) * rows].tobytes(), digest_size=8).digest(),
            "big",
            signed=True,
        )
        for band in range(BANDS)
    ]


def similarity(one: np.ndarray, other: np.ndarray) -> float:
    """The share of signature positions that agree: an estimate of the Jaccard similarity
    of the two texts' word three-grams."""
    return float(np.mean(one == other))
