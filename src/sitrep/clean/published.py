"""The article's publication date: metadata, then the text, then the user, else unknown.

A wrong publication date is worse than none, because every relative date in the article
("am Donnerstag", "a year ago") is later anchored on it. So only explicit calendar dates
count — never "yesterday", never today's date — and the result says where it came from and
how precise it is. The text is searched only where a publication date sits: header lines at
the top (`date 2021-12`, `Datum: 31.12.2021`), a dateline opening the body
(`Bagdad, 31.12.2021 –`) and an agency trailer at the end (`(APA, 31.12.2021)`). That keeps
the search bounded however long the text is, and never mistakes a date the article merely
mentions ("Im Dezember 2017 …") for the day it was written.

Month names come from dateparser's locale data for the configured languages (plus English,
which metadata often uses), so a new language needs no code here; the header labels come
from the `date:` rules of the boilerplate phrase files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from dateparser.languages import default_loader

from sitrep.clean.boilerplate import load as load_rules
from sitrep.errors import Code
from sitrep.models import DateOrigin, Precision, Published
from sitrep.settings import Settings

Finding = tuple[Code, str]

_MIN_YEAR, _MAX_YEAR = 1900, 2100
_HEAD_CHARS = 800  # header lines sit in the first few lines
_DATELINE_CHARS = 1500  # a dateline opens the body, after a title and maybe a caption
_TAIL_CHARS = 300  # an agency trailer closes the last paragraph
_RANK = {"day": 0, "month": 1, "year": 2}
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")  # fmt: skip

_WEEKDAY = r"(?:[^\W\d_]{2,12}\.?,\s*)?"
_FORMS = (
    # 2021-12-31, 2021-12, 2019-04-10T12:00:00Z, 2021/12/31
    r"(?P<iy>\d{4})(?P<sep>[-/])(?P<im>\d{1,2})(?:(?P=sep)(?P<id>\d{1,2}))?(?!\d)",
    # 31/12/2021 or 12/31/2021: read only when one number cannot be a month
    r"(?P<sa>\d{1,2})/(?P<sb>\d{1,2})/(?P<sy>\d{4})(?!\d)",
    # 31.12.2021, 5.3.2019
    r"(?P<dd>\d{1,2})\.\s?(?P<dm>\d{1,2})\.\s?(?P<dy>\d{4})(?!\d)",
    # 10 April 2019, 5. März 2019, 3rd of May 2019
    r"(?P<td>\d{1,2})(?:\.|st|nd|rd|th)?\s+(?:of\s+)?(?P<tm>[^\W\d_]{3,12})\.?,?\s+(?P<ty>\d{4})(?!\d)",
    # April 10, 2019; Dec. 31 2021
    r"(?P<am>[^\W\d_]{3,12})\.?\s+(?P<ad>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<ay>\d{4})(?!\d)",
    # April 2019
    r"(?P<mm>[^\W\d_]{3,12})\.?,?\s+(?P<my>\d{4})(?!\d)",
)
_DATE = _WEEKDAY + "(?:" + "|".join(_FORMS) + ")"
_METADATA = re.compile(r"\s*" + _DATE + r"(?:[T\s,].*)?", re.IGNORECASE | re.DOTALL)
_YEAR_ONLY = re.compile(r"\s*(?P<oy>\d{4})\s*")
_DATELINE = re.compile(
    r"^[ \t]*[^\W\d_][\w .'’/-]{0,40}?,\s*" + _DATE + r"\s*(?:\([^()\n]{1,30}\)\s*)?[-–—]",
    re.IGNORECASE | re.MULTILINE,
)
_TRAILER = re.compile(r"\([^()\n,]{1,40},\s*" + _DATE + r"\)", re.IGNORECASE)


class _Found(NamedTuple):
    """A candidate date: the first day of the period it names, and its precision."""

    day: date
    precision: Precision


def find(
    text: str, metadata: Sequence[str | None], settings: Settings
) -> tuple[Published, list[Finding]]:
    """The publication date of an article whose raw (not yet cleaned) text is `text`.

    `metadata` lists the dates the source itself gave, best first (a feed's field, the
    HTML's `article:published_time`). Returns the date and the problems met on the way.
    """
    findings: list[Finding] = []
    months = _months(settings.languages)
    for value in metadata:
        if value is None or not value.strip():
            continue
        found = _parse_metadata(value, months, findings)
        if found is not None:
            return _published(found, "metadata"), findings
    found = _from_text(text, settings, months, findings)
    if found is not None:
        return _published(found, "text"), findings
    if settings.user_date is not None:
        user = Published(date=settings.user_date.isoformat(), precision="day", origin="user")
        return user, findings
    findings.append((Code.NO_DATE, "no publication date in metadata or text; pass --date"))
    return Published(), findings


def _published(found: _Found, origin: DateOrigin) -> Published:
    return Published(date=found.day.isoformat(), precision=found.precision, origin=origin)


@lru_cache(maxsize=16)
def _months(languages: tuple[str, ...]) -> dict[str, int]:
    """Month name (lower case, no final dot) → month number, English first."""
    table: dict[str, int] = {}
    for language in ("en", *languages):
        try:
            info = default_loader.get_locale(language).info
        except ValueError:  # dateparser has no locale for it: numeric dates still work
            continue
        for number, key in enumerate(_MONTH_KEYS, 1):
            for word in info.get(key, ()):
                table.setdefault(word.lower().rstrip("."), number)
    return table


@lru_cache(maxsize=16)
def _header(labels: tuple[str, ...]) -> re.Pattern[str] | None:
    """`Label: <date>` at the start of a line, for the `date:` labels of the phrase files."""
    if not labels:
        return None
    alternatives = "|".join(f"(?:{label})" for label in labels)
    return re.compile(
        rf"^[ \t]*(?:{alternatives})\b[ \t]*:?[ \t]*" + _DATE, re.IGNORECASE | re.MULTILINE
    )


def _resolve(match: re.Match[str], months: dict[str, int]) -> _Found | str | None:
    """The date a grammar match names, an error string when it is impossible, or None when
    a word in the month slot is no month name (then it was not a date at all)."""
    group = match.groupdict()
    for year, month, day in (("iy", "im", "id"), ("dy", "dm", "dd"), ("oy", None, None)):
        if group.get(year):
            return _check(group[year], month and group[month], day and group[day])
    if group.get("sy"):
        first, second = group["sa"], group["sb"]
        if int(first) <= 12 and int(second) <= 12 and first.lstrip("0") != second.lstrip("0"):
            return f"{match.group().strip()!r} could be day/month or month/day"
        day, month = (second, first) if int(second) > 12 else (first, second)
        return _check(group["sy"], month, day)
    for year, name, day in (("ty", "tm", "td"), ("ay", "am", "ad"), ("my", "mm", None)):
        if group.get(year):
            number = months.get(group[name].lower())
            if number is None:
                return None
            return _check(group[year], str(number), day and group[day])
    return None


def _check(year: str, month: str | None, day: str | None) -> _Found | str:
    if not _MIN_YEAR <= int(year) <= _MAX_YEAR:
        return f"year {year} is outside {_MIN_YEAR}–{_MAX_YEAR}"
    try:
        first = date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        return str(exc)
    return _Found(first, "day" if day else "month" if month else "year")


def _parse_metadata(value: str, months: dict[str, int], findings: list[Finding]) -> _Found | None:
    match = _YEAR_ONLY.fullmatch(value) or _METADATA.fullmatch(value)
    result = _resolve(match, months) if match else None
    if isinstance(result, _Found):
        return result
    why = result or "not a calendar date"
    findings.append((Code.BAD_DATE, f"metadata date {value.strip()[:80]!r} ignored: {why}"))
    return None


def _from_text(
    text: str, settings: Settings, months: dict[str, int], findings: list[Finding]
) -> _Found | None:
    """The best date among header, dateline and trailer; bounded regions keep it linear."""
    matches: list[re.Match[str]] = []
    header = _header(load_rules(settings.languages).date_labels)
    if header is not None:
        matches += header.finditer(text, 0, _HEAD_CHARS)
    matches += _DATELINE.finditer(text, 0, _DATELINE_CHARS)
    tail = text.rstrip()
    matches += _TRAILER.finditer(tail, max(0, len(tail) - _TAIL_CHARS))
    found = []
    for match in matches:
        result = _resolve(match, months)
        if isinstance(result, str):
            findings.append(
                (Code.BAD_DATE, f"date {match.group().strip()!r} in the text ignored: {result}")
            )
        elif result is not None:
            found.append(result)
    return _choose(found, findings)


def _agrees(a: _Found, b: _Found) -> bool:
    """True when two dates can name the same day (2021-12 agrees with 2021-12-31)."""
    coarser = max(_RANK[a.precision], _RANK[b.precision])
    if a.day.year != b.day.year:
        return False
    if coarser <= _RANK["month"] and a.day.month != b.day.month:
        return False
    return coarser != _RANK["day"] or a.day == b.day


def _choose(found: list[_Found], findings: list[Finding]) -> _Found | None:
    """The most precise date that agrees with every other; on a conflict the best supported."""
    if not found:
        return None
    ranked = sorted(found, key=lambda item: _RANK[item.precision])  # stable: header first
    support = [sum(_agrees(item, other) for other in found) for item in ranked]
    best = ranked[support.index(max(support))]
    if max(support) < len(found):
        values = ", ".join(sorted({item.day.isoformat() for item in found}))
        findings.append(
            (Code.DATE_CONFLICT, f"the text gives conflicting dates ({values}); took {best.day}")
        )
    return best
