"""The time stage: hand-made hard cases in English and German, and the seed articles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitrep import text as text_stage
from sitrep import time as sitrep_time
from sitrep.models import Analysis, Article, Published, Sentence
from sitrep.settings import Settings

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def _one(text: str, language: str, dct: date | None, mention: str, **kwargs: bool):
    spans = sitrep_time.tag(text, language, dct, **kwargs)
    found = [s for s in spans if s.mention == mention]
    assert found, f"{mention!r} not found in {[s.mention for s in spans]}"
    span = found[0]
    assert text[span.start : span.end] == span.mention
    return span


def _analysis(text: str, language: str, published: str | None) -> Analysis:
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
    return Analysis(article=article, sentences=[Sentence(start=0, end=len(text))])


def test_time_weekday_across_month_boundary() -> None:
    span = _one("Am Donnerstag griffen sie an.", "de", date(2021, 3, 2), "Donnerstag")
    assert span.value == "2021-02-25"
    assert (span.earliest, span.latest, span.precision) == ("2021-02-25", "2021-02-25", "day")


def test_time_weekday_across_year_boundary() -> None:
    span = _one(
        "Officials said last Friday that the raid failed.", "en", date(2022, 1, 3), "last Friday"
    )
    assert span.value == "2021-12-31"


def test_time_weekday_on_publication_day() -> None:
    assert (
        _one("teilte die Regierung am Freitag mit", "de", date(2021, 12, 31), "Freitag").value
        == "2021-12-31"
    )
    assert (
        _one("He said last Friday.", "en", date(2013, 3, 22), "last Friday").value == "2013-03-15"
    )


def test_time_weekday_future_tense() -> None:
    span = _one("The talks will resume on Monday.", "en", date(2013, 3, 22), "Monday")
    assert span.value == "2013-03-25"


def test_time_years_ago() -> None:
    assert (
        _one("Er kam vor vier Jahren.", "de", date(2021, 12, 31), "vor vier Jahren").value == "2017"
    )
    span = _one("the victory declared a year ago", "en", date(2018, 12, 14), "a year ago")
    assert (span.value, span.earliest, span.latest) == ("2017", "2017-01-01", "2017-12-31")


def test_time_last_july() -> None:
    assert (
        _one("im vergangenen Juli", "de", date(2021, 12, 31), "vergangenen Juli").value == "2021-07"
    )
    assert (
        _one("im vergangenen Juli", "de", date(2021, 3, 1), "vergangenen Juli").value == "2020-07"
    )
    assert (
        _one("It happened late last July.", "en", date(2013, 3, 22), "late last July").value
        == "2012-07"
    )


def test_time_german_day_ordinal_alone() -> None:
    assert (
        _one("Die Kämpfe begannen am 9. und", "de", date(2021, 12, 31), "9.").value == "2021-12-09"
    )
    assert (
        _one("Die Kämpfe begannen am 9. und", "de", date(2021, 12, 5), "9.").value == "2021-11-09"
    )
    span = _one("am 27. und 28. September 1939", "de", None, "27.")
    assert span.value == "1939-09-27"


def test_time_date_at_article_end_sets_not_before() -> None:
    text = (
        "Der Kampfeinsatz sei beendet. Im Juli hatten die USA den Abzug verkündet. "
        "(APA, 31.12.2021)"
    )
    analysis = sitrep_time.run(_analysis(text, "de", None), Settings())
    span = next(t for t in analysis.times if t.mention == "31.12.2021")
    assert span.value == "2021-12-31"
    assert analysis.article.published.not_before == "2021-12-31"
    assert analysis.article.published.date is None
    juli = next(t for t in analysis.times if t.mention == "Juli")
    assert juli.value == "XXXX-07" and juli.earliest is None


def test_time_unknown_dct_keeps_relative_unresolved() -> None:
    text = (
        "Vor vier Jahren begann es am 9. Februar, am Donnerstag kam das Ende. "
        "Seit 2014 kämpfen sie."
    )
    spans = {s.mention: s for s in sitrep_time.tag(text, "de", None)}
    assert spans["Vor vier Jahren"].value == "XXXX"
    assert spans["Vor vier Jahren"].earliest is None
    assert spans["9. Februar"].value == "XXXX-02-09"
    assert spans["Donnerstag"].value == "XXXX-WXX-4"
    assert spans["2014"].value == "2014"
    assert spans["2014"].earliest == "2014-01-01"


def test_time_since_reaches_publication() -> None:
    span = _one("Seit 2014 kämpfen sie.", "de", date(2021, 12, 31), "2014")
    assert (span.earliest, span.latest) == ("2014-01-01", "2021-12-31")


def test_time_absolute_forms() -> None:
    dct = date(2021, 12, 31)
    cases = {
        ("de", "am 31.12.2021"): ("31.12.2021", "2021-12-31"),
        ("de", "Im Dezember 2017 erklärte er"): ("Dezember 2017", "2017-12"),
        ("de", "am 9. Februar 2019"): ("9. Februar 2019", "2019-02-09"),
        ("de", "Anfang 2019"): ("Anfang 2019", "2019"),
        ("de", "in den 1990er Jahren"): ("den 1990er Jahren", "199"),
        ("de", "im 20. Jahrhundert"): ("20. Jahrhundert", "19"),
        ("de", "im ersten Quartal 2020"): ("ersten Quartal 2020", "2020-Q1"),
        ("en", "on December 4, 2017"): ("December 4, 2017", "2017-12-04"),
        ("en", "in December 2017"): ("December 2017", "2017-12"),
        ("en", "on 2019-03-23"): ("2019-03-23", "2019-03-23"),
        ("en", "in mid-2019"): ("mid-2019", "2019"),
        ("en", "in the 1990s"): ("the 1990s", "199"),
        ("en", "in 264 BC"): ("264 BC", "BC0264"),
        # wire copy's clock time: not the year 1615
        ("en", "at around 7.15pm (1615 GMT) when"): ("1615 GMT", "2021-12-31T16:15"),
    }
    for (language, text), (mention, value) in cases.items():
        assert _one(text, language, dct, mention).value == value, text


def test_time_parts_narrow_the_range() -> None:
    span = _one("Anfang 2019 begann es.", "de", None, "Anfang 2019")
    assert span.earliest == "2019-01-01" and span.latest < "2019-06-01"
    assert span.precision == "quarter"
    late = _one("in late 2017", "en", None, "late 2017")
    assert late.earliest > "2017-08-01" and late.latest == "2017-12-31"


def test_time_relative_periods() -> None:
    dct = date(2013, 3, 22)
    assert _one("this week", "en", dct, "this week").value == "2013-W12"
    assert _one("last month", "en", dct, "last month").value == "2013-02"
    assert _one("next year", "en", dct, "next year").value == "2014"
    assert _one("Ende dieses Jahres", "de", dct, "Ende dieses Jahres").value == "2013"
    assert _one("gestern", "de", dct, "gestern").value == "2013-03-21"


def test_time_durations_stay_durations() -> None:
    dct = date(2021, 12, 31)
    span = _one(
        "In den letzten zwei Wochen kamen 18 Peshmerga ums Leben.", "de", dct, "letzten zwei Wochen"
    )
    assert (span.type, span.value) == ("DURATION", "P2W")
    assert (span.earliest, span.latest) == ("2021-12-17", "2021-12-31")
    assert _one("15 days of war", "en", dct, "15 days").value == "P15D"
    assert _one("for the past two years", "en", dct, "the past two years").value == "P2Y"
    assert not [s for s in sitrep_time.tag("a 22-year-old man", "en", dct)]


def test_time_german_article_is_not_a_weekday() -> None:
    text = "Die Regierung und die Armee sagen, die Lage sei ruhig."
    assert sitrep_time.tag(text, "de", date(2021, 12, 31)) == []


def test_time_narrative_anchors_on_last_date() -> None:
    text = (
        "Der Krieg begann am 1. September 1939. Zwei Tage später erklärte Frankreich "
        "den Krieg. Im Mai griff die Wehrmacht an."
    )
    spans = {s.mention: s.value for s in sitrep_time.tag(text, "de", None, narrative=True)}
    assert spans["Zwei Tage später"] == "1939-09-03"
    assert spans["Mai"] == "1939-05"


def test_time_seed_002_dated() -> None:
    text = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    spans = sitrep_time.tag(text, "de", date(2021, 12, 31))
    values = {s.mention: s.value for s in spans}
    assert values["Freitag"] == "2021-12-31"
    assert values["Juli"] == "2021-07"
    assert values["Dezember 2017"] == "2017-12"
    assert values["2014"] == "2014"
    assert values["31.12.2021"] == "2021-12-31"


def test_time_seed_004_undated() -> None:
    text = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    span = next(s for s in sitrep_time.tag(text, "de", None) if s.mention == "9. Februar")
    assert span.value == "XXXX-02-09"
    assert span.earliest is None and span.latest is None


def test_time_seed_000_english() -> None:
    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    values = {s.mention: s.value for s in sitrep_time.tag(text, "en", date(2018, 12, 14))}
    assert values["This week"] == "2018-W50"
    assert values["a year ago"] == "2017"
    assert values["four years ago"] == "2014"
    assert values["August"] == "2018-08"


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_time_seed_offsets_are_exact(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    for language in ("en", "de"):
        for span in sitrep_time.tag(text, language, date(2021, 12, 31)):
            assert text[span.start : span.end] == span.mention
            if span.earliest:
                assert span.earliest <= span.latest


def test_time_stage_contract() -> None:
    assert sitrep_time.REQUIRES == (
        "article.text",
        "article.language",
        "article.published",
        "sentences",
    )
    assert sitrep_time.PROVIDES == ("times", "article.published.not_before")
    text = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    analysis = text_stage.run(_analysis(text, "de", "2021-12-31"), Settings())
    analysis = sitrep_time.run(analysis, Settings())
    assert analysis.times
    assert analysis.article.published.not_before == "2021-12-31"
    assert not analysis.article.warnings


def test_time_stage_skips_other_languages() -> None:
    analysis = sitrep_time.run(_analysis("Le 9 février 2019.", "fr", None), Settings())
    assert analysis.times == [] and not analysis.article.warnings


def test_time_to_timeml() -> None:
    text = "Am 9. Februar & danach"
    spans = sitrep_time.tag(text, "de", date(2019, 3, 1))
    out = sitrep_time.to_timeml(text, spans)
    assert '<TIMEX3 tid="t1" type="DATE" value="2019-02-09">9. Februar</TIMEX3>' in out
    assert "&amp; danach" in out
    assert out.startswith("<?xml")
