"""What a search asks for, built the same way by the CLI, the API and the page: the words
(full text), the meaning (the query's multilingual vector, so that an English query finds
German articles and the reverse), or both fused into one ranking (the default)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from sitrep.errors import Code, UsageError

if TYPE_CHECKING:
    from sitrep.store import SearchQuery


class Mode(StrEnum):
    BOTH = "both"
    WORDS = "words"
    MEANING = "meaning"


def build(
    text: str,
    mode: Mode = Mode.BOTH,
    language: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> SearchQuery:
    """The query for `text`; raises UsageError when there is nothing to search for."""
    from sitrep.store import SearchQuery  # the CLI names `Mode` without loading the store

    text = text.strip()
    words_only = SearchQuery(text if mode is not Mode.MEANING else "", language, since, until)
    if mode is Mode.WORDS:
        if not words_only.words():
            raise UsageError(Code.BAD_SETTING, "give a word of three letters or more")
        return words_only
    if not text:
        raise UsageError(Code.BAD_SETTING, "give something to search for")
    from sitrep.stories import vectors  # loads the encoder: only when meaning is asked for

    fused = mode is Mode.BOTH
    return SearchQuery(
        words_only.text, language, since, until, vector=vectors.query(text), any_word=fused
    )
