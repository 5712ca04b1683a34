"""Language identification: the configured set, unsupported and unknown languages, mixtures."""

from __future__ import annotations

from sitrep import language
from sitrep.models import Analysis, Article
from sitrep.settings import Settings


def _run(text: str, **settings: object) -> Analysis:
    analysis = Analysis(article=Article(id="x", source="test", text=text))
    return language.run(analysis, Settings(workers=1, **settings))


GERMAN = (
    "Die Demokratischen Kräfte Syriens haben den letzten Rest des Kalifats eingeschlossen. "
    "Tausende Zivilisten konnten sich über einen Fluchtkorridor retten."
)
ENGLISH = (
    "Iraqi forces and allied militias retook the town of al-Qaim near the Syrian border "
    "on Friday, according to officials in Baghdad."
)
FRENCH = (
    "Les forces irakiennes ont repris vendredi la ville d'Al-Qaïm, près de la frontière "
    "syrienne, selon des responsables à Bagdad."
)


def test_language_detects_german_and_english() -> None:
    assert _run(GERMAN).article.language == "de"
    assert _run(ENGLISH).article.language == "en"
    assert _run(GERMAN).article.warnings == []


def test_language_unsupported_is_reported_not_forced() -> None:
    analysis = _run(FRENCH)
    assert analysis.article.language == "fr"
    assert [w.code for w in analysis.article.warnings] == ["L002"]
    assert "fr is not among the analysed languages (en, de)" in analysis.article.warnings[0].message
    assert _run(FRENCH, languages=("en", "de", "fr")).article.warnings == []


def test_language_unknown_for_text_without_words() -> None:
    analysis = _run("2019 2020 2021 — 10.689 / 2.500 %")
    assert analysis.article.language is None
    assert [w.code for w in analysis.article.warnings] == ["L001"]


def test_language_mixed_article_is_flagged() -> None:
    analysis = _run(f"{GERMAN}\n{GERMAN}\n{ENGLISH}\n{ENGLISH}")
    assert analysis.article.language in {"de", "en"}
    assert [w.code for w in analysis.article.warnings] == ["L003"]
    assert "mixed-language text" in analysis.article.warnings[0].message


def test_language_forced_and_mismatch_warned() -> None:
    analysis = _run(ENGLISH, forced_language="de")
    assert analysis.article.language == "de"
    assert [w.code for w in analysis.article.warnings] == ["L004"]
    assert _run(GERMAN, forced_language="de").article.warnings == []


def test_language_arabic_and_cyrillic_are_named() -> None:
    assert (
        _run("قالت القوات العراقية إنها استعادت السيطرة على مدينة القائم").article.language == "ar"
    )
    assert (
        _run("Иракские войска освободили город Эль-Каим на границе с Сирией").article.language
        == "ru"
    )
