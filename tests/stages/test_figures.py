"""Figures and numbers (`sitrep.figures`, `sitrep.figures.numbers`): counts with
subject, category, qualifier and exact offsets, on the seeds and on hand-made cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.figures import FigureDetail, fatalities, find_figure_details, find_figures
from sitrep.figures.numbers import NumberValue, find_numbers, parse_number
from sitrep.models import Analysis, Article, Figure, Sentence
from sitrep.text.sentences import segment

SEEDS = Path(__file__).parents[2] / "examples" / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def details(text: str, language: str) -> list[FigureDetail]:
    """Figures of `text` as one sentence, after checking the offset contract."""
    found = find_figure_details(text, language, [Sentence(start=0, end=len(text))])
    for figure in found:
        assert text[figure.start : figure.end] == figure.mention
    return found


def seed_figures(prefix: str, language: str) -> list[FigureDetail]:
    text = seed(prefix)
    found = find_figure_details(text, language, segment(text, language))
    for figure in found:
        assert text[figure.start : figure.end] == figure.mention
    return found


def one(found: list[FigureDetail], mention: str) -> FigureDetail:
    (match,) = [figure for figure in found if mention in figure.mention]
    return match


def kinds(text: str, language: str) -> dict[str, str]:
    return {span.text: span.kind for span in find_numbers(text, language)}


def killed(text: str, language: str) -> int | None:
    return fatalities(details(text, language), 0, len(text))


# --- numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("2.500", "de", NumberValue(2500)),
        ("2,500", "en", NumberValue(2500)),
        ("10.689", "de", NumberValue(10689)),
        ("1,000,000", "en", NumberValue(1000000)),
        ("2,5 Millionen", "de", NumberValue(2500000)),
        ("1.5 million", "en", NumberValue(1500000)),
        ("2,5", "de", NumberValue(2.5)),
        ("drei", "de", NumberValue(3)),
        ("dreiundzwanzig", "de", NumberValue(23)),
        ("zweitausendfünfhundert", "de", NumberValue(2500)),
        ("twenty-three", "en", NumberValue(23)),
        ("one hundred and twenty", "en", NumberValue(120)),
        ("two thousand five hundred", "en", NumberValue(2500)),
        ("zwei Dutzend", "de", NumberValue(24)),
        ("a dozen", "en", NumberValue(12)),
        ("Dutzende", "de", NumberValue(24, None, "dozens")),
        ("dozens", "en", NumberValue(24, None, "dozens")),
        ("Hunderte", "de", NumberValue(200, None, "hundreds")),
        ("hundreds", "en", NumberValue(200, None, "hundreds")),
        ("tausende", "de", NumberValue(2000, None, "thousands")),
        ("tens of thousands", "en", NumberValue(20000, None, "tens of thousands")),
        ("einige hundert", "de", NumberValue(200, None, "hundreds")),
    ],
)
def test_figures_parse_number_reads_digits_words_and_vague_quantities(
    text: str, language: str, expected: NumberValue
) -> None:
    assert parse_number(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("rund 2.500", "de", NumberValue(2500, None, "about")),
        ("ca. 300", "de", NumberValue(300, None, "about")),
        ("about 300", "en", NumberValue(300, None, "about")),
        ("mehr als 20", "de", NumberValue(20, None, "more than")),
        ("more than 20", "en", NumberValue(20, None, "more than")),
        ("mindestens 5", "de", NumberValue(5, None, "at least")),
        ("at least 5", "en", NumberValue(5, None, "at least")),
        ("bis zu 17.000", "de", NumberValue(17000, None, "up to")),
        ("up to 17,000", "en", NumberValue(17000, None, "up to")),
        ("fast 100", "de", NumberValue(100, None, "nearly")),
        ("nearly 100", "en", NumberValue(100, None, "nearly")),
        ("10 to 15", "en", NumberValue(10, 15)),
        ("10-15", "en", NumberValue(10, 15)),
        ("between 10 and 15", "en", NumberValue(10, 15)),
        ("zwischen 10 und 15", "de", NumberValue(10, 15)),
        ("zwei bis drei", "de", NumberValue(2, 3)),
    ],
)
def test_figures_parse_number_keeps_qualifiers_and_ranges(
    text: str, language: str, expected: NumberValue
) -> None:
    assert parse_number(text, language) == expected


@pytest.mark.parametrize("text", ["31.12.2021", "10:30", "about", "", "Soldaten"])
def test_figures_parse_number_rejects_what_is_not_one_number(text: str) -> None:
    assert parse_number(text, "de") is None


def test_figures_numbers_that_are_not_counts_get_their_kind() -> None:
    german = kinds(
        "Am 9. Februar 2019 um 10 Uhr, im 20. Jahrhundert, 41 Prozent, etwa fünf "
        "Kilometer, nach vier Jahren, (APA, 31.12.2021), 2014 große Gebiete, F-16.",
        "de",
    )
    assert german == {
        "9": "date",
        "2019": "date",
        "10": "time",
        "20": "ordinal",
        "41": "percent",
        "etwa fünf": "measure",
        "vier": "duration",
        "31.12.2021": "date",
        "2014": "year",
        "16": "label",
    }
    english = kinds(
        "Rahim, 41, said on February 9, 2019 at 5 pm that the 3rd unit, a 41-year-old, "
        "spent 15 days and $5 million; 12% of MH17.",
        "en",
    )
    assert english == {
        "41": "age",
        "9": "date",
        "2019": "date",
        "5": "time",
        "3": "ordinal",
        "15": "duration",
        "5 million": "money",
        "12": "percent",
        "17": "label",
    }
    assert kinds("a 41-year-old", "en") == {"41": "age"}


def test_figures_numbers_offsets_are_exact() -> None:
    text = "Es kamen rund 2.500 US-Soldaten."
    (span,) = find_numbers(text, "de")
    assert (text[span.start : span.end], span.kind) == ("rund 2.500", "count")


# --- seeds ------------------------------------------------------------------------------


def test_figures_seed_002_troops_about_2500() -> None:
    figure = one(seed_figures("002", "de"), "2.500")
    assert (figure.mention, figure.category, figure.value) == (
        "rund 2.500 US-Kräfte",
        "troops",
        2500,
    )
    assert (figure.qualifier, figure.subject) == ("about", "US-Kräfte")


def test_figures_seed_003_troops_and_the_killed() -> None:
    found = seed_figures("003", "de")
    troops = one(found, "2.500")
    assert (troops.category, troops.value, troops.subject) == ("troops", 2500, "US-Soldaten")
    peshmerga, civilians = one(found, "18 Peshmerga"), one(found, "drei Zivilisten")
    assert (peshmerga.category, peshmerga.value, peshmerga.subject) == ("killed", 18, "Peshmerga")
    assert (civilians.category, civilians.value) == ("killed", 3)
    text = seed("003")
    sentence = next(s for s in segment(text, "de") if s.start <= peshmerga.start < s.end)
    assert fatalities(found, sentence.start, sentence.end) == 21
    assert not any(f.value in (2011, 2003, 2014, 2020) for f in found)


def test_figures_seed_004_civilians_population_hostages_families() -> None:
    found = seed_figures("004", "de")
    civilians = one(found, "Zivilist*innen")
    assert civilians.category in ("civilians", "displaced")
    assert (civilians.value, civilians.qualifier, civilians.subject) == (
        2000,
        "thousands",
        "Zivilist*innen",
    )
    population = one(found, "10.689")
    assert (population.category, population.value) == ("other", 10689)
    hostages = [f for f in found if f.category == "held"]
    assert [(f.value, f.qualifier) for f in hostages] == [(2000, "about"), (2000, None)]
    families = one(found, "Familien")
    assert (families.category, families.value, families.qualifier) == ("families", 200, "about")
    jihadists = one(found, "Dschihadisten")
    assert (jihadists.category, jihadists.value, jihadists.qualifier) == ("fighters", 24, "dozens")
    assert not any(f.value in (9, 2004) for f in found)
    assert not any(f.category == "killed" for f in found)


def test_figures_seed_000_deaths_unit_and_no_age() -> None:
    found = seed_figures("000", "en")
    deaths = one(found, "41")
    assert (deaths.category, deaths.value, deaths.subject) == ("deaths", 41, "civilians")
    assert len([f for f in found if f.value == 41]) == 1  # "Rahim, 41," is an age
    unit = one(found, "250")
    assert (unit.category, unit.value, unit.subject) == ("fighters", 250, "special unit")
    fighters = one(found, "17,000")
    assert (fighters.category, fighters.qualifier) == ("fighters", "up to")
    assert not any(f.value == 15 for f in found)  # "15 days of war"


def test_figures_seed_001_suicide_bombers_are_not_killed() -> None:
    found = seed_figures("001", "de")
    bombers = one(found, "drei")
    assert (bombers.category, bombers.value) == ("fighters", 3)
    assert not any(f.value == 5 for f in found)  # "etwa fünf Kilometer"


def test_figures_find_figures_gives_contract_records() -> None:
    text = seed("003")
    figures = find_figures(text, "de", segment(text, "de"))
    assert all(isinstance(figure, Figure) for figure in figures)
    analysis = Analysis(article=Article(id="a", source="t", text=text), figures=figures)
    dumped = analysis.model_dump(mode="json")["figures"]
    assert dumped[0] == {
        **{name: None for name in Figure.model_fields},
        **{k: v for k, v in dumped[0].items() if k in Figure.model_fields},
    }
    assert set(dumped[0]) == set(Figure.model_fields)
    Analysis.model_validate_json(analysis.model_dump_json())


# --- hand-made cases --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("18 Peshmerga and three civilians were killed in the attack.", "en", 21),
        ("18 Peschmerga und drei Zivilisten wurden getötet.", "de", 21),
        ("The bomb killed 18 Peshmerga and three civilians.", "en", 21),
        ("21 people, including 18 Peshmerga, were killed.", "en", 21),
        ("Insgesamt starben 21 Menschen, darunter 18 Peschmerga.", "de", 21),
        ("18 soldiers and 3 civilians, 21 in total, were killed.", "en", 21),
        ("The bomb killed 5 soldiers and wounded 12 civilians.", "en", 5),
        ("Bei dem Anschlag gab es 18 Tote und 30 Verletzte.", "de", 18),
        ("Dutzende Menschen wurden verletzt, bis zu 15 starben.", "de", 15),
        ("About 2,000 civilians fled the town.", "en", None),
        ("Five hostages were killed.", "en", 5),
        ("Of the 200 hostages, 5 were killed.", "en", 5),
        # a plain count whose part was killed is the toll, not the part
        ("The deaths include 65 people among them 22 children killed in rebel fire.", "en", 65),
        # vague counts as ACLED codes them: the most conservative reading
        ("Dozens of civilians were killed in the strikes.", "en", 12),
        ("Bei den Angriffen wurden Hunderte Kämpfer getötet.", "de", 100),
        ("Dozens of soldiers and three civilians were killed.", "en", 15),
    ],
)
def test_figures_fatalities_sums_parts_but_never_a_total_with_its_parts(
    text: str, language: str, expected: int | None
) -> None:
    assert killed(text, language) == expected


def test_figures_fatalities_reads_part_of_links_on_contract_figures() -> None:
    text = "21 people, including 18 Peshmerga, were killed."
    figures = find_figures(text, "en", [])
    assert [(f.value, f.part_of) for f in figures] == [(21, None), (18, 0)]
    assert fatalities(figures, 0, len(text)) == 21
    assert fatalities(figures, 100, 200) is None


@pytest.mark.parametrize(
    ("text", "language", "category", "value", "qualifier", "high"),
    [
        ("Between 10 and 15 rebels were killed.", "en", "killed", 10, None, 15),
        ("Zwischen 10 und 15 Kämpfer wurden getötet.", "de", "killed", 10, None, 15),
        ("Up to 300 people were displaced.", "en", "displaced", 300, "up to", None),
        ("Bis zu 300 Menschen wurden vertrieben.", "de", "displaced", 300, "up to", None),
        ("Dutzende Menschen wurden festgenommen.", "de", "arrested", 24, "dozens", None),
        ("Police arrested dozens of protesters.", "en", "arrested", 24, "dozens", None),
        (
            "Hunderte Zivilisten sind auf der Flucht und geflohen.",
            "de",
            "displaced",
            200,
            "hundreds",
            None,
        ),
        ("Thousands of refugees reached the border.", "en", "refugees", 2000, "thousands", None),
        ("Seven people are still missing.", "en", "missing", 7, None, None),
        ("IS hält 40 Geiseln fest.", "de", "held", 40, None, None),
        ("Rund 5.000 IS-Kämpfer sollen noch aktiv sein.", "de", "fighters", 5000, "about", None),
        ("Die Regierung schickte 2.000 Regierungssoldaten.", "de", "troops", 2000, None, None),
        ("Es gab dreiundzwanzig Tote.", "de", "killed", 23, None, None),
        ("Twenty-three soldiers died.", "en", "killed", 23, None, None),
        ("The attack caused 12 deaths.", "en", "deaths", 12, None, None),
        (
            "The death toll from a car bomb that tore through a market in the Syrian town of"
            " Manbij on Monday has risen to nine, officials said.",
            "en",
            "killed",
            9,
            None,
            None,
        ),
        (
            "Officials said the toll of the fighting reached 40 by evening.",
            "en",
            "killed",
            40,
            None,
            None,
        ),
        ("Die Zahl der Verletzten stieg inzwischen auf 31.", "de", "wounded", 31, None, None),
        (
            "Mehr als 2,5 Millionen Flüchtlinge leben im Land.",
            "de",
            "refugees",
            2500000,
            "more than",
            None,
        ),
    ],
)
def test_figures_category_value_and_qualifier(
    text: str,
    language: str,
    category: str,
    value: int,
    qualifier: str | None,
    high: int | None,
) -> None:
    (figure,) = details(text, language)
    assert (figure.category, figure.value, figure.qualifier, figure.high) == (
        category,
        value,
        qualifier,
        high,
    )


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("In 2014 the group seized Mosul.", "en"),
        ("Im Jahr 2014 eroberte der IS Mossul.", "de"),
        ("Am 9. Februar begann die Offensive.", "de"),
        ("On February 9, 2019 the offensive began.", "en"),
        ("Die Zustimmung lag bei 41 Prozent.", "de"),
        ("Turnout was 41% in the city.", "en"),
        ("Die 5. Division rückte vor.", "de"),
        ("The 3rd brigade advanced.", "en"),
        ("Rahim, 41, commands the unit.", "en"),
        ("Der Kommandeur (41) wurde getötet.", "de"),
        ("A 41-year-old man was killed.", "en"),
        ("Die Stellungen liegen etwa fünf Kilometer entfernt.", "de"),
        ("The fighting lasted 15 days.", "en"),
        ("He talked about his four children.", "en"),
        ("Um 10 Uhr wurde geschossen.", "de"),
        ("Zwei große Vorstoßrichtungen gab es.", "de"),
    ],
)
def test_figures_years_dates_percentages_ordinals_ages_measures_are_no_figures(
    text: str, language: str
) -> None:
    assert details(text, language) == []


def test_figures_coordinated_cues_split_by_verb() -> None:
    found = details("Five soldiers were killed and 200 civilians fled the city.", "en")
    assert [(f.category, f.value, f.subject) for f in found] == [
        ("killed", 5, "soldiers"),
        ("displaced", 200, "civilians"),
    ]


def test_figures_a_cue_after_the_count_wins_over_one_before_it() -> None:
    found = details("Drei Polizisten starben, zwei weitere wurden verletzt.", "de")
    assert [(f.category, f.value) for f in found] == [("killed", 3), ("wounded", 2)]
    found = details("Bei Angriffen wurden 12 Menschen getötet und 30 verletzt.", "de")
    assert [(f.category, f.value) for f in found] == [("killed", 12), ("wounded", 30)]
    found = details("IS killed 12 villagers and abducted 40 women.", "en")
    assert [(f.category, f.value) for f in found] == [("killed", 12), ("held", 40)]


def test_figures_unknown_language_uses_every_word_list() -> None:
    (figure,) = details("18 soldiers were killed.", "fr")
    assert (figure.category, figure.value) == ("killed", 18)


def test_figures_empty_sentences_read_the_whole_text() -> None:
    text = "3 Zivilisten wurden getötet."
    (figure,) = find_figures(text, "de", [])
    assert (figure.start, figure.end, figure.category) == (0, 12, "killed")


@pytest.mark.timeout(120)  # a hang guard against quadratic scans; speed lives in benchmarks/
def test_figures_one_megabyte_of_reports() -> None:
    block = seed("003") + "\n" + seed("004") + "\n"
    small = block * 20
    large = block * (1_000_000 // len(block))
    few = find_figures(small, "de", segment(small, "de"))
    found = find_figures(large, "de", segment(large, "de"))
    assert len(found) > 1000
    assert len(found) // (len(large) // len(block)) == len(few) // 20  # same per copy


@pytest.mark.parametrize(
    ("text", "language", "killed", "displaced"),
    [
        (
            "Up to 24 civilians have been killed and an estimated 5,000 displaced.",
            "en",
            "Up to 24 civilians",
            "an estimated 5,000 displaced",
        ),
        (
            "Mindestens 20 Menschen wurden getötet und 3.000 Vertriebene gezählt.",
            "de",
            "Mindestens 20 Menschen",
            "3.000 Vertriebene",
        ),
    ],
)
def test_figures_displaced_are_never_added_to_the_killed(
    text: str, language: str, killed: str, displaced: str
) -> None:
    found = details(text, language)
    assert one(found, killed).category == "killed"
    assert one(found, displaced).category == "displaced"
    assert fatalities(found, 0, len(text)) == int(one(found, killed).value)
