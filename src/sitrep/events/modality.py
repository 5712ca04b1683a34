"""Sentences that talk about an event without reporting one: forecasts, threats, denials.

The cues are per-language data files (`lang/<code>/modality.txt`); a `before:` cue must
stand within five words before the trigger, a `sentence:` cue anywhere in the sentence, a
`period:` cue right before a time expression that makes the toll a count over a long
period ("since 2011").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from sitrep import lang
from sitrep.models import TimeSpan


@dataclass(frozen=True)
class Cues:
    """Compiled cues of one language."""

    before: re.Pattern[str] | None
    sentence: re.Pattern[str] | None
    period: re.Pattern[str] | None = None
    count: re.Pattern[str] | None = None


def _alternation(words: list[str], suffix: str) -> re.Pattern[str] | None:
    if not words:
        return None
    body = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{body})\b{suffix}", re.IGNORECASE)


@cache
def cues(language: str) -> Cues:
    """The cues of `language` (none for a language without a file)."""
    path = lang.path(language, "modality.txt")
    if path is None:
        return Cues(None, None)
    kinds: dict[str, list[str]] = {"before": [], "sentence": [], "period": [], "count": []}
    for line in path.read_text("utf-8").splitlines():
        kind, _, cue = line.partition(":")
        if not line.startswith("#") and kind.strip() in kinds and cue.strip():
            kinds[kind.strip()].append(cue.strip())
    return Cues(
        before=_alternation(kinds["before"], r"(?:\s+\S+){0,4}\s*$"),
        sentence=_alternation(kinds["sentence"], ""),
        period=_alternation(kinds["period"], r"(?:\s+\S+){0,2}\s*$"),
        count=_alternation(kinds["count"], ""),
    )


def is_unreal(
    sentence: str,
    trigger: int | None,
    language: str,
    dates: Sequence[tuple[int, int]] = (),
) -> bool:
    """True when the sentence forecasts, threatens, denies or supposes the event.

    `dates` are the sentence's time expressions (offsets in the sentence): they are blanked
    first, so the month in "On 3 May 2020" is never read as the modal "may".
    """
    for start, end in dates:
        sentence = sentence[:start] + " " * (end - start) + sentence[end:]
    found = cues(language)
    if found.sentence is not None and found.sentence.search(sentence):
        return True
    if trigger is None or found.before is None:
        return False
    return found.before.search(sentence[max(0, trigger - 60) : trigger]) is not None


MONTH_DAYS = 31


def is_cumulative(sentence: str, language: str, spans: Sequence[TimeSpan], offset: int) -> bool:
    """True when the sentence's toll adds up over more than a month ("350,000 killed since
    2011", "198 Zivilisten binnen fünf Monaten getötet"): a count, not one event's toll.

    `spans` are the sentence's time expressions, with offsets into the text the sentence
    starts at `offset` in.
    """
    found = cues(language)
    if found.count is not None and found.count.search(sentence):
        return True
    for span in spans:
        wide = _days(span)
        if wide is not None and wide > MONTH_DAYS and span.type == "DURATION":
            return True
        before = sentence[max(0, span.start - offset - 40) : span.start - offset]
        if found.period is not None and found.period.search(before):
            coarse = span.precision in ("month", "quarter", "year", "decade")
            if wide is None or wide > MONTH_DAYS or coarse:
                return True
    return False


def _days(span: TimeSpan) -> int | None:
    """How many days a time expression covers (a duration's length, else its range)."""
    if span.type == "DURATION" and span.value:
        match = re.fullmatch(r"P(\d+)([DWMY])", span.value)
        if match:
            return int(match.group(1)) * {"D": 1, "W": 7, "M": 30, "Y": 365}[match.group(2)]
        return None
    if span.earliest and span.latest:
        return (date.fromisoformat(span.latest) - date.fromisoformat(span.earliest)).days + 1
    return None
