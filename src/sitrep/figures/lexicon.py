"""The figures lexicon: the words of `lang/<code>/figures.json` (what a count counts, the
cues saying what happened to it, the words joining and dividing tolls) as phrase tables.
A language without the file reads with every language's words at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sitrep import lang
from sitrep.figures.numbers import PhraseTable, phrase_key

__all__ = ["Lexicon", "load_lexicon"]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The words of `figures.json` that say what a count counts, compiled for matching."""

    compounds: bool
    subjects: PhraseTable
    subject_words: dict[str, str]
    endings: tuple[tuple[str, str], ...]
    generic: frozenset[str]
    cues: PhraseTable
    outcome_heads: frozenset[str]
    number_of: PhraseTable
    toll_phrases: PhraseTable  # "the death toll" → killed: what a bare number reaches
    toll_leads: PhraseTable  # what a toll's number follows ("has risen to", "auf")
    coordinators: PhraseTable
    inclusion: PhraseTable
    single: PhraseTable  # "a", "an", "ein": one person named without a number
    totals: PhraseTable
    clause_breaks: frozenset[str]
    subordinators: frozenset[str]
    of_words: frozenset[str]
    skip_after_of: frozenset[str]
    subject_stops: frozenset[str]
    possessives: frozenset[str]
    modifier_subjects: dict[str, str]


def _table(entries) -> PhraseTable:
    """A list (phrase → itself) or a mapping (value → [phrases]) as a phrase table."""
    table: dict[tuple[str, ...], str] = {}
    if isinstance(entries, dict):
        for value, phrases in entries.items():
            for phrase in phrases:
                table.setdefault(phrase_key(phrase), value)
    else:
        for phrase in entries:
            table[phrase_key(phrase)] = phrase
    return PhraseTable(table)


@lru_cache(maxsize=16)
def load_lexicon(language: str | None) -> Lexicon:
    """The lexicon of a language with a data file, else the union of all (read once)."""
    data = lang.json_files(language, "figures.json")
    merged: dict = {}
    for entry in data:
        for key, value in entry.items():
            if isinstance(value, dict):
                target = merged.setdefault(key, {})
                for name, words in value.items():
                    if isinstance(words, list):
                        target.setdefault(name, []).extend(words)
                    else:
                        target[name] = words
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            else:
                merged[key] = merged.get(key) or value
    words = {
        word: category
        for category, nouns in merged["subjects"].items()
        for word in nouns
        if " " not in word
    }
    endings = tuple(sorted(words.items(), key=lambda pair: -len(pair[0])))
    return Lexicon(
        compounds=bool(merged.get("compounds")),
        subjects=_table(merged["subjects"]),
        subject_words=words,
        endings=tuple(pair for pair in endings if len(pair[0]) >= 4),
        generic=frozenset(merged["generic"]),
        cues=_table(merged["cues"]),
        outcome_heads=frozenset(merged["outcome_heads"]),
        number_of=_table(merged["number_of"]),
        toll_phrases=_table(merged.get("toll_phrases", {})),
        toll_leads=_table(merged.get("toll_leads", [])),
        coordinators=_table(merged["coordinators"]),
        inclusion=_table(merged["inclusion"]),
        single=_table(merged.get("single", [])),
        totals=_table(merged["totals"]),
        clause_breaks=frozenset(merged["clause_breaks"]),
        subordinators=frozenset(merged["subordinators"]),
        of_words=frozenset(merged["of_words"]),
        skip_after_of=frozenset(merged["skip_after_of"]),
        subject_stops=frozenset(merged["subject_stops"]),
        possessives=frozenset(merged["possessives"]),
        modifier_subjects=dict(merged["modifier_subjects"]),
    )
