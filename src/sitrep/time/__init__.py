"""When: temporal expressions in English and German, normalised against the article's date.

Public API:

- `tag(text, language, dct, narrative=False)` finds the expressions in `text` and gives
  each a TIMEX3 `type` and `value` and, for dates, an `earliest`/`latest` range with a
  `precision`. Relative expressions ("am Donnerstag", "a year ago") count from `dct`;
  without one they stay unresolved (`XXXX-WXX-4`, `XXXX`) and nothing is guessed. With
  `narrative=True` they count from the last date mentioned, as HeidelTime's narrative
  mode does.
- `run(analysis, settings)` is the pipeline stage: it fills `analysis.times` and
  `analysis.article.published.not_before` (the latest absolute date the text mentions).
  Which of them dates an event is the events stage's question (`events.dates`).
- `to_timeml(text, spans)` writes the text with inline `<TIMEX3>` tags.

The rules are per-language data files (`lang/<code>/time.json`, `time-patterns.txt`);
`dateparser` is not used: the rules are faster and it reads words such as "die" as days.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape, quoteattr

from sitrep import lang
from sitrep.models import Analysis, TimeSpan
from sitrep.settings import Settings
from sitrep.time import _lexicon, _tagger

__all__ = ["PROVIDES", "REQUIRES", "run", "tag", "to_timeml"]

REQUIRES = ("article.text", "article.language", "article.published", "sentences")
PROVIDES = ("times", "article.published.not_before")


def _spans(found: list[_tagger.Found], text: str, dct: date | None) -> list[TimeSpan]:
    spans = []
    for f in found:
        earliest = latest = precision = None
        if f.span is not None:
            first, last, precision = f.span
            if f.since and dct is not None and first <= dct and f.type in ("DATE", "TIME"):
                last = max(last, dct)
            earliest, latest = first.isoformat(), last.isoformat()
        spans.append(
            TimeSpan(
                mention=text[f.start : f.end],
                start=f.start,
                end=f.end,
                type=f.type,  # type: ignore[arg-type]
                value=f.value,
                earliest=earliest,
                latest=latest,
                precision=precision,  # type: ignore[arg-type]
            )
        )
    return spans


def _find(
    text: str,
    language: str,
    dct: date | None,
    narrative: bool,
    sentence_starts: list[int] | None = None,
) -> list[_tagger.Found]:
    try:
        lex = _lexicon.load(language)
    except KeyError:
        return []
    return _tagger.find(text, lex, dct, narrative, sentence_starts)


def tag(text: str, language: str, dct: date | None, narrative: bool = False) -> list[TimeSpan]:
    """The temporal expressions of `text` in `language` ("en", "de"), in text order.

    `dct` is the document's creation (publication) date, or None when unknown. Each span has
    exact offsets into `text`, a TIMEX3 `type` (DATE, TIME, DURATION, SET) and `value`
    ("2017-11-02", "2017-W45", "2017-11", "2017-Q1", "2017", "201", "P2W", "PRESENT_REF",
    "XXXX-02-09"); dates also get `earliest`, `latest` and `precision`. A "since"
    expression ("seit 2014") reaches up to `dct`. Durations keep a range only when they
    count back or forward from the DCT ("in den letzten zwei Wochen"). Languages without
    data files give an empty list.
    """
    return _spans(_find(text, language, dct, narrative), text, dct)


def run(analysis: Analysis, settings: Settings) -> Analysis:
    """The time stage: fill `analysis.times` and `article.published.not_before`.

    The DCT is `article.published.date` (a full date; None otherwise). Articles in a
    language without data files are left as they are, without a warning.
    """
    del settings  # one signature for every stage
    article = analysis.article
    language = lang.base(article.language)
    if language not in _lexicon.languages():
        return analysis
    dct = analysis.article.published.day()
    starts = [sentence.start for sentence in analysis.sentences]
    found = _find(article.text, language, dct, narrative=False, sentence_starts=starts)
    analysis.times = _spans(found, article.text, dct)
    bound = None
    for f in found:
        if f.absolute and f.span is not None and not f.future and not f.until:
            first = f.span[0]
            if bound is None or first > bound:
                bound = first
    article.published.not_before = bound.isoformat() if bound else None
    return analysis


def to_timeml(text: str, spans: list[TimeSpan]) -> str:
    """`text` as a TimeML document with inline `<TIMEX3 tid type value>` tags.

    Spans must not overlap (those from `tag` never do); they are numbered t1, t2, … in
    text order, the way HeidelTime writes its TimeML output.
    """
    parts = ['<?xml version="1.0"?>\n<!DOCTYPE TimeML SYSTEM "TimeML.dtd">\n<TimeML>\n']
    position = 0
    for number, span in enumerate(sorted(spans, key=lambda s: s.start), start=1):
        if span.start < position:
            continue
        parts.append(escape(text[position : span.start]))
        value = quoteattr(span.value or "")
        parts.append(
            f'<TIMEX3 tid="t{number}" type="{span.type}" value={value}>'
            f"{escape(text[span.start : span.end])}</TIMEX3>"
        )
        position = span.end
    parts.append(escape(text[position:]))
    parts.append("\n</TimeML>\n")
    return "".join(parts)
