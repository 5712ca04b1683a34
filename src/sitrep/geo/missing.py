"""Names the geo stage recognised as places but could not resolve: the gazetteer's gaps.

An analyst who sees an event without a place wants to know which names the gazetteer lacks
across everything read so far, most frequent first, with the reason each stayed unresolved
and one sentence to judge it by: then a row in a user places file fixes it in a minute.
The stored analyses are read as they are; nothing is analysed again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sitrep import lang
from sitrep.models import Analysis

__all__ = ["MissingName", "missing"]


@dataclass
class MissingName:
    """One unresolved name with how often and in how many articles it occurred."""

    name: str
    count: int
    articles: int
    reason: str | None
    example: str


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    left = text[max(0, start - width) : start].split("\n")[-1]
    right = text[end : end + width].split("\n")[0]
    return f"{left}[{text[start:end]}]{right}".strip()


def missing(analyses: Iterable[Analysis], language: str | None = None) -> list[MissingName]:
    """Unresolved place names over `analyses` (of one language if given), most frequent
    first; names are grouped as written, since spellings are what a user adds."""
    found: dict[str, MissingName] = {}
    seen_in: dict[str, set[str]] = {}
    for analysis in analyses:
        article = analysis.article
        if language and lang.base(article.language) != language:
            continue
        for place in analysis.places or []:
            if place.lat is not None:
                continue
            entry = found.get(place.mention)
            if entry is None:
                example = _context(article.text, place.start, place.end)
                entry = found[place.mention] = MissingName(
                    place.mention, 0, 0, place.reason, example
                )
                seen_in[place.mention] = set()
            entry.count += 1
            seen_in[place.mention].add(article.id)
            entry.articles = len(seen_in[place.mention])
    return sorted(found.values(), key=lambda m: (-m.count, m.name))
