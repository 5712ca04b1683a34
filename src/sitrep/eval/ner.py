"""Named-entity scorer: exact-span precision, recall and F1 on CoNLL, GermEval or WikiANN files.

`evaluate(path, lang)` reads gold sentences, tags their tokens with `sitrep.ner` and scores
exact spans. `overall` counts PER, LOC and ORG only (GermEval's OTH and its `…deriv`/`…part`
labels are left out; OTH and CoNLL's MISC are reported under `per_label` as MISC).

Readers are shared with `training/ner_de/finetune.py`, so training and evaluation read the data
the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from sitrep.eval.common import PRF

Sentence = tuple[list[str], list[tuple[int, int, str]]]
"""Words and entity spans (token start, token end exclusive, label)."""

CORE_LABELS = ("PER", "LOC", "ORG")
_LABELS = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC", "OTH": "MISC"}


def spans_from_tags(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans from IOB1 or IOB2 tags; labels outside `_LABELS` (deriv, part) are dropped."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for index, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label and start >= 0
        if not continues and start >= 0:
            if label in _LABELS:
                spans.append((start, index, _LABELS[label]))
            start, label = -1, ""
        if prefix in ("B", "I") and not continues:
            start, label = index, kind
    return spans


def read_sentences(path: Path) -> list[Sentence]:
    """Sentences of a GermEval TSV (outer level), WikiANN or CoNLL-2003 file."""
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if words:
            sentences.append((list(words), spans_from_tags(tags)))
        words.clear()
        tags.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.rstrip("\n")
        if not line.strip():
            flush()
            continue
        if line.startswith("#\t") or line.startswith("-DOCSTART-"):
            flush()
            continue
        if "\t" in line:
            parts = line.split("\t")
            if len(parts) >= 4 and parts[0].isdigit():  # GermEval: index, token, outer, nested
                word, tag = parts[1], parts[2]
            else:  # WikiANN: "de:token<TAB>tag"
                word, tag = parts[0], parts[-1]
                if len(word) > 3 and word[2] == ":":
                    word = word[3:]
        else:  # CoNLL-2003: token POS chunk NER
            parts = line.split(" ")
            word, tag = parts[0], parts[-1]
        words.append(word.replace("\u00ad", "") or word)
        tags.append(tag)
    flush()
    return sentences


def score(
    gold: Iterable[list[tuple[int, int, str]]], predicted: Iterable[list[tuple[int, int, str]]]
) -> dict[str, object]:
    """Exact-span scores: `overall` over PER/LOC/ORG and `per_label` for every label seen."""
    per_label: dict[str, PRF] = {}
    overall = PRF()
    for gold_spans, pred_spans in zip(gold, predicted, strict=True):
        gold_set, pred_set = set(gold_spans), set(pred_spans)
        for span in gold_set | pred_set:
            counts = PRF(
                tp=int(span in gold_set and span in pred_set),
                n_pred=int(span in pred_set),
                n_gold=int(span in gold_set),
            )
            per_label.setdefault(span[2], PRF())
            per_label[span[2]] += counts
            if span[2] in CORE_LABELS:
                overall += counts
    return {
        "overall": _scores(overall),
        "per_label": {label: _scores(per_label[label]) for label in sorted(per_label)},
    }


def _scores(counts: PRF) -> dict[str, float | int]:
    return {**counts.as_dict(), "gold": counts.n_gold, "predicted": counts.n_pred}


def evaluate(path: Path, lang: Literal["de", "en"]) -> dict[str, object]:
    """Score `sitrep.ner` on one gold file; returns `{"overall", "per_label", ...}`."""
    from sitrep.ner import token_entities

    sentences = read_sentences(Path(path))
    predicted = token_entities([words for words, _ in sentences], lang)
    result = score([spans for _, spans in sentences], predicted)
    result["file"] = str(path)
    result["language"] = lang
    result["sentences"] = len(sentences)
    return result
