"""Sentence segmentation (`sitrep.text`): exact sentences on hand-made and seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep import text
from sitrep.models import Analysis, Article, Paragraph, Sentence
from sitrep.settings import Settings
from sitrep.text import segment

SEEDS = Path(__file__).parents[2] / "examples" / "seeds"


def split(source: str, language: str | None) -> list[str]:
    """The sentences of `source` as strings, after checking the offset contract."""
    sentences = segment(source, language)
    assert_contract(source, sentences)
    return [source[sentence.start : sentence.end] for sentence in sentences]


def assert_contract(source: str, sentences: list[Sentence]) -> None:
    """In order, no overlap, no surrounding whitespace, every non-space character once."""
    previous_end = 0
    for sentence in sentences:
        assert previous_end <= sentence.start < sentence.end <= len(source)
        piece = source[sentence.start : sentence.end]
        assert piece == piece.strip()
        assert source[previous_end : sentence.start].isspace() or previous_end == sentence.start
        previous_end = sentence.end
    assert not source[previous_end:].strip()


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def test_text_run_sets_sentences_on_the_analysis() -> None:
    article = Article(id="a1", source="test", language="de", text="Erster Satz. Zweiter Satz.")
    analysis = text.run(Analysis(article=article), Settings())
    assert analysis.sentences == [Sentence(start=0, end=12), Sentence(start=13, end=26)]
    assert analysis.paragraphs == [Paragraph(start=0, end=26)]


def test_text_paragraphs_end_at_blank_lines_and_hold_their_sentences() -> None:
    source = "Erster Absatz. Noch ein Satz.\n\n \nZweiter Absatz.\nZeile.\n\nDritter."
    analysis = text.run(
        Analysis(article=Article(id="a1", source="test", language="de", text=source)),
        Settings(),
    )
    bounds = [(p.start, p.end) for p in analysis.paragraphs]
    assert [source[a:b] for a, b in bounds] == [
        "Erster Absatz. Noch ein Satz.",
        "Zweiter Absatz.\nZeile.",
        "Dritter.",
    ]
    second = source.index("Zeile")
    assert analysis.paragraph_around(second, second + 6) == bounds[1]
    assert analysis.paragraph_around(0, second) == (0, bounds[1][1])  # spans two
    for sentence in analysis.sentences:
        low, high = analysis.paragraph_around(sentence.start, sentence.end)
        assert low <= sentence.start and sentence.end <= high


@pytest.mark.parametrize("source", ["", " ", "\n\n\t \u00a0\r\n"])
def test_text_empty_or_whitespace_gives_no_sentences(source: str) -> None:
    assert segment(source, "en") == []
    assert segment(source, None) == []


def test_text_offsets_exclude_surrounding_whitespace() -> None:
    source = "  \n Erster Satz.   Zweiter Satz.  \n"
    assert segment(source, "de") == [Sentence(start=4, end=16), Sentence(start=19, end=32)]


def test_text_blank_and_single_line_breaks_end_sentences() -> None:
    source = "Headline without a period\nFirst paragraph, no period\n\nSecond one.\r\nthird\r\n"
    assert split(source, "en") == [
        "Headline without a period",
        "First paragraph, no period",
        "Second one.",
        "third",
    ]


@pytest.mark.parametrize(
    "source",
    [
        "Die Offensive begann am 9. Februar mit dem Vorrücken.",
        "Am 3. Okt. 2019 begann die Offensive.",
        "Gekämpft wurde vom 1. bis 3. März an der Grenze.",
        "Das geschah im 20. Jahrhundert in Syrien.",
        "Die Koalition gab den 31.12.2021 als Ende an.",
        "Im Land bleiben 2.500 US-Soldaten.",
        "Es gab u.a. Angriffe, z.B. in Mossul, d.h. im Norden.",
        "Das sind ca. 300 bzw. 400 Kämpfer in Haus Nr. 5 am Ufer.",
        "Gesichert wurden sog. Schläferzellen v.a. in Anbar.",
        "Das kostete 2,5 Mio. Euro im 19. Jh. und mehr.",
        "Es kamen z. B. Kämpfer, d. h. Milizen.",
        "Franz J. Strauß kam am 3. 10. 2019 an.",
    ],
)
def test_text_german_ordinals_dates_and_abbreviations_do_not_split(source: str) -> None:
    assert split(source, "de") == [source]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Der IS eroberte Mossul im Jahr 2014. Danach floh die Armee.",
            ["Der IS eroberte Mossul im Jahr 2014.", "Danach floh die Armee."],
        ),
        (
            "Die Zahl der Toten stieg auf 12. Die Polizei ermittelt.",
            ["Die Zahl der Toten stieg auf 12.", "Die Polizei ermittelt."],
        ),
        (
            "Waffen, Munition usw. Kommandanten bestätigten das.",
            ["Waffen, Munition usw.", "Kommandanten bestätigten das."],
        ),
        (
            "Sie kamen am 3. Okt. Die Lage blieb ruhig.",
            ["Sie kamen am 3. Okt.", "Die Lage blieb ruhig."],
        ),
    ],
)
def test_text_german_sentence_ends_after_numbers_and_abbreviations(
    source: str, expected: list[str]
) -> None:
    assert split(source, "de") == expected


@pytest.mark.parametrize(
    "source",
    [
        "There were approx. 300 fighters in the town.",
        "The U.S. military and U.N. officials met Mr. Smith.",
        "Gen. Votel arrived on Jan. 5 at 3 p.m. on Friday.",
        "Lt. Col. John F. Kennedy visited St. Louis.",
        "Weapons, trucks, etc. were seized.",
    ],
)
def test_text_english_abbreviations_do_not_split(source: str) -> None:
    assert split(source, "en") == [source]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "He stayed in the U.S. The next day he left.",
            ["He stayed in the U.S.", "The next day he left."],
        ),
        (
            "The death toll rose to 12. Police said more had died.",
            ["The death toll rose to 12.", "Police said more had died."],
        ),
        (
            "Weapons, trucks, etc. Officials seized them all.",
            ["Weapons, trucks, etc.", "Officials seized them all."],
        ),
        (
            "They met at 5 p.m. It was quiet.",
            ["They met at 5 p.m.", "It was quiet."],
        ),
    ],
)
def test_text_english_sentence_ends_after_abbreviation_like_tokens(
    source: str, expected: list[str]
) -> None:
    assert split(source, "en") == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        ("He said “stop.” Then he left.", ["He said “stop.”", "Then he left."]),
        ("Er sagte: „Wir kommen.“ Dann ging er.", ["Er sagte: „Wir kommen.“", "Dann ging er."]),
        ("He left (see above.) Then he came.", ["He left (see above.)", "Then he came."]),
        ("Was? Wirklich?! Ja … Das stimmt.", ["Was?", "Wirklich?!", "Ja …", "Das stimmt."]),
        ("Er wartete... Dann kam er.", ["Er wartete...", "Dann kam er."]),
        ("„Wer?“ fragte er. Niemand.", ["„Wer?“ fragte er.", "Niemand."]),
        ("Dann … und weiter so.", ["Dann … und weiter so."]),
        ('She waited. "Who is there?" he asked.', ["She waited.", '"Who is there?" he asked.']),
    ],
)
def test_text_quotes_brackets_ellipses_and_question_marks(source: str, expected: list[str]) -> None:
    assert split(source, None) == expected


def test_text_closing_quote_left_alone_at_line_end_joins_the_sentence() -> None:
    source = 'He said it was over. "\nNext line.'
    assert split(source, "en") == ['He said it was over. "', "Next line."]


def test_text_sentence_may_start_with_quote_digit_or_lowercase_after_a_break() -> None:
    source = "Intro.\n„Zitat“ folgt.\n2.500 Soldaten bleiben.\nklein geschrieben."
    assert split(source, "de") == [
        "Intro.",
        "„Zitat“ folgt.",
        "2.500 Soldaten bleiben.",
        "klein geschrieben.",
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("12 345 678", ["12 345 678"]),
        ("2014. 2015. 2016.", ["2014.", "2015.", "2016."]),
        (
            "Он прибыл в 2014 г. Россия ответила. Затем всё.",
            ["Он прибыл в 2014 г. Россия ответила.", "Затем всё."],
        ),
        ("قال المتحدث. ثم غادر؟ نعم.", ["قال المتحدث.", "ثم غادر؟", "نعم."]),
        ("他来了。她走了！真的？", ["他来了。", "她走了！", "真的？"]),
    ],
)
def test_text_numbers_and_other_scripts(source: str, expected: list[str]) -> None:
    assert split(source, None) == expected


def test_text_unknown_language_uses_every_list() -> None:
    source = "Mr. Smith sah z.B. Gen. Votel am 9. Februar."
    assert split(source, "fr") == [source]
    assert split(source, None) == [source]


def test_text_language_tags_are_reduced_to_their_base() -> None:
    assert segment("Am 9. Februar kam er.", "de-AT") == [Sentence(start=0, end=21)]
    assert segment("Am 9. Februar kam er.", "DE") == [Sentence(start=0, end=21)]


def test_text_english_splits_after_a_number_german_keeps_ordinals() -> None:
    source = "They counted 12. Fighters fled."
    assert split(source, "en") == ["They counted 12.", "Fighters fled."]
    assert split(source, "de") == [source]


@pytest.mark.parametrize(
    "source",
    [
        "word " * 200_000,
        "." * 1_000_000,
        "a" * 1_000_000,
        '. "' * 100_000,
        "(" + " " * 1_000_000 + "x",
    ],
)
@pytest.mark.timeout(60)  # a hang guard against quadratic scans; speed lives in benchmarks/
def test_text_megabyte_inputs_are_segmented(source: str) -> None:
    assert_contract(source, segment(source, "de"))


def test_text_no_punctuation_megabyte_is_one_sentence() -> None:
    source = "word " * 200_000
    assert segment(source, "en") == [Sentence(start=0, end=len(source) - 1)]


def test_text_seed_000_headlines_are_their_own_sentences() -> None:
    sentences = split(seed("000"), "en")
    assert sentences[:3] == [
        "Special forces can withdraw during their vacation",
        "Fight against IS in IraqIS is far from history",
        '"That was too early": This week Iraq commemorated the victory over IS that was '
        "declared a year ago after the retaking of Mosul.",
    ]
    assert "IS fighters hide in the civilian population" in sentences
    assert "Retreat to remote areas" in sentences
    assert 'ISIS is not Islamic. "' in sentences
    assert sentences[-1] == "That's the lowest number in six years."


def test_text_seed_001_keeps_z_b_and_bzw_inside_sentences() -> None:
    sentences = split(seed("001"), "de")
    assert (
        "Ein Rückzug bedeutet keine Zerstörung und damit auch keine Zerstörung der Sympathien "
        "der dortigen Bevölkerung und von wichtigen Strukturen, wie man es z.B. nach Mossul "
        "gesehen hat." in sentences
    )
    assert sentences[0].startswith("Irakische Streitkräfte")
    assert "„Volksmobilisierungseinheiten“ bzw. Hashd al-Shaabi" in sentences[0]
    assert sentences[0].endswith("das gesamte südliche Ufer des Euphrats sichern.")
    assert len(sentences) == 17


def test_text_seed_002_keeps_thousands_and_trailer_dates() -> None:
    sentences = split(seed("002"), "de")
    assert sentences[:2] == [
        "date 2021-12 Iraks Ministerpräsident Mustafa al-Kadhimi bedankte sich bei der "
        "internationalen Koalition für den Kampf gegen den IS.",
        "Foto: Reuters",
    ]
    assert "Einsatz begann 2014" in sentences
    assert (
        "Im Irak waren bisher nach Angaben des Weißen Hauses rund 2.500 US-Kräfte im Einsatz."
        in sentences
    )
    assert sentences[-1] == "(APA, 31.12.2021)"


def test_text_seed_003_number_at_sentence_start() -> None:
    sentences = split(seed("003"), "de")
    assert sentences[3:5] == [
        "Nach vier Jahren war die Mission beendet.",
        "2.500 US-Soldaten werden im Land bleiben, um die irakische Armee zu beraten und zu "
        "unterstützen.",
    ]
    assert sentences[-2:] == [
        "Deine E-Mail-Adresse wird nicht veröffentlicht.",
        "Erforderliche Felder sind mit * markiert",
    ]


def test_text_seed_004_date_and_quotes_stay_in_one_sentence() -> None:
    sentences = split(seed("004"), "de")
    assert sentences[:4] == [
        "„Kalifat“ endet in al-Bagouz",
        "Das Ende der Territorialherrschaft des IS steht mit der vollständigen Befreiung von "
        "al-Bagouz kurz bevor.",
        "Doch der Kampf gegen den IS ist damit noch lange nicht vorbei.",
        "Die letzte Operation der Offensive „Gewittersturm Cizîrê“ begann am 9. Februar mit "
        "dem Vorrücken der Demokratischen Kräfte Syriens (QSD) auf den letzten Rest des "
        "„Kalifatstaats“.",
    ]
    assert "Nach einer Zählung von 2004 lebten dort 10.689 Menschen." in sentences
    assert "Etwa 2.000 zivile Geiseln in al-Bagouz" in sentences


@pytest.mark.parametrize("language", ["en", "de", None])
def test_text_every_seed_meets_the_offset_contract(language: str | None) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        source = path.read_text(encoding="utf-8")
        assert_contract(source, segment(source, language))
