"""The words around place names, per language: `sitrep/lang/<code>/places.json`.

Locative words, stop words, place nouns, name prefixes and compound heads for recognition;
the cues after a name ("X, a city in Y", "X County", "X Police") for resolution. The file's
"about" says what each list is for. The geo stage has always matched English and German
cues together in an article of either language, so most lists are read for every language
at once (`every_language`); only lists on one language's own path are read for that
language (`of_language`). A language without the file simply has no words.
"""

from __future__ import annotations

from sitrep import lang

__all__ = ["FILE", "Lists", "every_language", "of_language"]

FILE = "places.json"
Lists = dict[str, tuple[str, ...]]


def of_language(code: str | None) -> Lists:
    """The lists of one language (none for a language without the file)."""
    return lang.lists(code, FILE)


def every_language() -> Lists:
    """The lists of every language with the file, merged (`lang.merged_lists`)."""
    return lang.merged_lists(FILE)
