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


def test_event_dates_only_the_next_sentence_dates_a_lead() -> None:
    """A lead told before its date takes the next sentence's ("Soldaten nahmen Kämpfer
    fest. Der Einsatz am 3. Mai …"); a date two sentences on is another story's."""
    dated = "Soldaten nahmen 15 Kämpfer fest. Der Einsatz fand am 3. Mai 2013 statt."
    lead, precision = governing_date(_analysed(dated, None), 0, dated.index(".") + 1)
    assert lead is not None and lead.earliest == "2013-05-03" and precision == 1
    far = "Soldaten nahmen 15 Kämpfer fest. Die Gruppe ist bekannt. Sie nahm im April 2012 Geiseln."
    assert governing_date(_analysed(far, None), 0, far.index(".") + 1) == (None, None)


def test_event_dates_an_undated_article_is_dated_by_the_day_it_closes_with() -> None:
    """German portals print the date at an article's foot: with no other date, events
    fall in the week before it, as before a publication date."""
    text = "Israels Armee griff ein Lager an. Zwei Menschen wurden verletzt. (7.8.2015)"
    analysis = _analysed(text, None)
    found, precision = governing_date(analysis, 0, text.index(".") + 1)
    assert found is not None and (found.earliest, found.latest) == ("2015-08-01", "2015-08-07")
    assert precision == 2
    dated_inside = _analysed("Am 7.8.2015 griff die Armee an. Danach blieb es ruhig.", None)
    start = dated_inside.article.text.index("Danach")
    assert governing_date(dated_inside, start, start + 10)[0] is not None  # the paragraph's
