"""The date that governs an event's sentence (`sitrep.events.dates`), read from the record
the text and time stages fill: the sentence's own date, a neighbour's in the paragraph,
else the week before publication."""

from __future__ import annotations

from sitrep import text as text_stage
from sitrep import time as time_stage
from sitrep.events.dates import governing_date
from sitrep.models import Analysis, Article, Published
from sitrep.settings import Settings


def _analysed(text: str, published: str | None, language: str = "de") -> Analysis:
    article = Article(
        id="0" * 16,
        source="test",
        text=text,
        language=language,
        published=Published(
            date=published,
            precision="day" if published else None,
            origin="metadata" if published else "unknown",
        ),
    )
    analysis = text_stage.run(Analysis(article=article), Settings())
    return time_stage.run(analysis, Settings())


def test_event_dates_own_sentence_then_the_week_before_publication() -> None:
    text = (
        "Am Donnerstag fiel die Stadt.\n\nDie Armee rückte vor. Es gab Kämpfe."
        "\n\nNeuer Absatz ohne Datum."
    )
    analysis = _analysed(text, "2017-11-04")
    own, precision = governing_date(analysis, 0, 29)
    assert own is not None and own.earliest == "2017-11-02" and precision == 1
    paragraph_start = text.index("Die Armee")
    fallback, precision = governing_date(analysis, paragraph_start, paragraph_start + 20)
    assert fallback is not None and fallback.precision == "week" and precision == 2
    assert fallback.latest == "2017-11-04"
    undated = _analysed("Die Armee rückte vor.", None)
    assert governing_date(undated, 0, 10) == (None, None)


def test_event_dates_from_the_paragraph() -> None:
    text = "Im Juli 2019 begann die Offensive. Die Armee rückte vor."
    analysis = _analysed(text, "2019-12-01")
    start = text.index("Die Armee")
    found, precision = governing_date(analysis, start, len(text))
    assert found is not None and found.earliest == "2019-07-01" and precision == 3


def test_event_dates_do_not_inherit_a_bare_year() -> None:
    text = "Nach einer Zählung von 2004 lebten dort 10.689 Menschen. Dann zog sich der IS zurück."
    analysis = _analysed(text, "2019-02-20")
    start = text.index("Dann")
    found, precision = governing_date(analysis, start, len(text))
    assert found is not None and found.precision == "week" and found.latest == "2019-02-20"
    assert precision == 2


def test_event_dates_a_page_stamp_dates_nothing_in_either_language() -> None:
    for text, language in (
        ("Published July 2 2016. Jets struck the town on June 30.", "en"),
        ("Veröffentlicht am 2. Juli 2016. Jets griffen die Stadt am 30. Juni an.", "de"),
    ):
        analysis = _analysed(text, "2016-07-02", language)
        stamp_end = text.index(".") + 1
        found, _ = governing_date(analysis, 0, stamp_end)
        assert found is not None and found.earliest != "2016-07-02", text  # not the stamp
        strike, precision = governing_date(analysis, stamp_end, len(text))
        assert strike is not None and strike.earliest == "2016-06-30" and precision == 1
