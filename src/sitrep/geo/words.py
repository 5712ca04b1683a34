"""The words around place names, per language: `sitrep/lang/<code>/places.json`.

Locative words, stop words, place nouns, name prefixes and compound heads for recognition;
the cues after a name ("X, a city in Y", "X County", "X Police") for resolution. The file's
"about" says what each list is for. The geo stage has always matched English and German
cues together in an article of either language, so most lists are read for every language
at once (`every_language`); only lists on one language's own path are read for that
language (`of_language`). A language without the file simply has no words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from sitrep import lang

__all__ = ["FILE", "Lists", "alternation", "every_language", "of_language"]

FILE = "places.json"
Lists = dict[str, tuple[str, ...]]


@cache
def of_language(code: str | None) -> Lists:
    """The lists of one language (none for a language without the file)."""
    data = lang.json_file(code, FILE) or {}
    return {key: tuple(words) for key, words in data.items() if isinstance(words, list)}


@cache
def _merged(codes: tuple[str, ...]) -> Lists:
    merged: dict[str, dict[str, None]] = {}
    for code in codes:
        for key, words in of_language(code).items():
            merged.setdefault(key, {}).update(dict.fromkeys(words))
    return {key: tuple(words) for key, words in merged.items()}


def every_language() -> Lists:
    """The lists of every language with the file, merged: each word once, in the order of
    the languages and then of the file (the order regex alternatives are tried in)."""
    return _merged(lang.with_file(FILE))


def alternation(words: Iterable[str], space: str = r"\s+") -> str:
    """A regex group matching any of the words as written, tried in their order, a space in
    a word matching `space`; a group that never matches when there are no words."""
    parts = [re.escape(word).replace(r"\ ", space) for word in words]
    return f"(?:{'|'.join(parts)})" if parts else "(?!)"
