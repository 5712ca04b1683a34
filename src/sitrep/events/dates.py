"""The date that governs an event's sentence, read from the time expressions on the record.

The time stage finds and resolves every time expression (`analysis.times`); which of them
dates an event is an events question: the most precise expression in the sentence (nearest
the trigger), else a neighbour's in the same paragraph, else the week before publication.
A date that stamps the page ("Published July 2 2016") dates nothing reported; the words
that say so are per language (`lang/<code>/date-stamps.txt`).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from sitrep import acled, lang
from sitrep.models import Analysis, DateRange, TimeSpan

__all__ = ["governing_date"]

_ORDER = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4, "decade": 5}
# A neighbour's date carries over only when it is at most a month wide: a bare year
# nearby ("nach einer Zählung von 2004") is usually context, not the event's date.
_INHERITED = frozenset({"day", "week", "month"})


def governing_date(
    analysis: Analysis, start: int, end: int, anchor: int | None = None
) -> tuple[DateRange | None, int | None]:
    """The date that governs the text between `start` and `end` (an event's sentence).

    In order: the most precise date expression inside the span (on a tie the one nearest
    `anchor`, the event's trigger: "On Thursday the ministry condemned air strikes on
    December 7" dates the strikes, not the statement; without an anchor the first);
    else the nearest date expression of at most month precision before it in the same
    paragraph (else one in the next sentence); else the article's date (or the day it
    closes with, when it has none), widened to the week before publication. Returns the
    range and ACLED's `time_precision` (1 day, 2 week, 3 month or coarser), or
    `(None, None)` when nothing settles it.
    """
    text = analysis.article.text
    inside = [
        t
        for t in analysis.times
        if _usable(t) and t.start >= start and t.end <= end and not _stamp(text, t)
    ]
    if inside:
        near = start if anchor is None else anchor
        best = min(
            inside, key=lambda t: (_ORDER.get(t.precision or "decade", 6), abs(t.start - near))
        )
        return _range(best), acled.time_precision(best.precision)
    low, high = analysis.paragraph_around(start, end)
    # after the sentence, only the next one: a lead told before its date ("Jihadists were
    # arrested. The raid on Tuesday …"); further on, dates are of other things
    following = next((s.end for s in analysis.sentences if s.start >= end), end)
    high = min(high, following)
    near_dates = [t for t in analysis.times if _usable(t) and t.precision in _INHERITED]
    before = [t for t in near_dates if low <= t.start and t.end <= start]
    after = [t for t in near_dates if end <= t.start and t.end <= high]
    if before or after:
        best = before[-1] if before else after[0]
        return _range(best), acled.time_precision(best.precision)
    published = analysis.article.published.day() or _closing_stamp(analysis)
    if published is None:
        return None, None
    first = date.fromordinal(published.toordinal() - 6)
    week = DateRange(earliest=first.isoformat(), latest=published.isoformat(), precision="week")
    return week, acled.time_precision("week")


CLOSING = 40  # characters from the end within which a day's date stamps the article


def _closing_stamp(analysis: Analysis) -> date | None:
    """The day an undated article closes with ("… Salafistengruppen. (7.8.2015)"): news
    portals print the article's date at its foot, so it dates the article as a
    publication date would."""
    text = analysis.article.text
    last = max(analysis.times, key=lambda t: t.end, default=None)
    if last is None or last.precision != "day" or not last.earliest:
        return None
    if len(text.rstrip()) - last.end > CLOSING:
        return None
    return date.fromisoformat(last.earliest)


def _usable(span: TimeSpan) -> bool:
    return span.type in ("DATE", "TIME") and span.earliest is not None


def _stamp(text: str, span: TimeSpan) -> bool:
    """The date stamps the page: after "Published" and the like, or opening the article
    ("Fri Dec 9 2016 US-Led Coalition's Bombing of Raqqa …")."""
    if _stamps().search(text[max(0, span.start - 30) : span.start]):
        return True
    return not re.sub(r"\W|\b[A-Za-z]{3}\b", "", text[: span.start])


@cache
def _stamps() -> re.Pattern[str]:
    """The page-stamp labels of every language: a page in one language quotes another's
    stamp often enough ("Stand: …" on an English page of a German outlet)."""
    words: dict[str, list[str]] = {"stamp": [], "link": []}
    for code in lang.with_file("date-stamps.txt"):
        for line in lang.lines(code, "date-stamps.txt"):
            kind, _, word = line.partition(":")
            if kind.strip() in words and word.strip():
                words[kind.strip()].append(re.escape(word.strip()).replace(r"\ ", r"\s+"))
    stamps = "|".join(words["stamp"]) or r"(?!)"
    links = "|".join([*words["link"], ":"])
    return re.compile(rf"(?:{stamps})\s*(?:{links})?\s*(?:\w+,?\s+)?$", re.IGNORECASE)


def _range(span: TimeSpan) -> DateRange:
    return DateRange(earliest=span.earliest, latest=span.latest, precision=span.precision)
