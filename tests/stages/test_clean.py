"""Tests for the clean stage: boilerplate, HTML, publication date, article id."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest

from sitrep.clean import PROVIDES, REQUIRES, run
from sitrep.clean.boilerplate import load
from sitrep.models import Analysis, Document, Problem, Removed
from sitrep.settings import Settings

SEEDS = Path(__file__).parents[2] / "examples" / "seeds"
SETTINGS = Settings(workers=1)


def _seed(number: str) -> str:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


def _clean(content: str, settings: Settings = SETTINGS, **fields: object) -> Analysis:
    return run(Document(source="test.txt", content=content, **fields), settings)


def _codes(analysis: Analysis) -> list[str]:
    return [warning.code for warning in analysis.article.warnings]


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n") if part.strip()]


def _sentences(text: str) -> list[str]:
    return [s for part in _paragraphs(text) for s in re.split(r"(?<=[.!?])\s+", part) if s]


HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Iraqi forces retake al-Qaim from Islamic State | Example News</title>
<meta property="og:title" content="Iraqi forces retake al-Qaim from Islamic State">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2017-11-03T09:30:00Z">
<link rel="canonical" href="https://news.example.org/world/iraq-al-qaim">
</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather forecast</a></li></ul></nav>
</header>
<main><article>
<h1>Iraqi forces retake al-Qaim from Islamic State</h1>
<p>Iraqi forces and allied paramilitary units took full control of the town of al-Qaim on
Friday, the last major Islamic State stronghold in the country, the joint command said.</p>
<p>The town lies on the Euphrates river near the Syrian border. Commanders said the militants
put up little resistance and that three suicide bombers had attacked advancing troops.</p>
<p>Prime Minister Haider al-Abadi announced the offensive in late October.</p>
</article>
<section id="comments"><h3>Leave a Reply</h3><form>
<p>Your email address will not be published. Required fields are marked *</p>
<textarea name="comment"></textarea><input type="submit" value="Post Comment"></form>
</section></main>
<footer><p>Copyright 2017 Example News. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>
"""


def test_clean_declares_requires_and_provides():
    assert REQUIRES == ("document",)
    assert PROVIDES == ("article",)


@pytest.mark.parametrize("number", ["000", "001", "002", "004"])
def test_clean_seeds_keep_every_sentence(number):
    raw = _seed(number)
    article = _clean(raw).article
    for sentence in _sentences(raw.replace(" date 2021-12 ", "").replace(" Foto: Reuters", "")):
        assert sentence in article.text
    expected = [] if number != "002" else [
        Removed(text="date 2021-12", reason="metadata"),
        Removed(text="Foto: Reuters", reason="boilerplate"),
    ]  # fmt: skip
    assert article.removed == expected
    if number != "002":
        assert article.text == raw.strip()  # nothing touched at all


def test_clean_seed_003_removes_exactly_the_boilerplate():
    raw = _seed("003")
    boilerplate = [
        "advertisements",
        "About rashed",
        "Schreibe einen Kommentar",
        "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert",
    ]
    article = _clean(raw).article
    assert [item.text for item in article.removed] == boilerplate
    assert {item.reason for item in article.removed} == {"boilerplate"}
    kept = [line for line in _paragraphs(raw) if line not in boilerplate]
    assert article.text == "\n\n".join(kept)


def test_clean_collapses_blank_lines_and_strips_ends():
    article = _clean("\n\n  Title line here\n\n\n\nAnzeige\n\n\n\nBody text.\n\n\n").article
    assert article.text == "Title line here\n\nBody text."


def test_clean_seed_002_date_from_header_and_trailer():
    published = _clean(_seed("002")).article.published
    assert (published.date, published.precision, published.origin) == ("2021-12-31", "day", "text")


@pytest.mark.parametrize("number", ["000", "001", "003", "004"])
def test_clean_seeds_without_a_date_stay_unknown(number):
    analysis = _clean(_seed(number))
    published = analysis.article.published
    assert (published.date, published.precision, published.origin) == (None, None, "unknown")
    assert "C003" in _codes(analysis)
    assert any("--date" in w.message for w in analysis.article.warnings if w.code == "C003")


def test_clean_user_date_when_the_article_has_none():
    settings = Settings(workers=1, user_date=date(2017, 11, 5))
    analysis = _clean(_seed("001"), settings)
    published = analysis.article.published
    assert (published.date, published.precision, published.origin) == ("2017-11-05", "day", "user")
    assert "C003" not in _codes(analysis)


def test_clean_metadata_date_beats_text_and_user():
    settings = Settings(workers=1, user_date=date(2017, 11, 5))
    published = _clean(_seed("002"), settings, date="2022-01-02").article.published
    assert (published.date, published.origin) == ("2022-01-02", "metadata")


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2019-04-10", "2019-04-10", "day"),
        ("2019-04-10T12:00:00Z", "2019-04-10", "day"),
        ("2021-12-31 10:00:00+01:00", "2021-12-31", "day"),
        ("10 April 2019", "2019-04-10", "day"),
        ("10.04.2019", "2019-04-10", "day"),
        ("Wed, 10 Apr 2019 12:00:00 GMT", "2019-04-10", "day"),
        ("Mittwoch, 10. April 2019", "2019-04-10", "day"),
        ("5. März 2019", "2019-03-05", "day"),
        ("Dec. 31, 2021", "2021-12-31", "day"),
        ("April 2019", "2019-04-01", "month"),
        ("2021-12", "2021-12-01", "month"),
        ("2019", "2019-01-01", "year"),
        ("2021/12/31", "2021-12-31", "day"),
        ("31/12/2021", "2021-12-31", "day"),
        ("12/31/2021", "2021-12-31", "day"),
        ("05/05/2021", "2021-05-05", "day"),
    ],
)
def test_clean_metadata_date_formats(value, expected, precision):
    published = _clean("Some text.", date=value).article.published
    assert (published.date, published.precision, published.origin) == (
        expected,
        precision,
        "metadata",
    )


@pytest.mark.parametrize(
    "value",
    ["2021-13-45", "yesterday", "31.02.2021", "1850-01-01", "2150", "vor 2 Tagen", "03/04/2021"],
)
def test_clean_malformed_metadata_date_is_a_problem_then_falls_through(value):
    analysis = _clean(_seed("002"), date=value)
    assert "C002" in _codes(analysis)
    assert any(value in w.message for w in analysis.article.warnings if w.code == "C002")
    published = analysis.article.published
    assert (published.date, published.origin) == ("2021-12-31", "text")


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("Datum: 31.12.2021\n\nDie Regierung teilte mit.", "2021-12-31", "day"),
        ("Published: March 5, 2019\n\nThe ministry said.", "2019-03-05", "day"),
        ("Veröffentlicht am 5. März 2019\n\nDie Regierung teilte mit.", "2019-03-05", "day"),
        ("Die Regierung teilte das mit. (dpa, 5.3.2019)", "2019-03-05", "day"),
        ("The ministry said so. (Reuters, 5 March 2019)\n\nRead more", "2019-03-05", "day"),
        ("Bagdad, 31.12.2021 – Die Regierung teilte mit.", "2021-12-31", "day"),
        (" date 2021-12 Die Regierung teilte mit.", "2021-12-01", "month"),
    ],
)
def test_clean_date_from_text(text, expected, precision):
    published = _clean(text).article.published
    assert (published.date, published.precision, published.origin) == (expected, precision, "text")


@pytest.mark.parametrize(
    "text",
    [
        "BAGHDAD, Dec 31 (Reuters) - Iraqi forces said on Friday they had retaken the town.",
        "A year ago the victory was declared. Yesterday more fighting broke out.",
        "Intro.\n\nIm Dezember 2017 erklärte der Regierungschef den Sieg über den IS.",
    ],
)
def test_clean_no_date_from_mentions_or_relative_words(text):
    assert _clean(text).article.published.date is None


def test_clean_impossible_date_in_text_is_a_problem():
    analysis = _clean("Datum: 31.02.2021\n\nDie Regierung teilte mit.")
    assert analysis.article.published.date is None
    assert "C002" in _codes(analysis)
    assert "C003" in _codes(analysis)


def test_clean_conflicting_text_dates_warn():
    analysis = _clean("Datum: 30.12.2021\n\nDie Regierung teilte mit. (APA, 31.12.2021)")
    assert analysis.article.published.date == "2021-12-30"
    assert "C004" in _codes(analysis)


@pytest.mark.timeout(60)  # a hang guard against quadratic scans; speed lives in benchmarks/
def test_clean_date_finding_survives_a_megabyte():
    paragraph = "Die Regierung in Bagdad, 31.12 teilte (dpa, 5. mit, 2021-12 " * 20
    text = "\n\n".join([paragraph] * 900) + "\n" + "(" * 100_000 + "1." * 100_000
    assert len(text) > 1_000_000
    analysis = _clean(text)
    assert analysis.article.published.date is None


def test_clean_html_page_with_trafilatura():
    analysis = run(Document(source="page.html", content=HTML_PAGE, format="html"), SETTINGS)
    article = analysis.article
    assert article.title == "Iraqi forces retake al-Qaim from Islamic State"
    assert (article.published.date, article.published.origin) == ("2017-11-03", "metadata")
    assert article.site == "Example News"
    assert article.url == "https://news.example.org/world/iraq-al-qaim"
    assert "took full control of the town of al-Qaim" in article.text
    assert "Prime Minister Haider al-Abadi announced the offensive" in article.text
    assert "\n\nThe town lies on the Euphrates" in article.text  # paragraphs kept apart
    for noise in ("Home", "Weather", "Leave a Reply", "email address", "Copyright", "Privacy"):
        assert noise not in article.text
    assert analysis.article.warnings == []


def test_clean_html_without_body_gives_empty_text_and_problem():
    content = (
        '<html><head><title>Only a title</title><meta property="article:published_time" '
        'content="2020-01-02"></head><body></body></html>'
    )
    analysis = run(Document(source="x.html", content=content, format="html"), SETTINGS)
    assert analysis.article.text == ""
    assert analysis.article.title == "Only a title"
    assert analysis.article.published.date == "2020-01-02"
    assert "C001" in _codes(analysis)


@pytest.mark.parametrize(
    "content",
    [
        "",
        "<html></html>",
        "<html><body><p>unclosed <div><b>x",
        "\x00\x01<<<>>><html<body",
        "</p>" * 500,
    ],
)
def test_clean_broken_html_never_raises(content):
    analysis = run(Document(source="x.html", content=content, format="html"), SETTINGS)
    assert isinstance(analysis.article.text, str)


def test_clean_html_nested_past_the_parser_depth_keeps_its_text():
    """libxml2 stops building the tree 256 levels down; the flat reader still finds the
    paragraph, and says it kept all of the page's text."""
    sentence = "Iraqi forces retook the town of Tal Afar on Friday, the army said."
    content = (
        "<html><head><script>var x = 1;</script></head><body><nav>Home</nav>"
        + "<div>" * 20_000
        + f"<p>{sentence}</p>"
        + "</div>" * 20_000
        + "</body></html>"
    )
    analysis = run(Document(source="deep.html", content=content, format="html"), SETTINGS)
    assert analysis.article.text == sentence
    assert "C005" in _codes(analysis) and "C001" not in _codes(analysis)


def test_clean_html_of_menus_only_stays_empty():
    content = "<html><body>" + "<div>" * 1_000 + "<a>Home</a><a>Login</a>" + "</body></html>"
    analysis = run(Document(source="menu.html", content=content, format="html"), SETTINGS)
    assert analysis.article.text == "" and "C001" in _codes(analysis)


def test_clean_html_fragment_is_read():
    content = "<p>Iraqi forces retook the town on Friday, the army said.</p>"
    analysis = run(Document(source="x.html", content=content, format="html"), SETTINGS)
    assert analysis.article.text == "Iraqi forces retook the town on Friday, the army said."


def test_clean_same_text_same_id():
    text = _seed("003")
    one = _clean(text).article
    two = run(Document(source="other/file.txt", content=f"\n  {text}  \n\n"), SETTINGS).article
    assert one.id == two.id
    assert one.id == hashlib.sha256(one.text.encode("utf-8")).hexdigest()[:16]
    assert one.source == "test.txt" and two.source == "other/file.txt"
    assert _clean(text + " Mehr.").article.id != one.id


def test_clean_source_is_document_key_and_warnings_copied():
    warning = Problem(code="I008", stage="ingest", message="mojibake repaired")
    document = Document(
        source="dump.jsonl", locator="7", content="Text.", url="https://www.example.org/a",
        warnings=[warning],
    )  # fmt: skip
    article = run(document, SETTINGS).article
    assert article.source == "dump.jsonl#7"
    assert article.warnings[0] == warning
    assert article.site == "example.org"


def test_clean_title_from_first_line_only_when_it_is_a_headline():
    assert _clean(_seed("000")).article.title == "Special forces can withdraw during their vacation"
    assert _clean(_seed("004")).article.title == "„Kalifat“ endet in al-Bagouz"
    assert _clean(_seed("001")).article.title is None
    assert _clean(_seed("002")).article.title is None  # a caption, not a headline
    assert _clean(_seed("000"), title="Given  title").article.title == "Given title"


BOILERPLATE_LINES = [
    "Anzeige",
    "Werbung",
    "Advertisement",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Kommentare",
    "Comments (3)",
    "Share this article",
    "Teilen",
    "Share on Facebook",
    "Tweet",
    "Facebook Twitter WhatsApp E-Mail",
    "This website uses cookies to improve your experience.",
    "Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten.",
    "Sign up for our daily newsletter",
    "Newsletter abonnieren",
    "Read more: Iraq's army retakes Mosul",
    "Mehr zum Thema",
    "Über den Autor",
    "About the author",
    "Photo: AFP/Getty Images",
    "© dpa-infocom",
]


def test_clean_removes_common_boilerplate_lines():
    body = "Die Armee rückte am Morgen vor.\n\nThe army advanced in the morning."
    text = "\n\n".join([body, *BOILERPLATE_LINES])
    article = _clean(text).article
    assert article.text == body
    assert [item.text for item in article.removed] == BOILERPLATE_LINES


@pytest.mark.parametrize(
    ("line", "kept", "credit"),
    [
        (
            "Soldiers in Mosul. Photo: AFP/Getty Images",
            "Soldiers in Mosul.",
            "Photo: AFP/Getty Images",
        ),
        ("Soldaten in Mossul (Bild: dpa)", "Soldaten in Mossul", "(Bild: dpa)"),
        (
            "Kadhimi dankte der Koalition. Foto: Reuters",
            "Kadhimi dankte der Koalition.",
            "Foto: Reuters",
        ),
    ],
)
def test_clean_removes_photo_credits_at_line_end(line, kept, credit):
    article = _clean(f"{line}\n\nBody text follows here.").article
    assert article.text == f"{kept}\n\nBody text follows here."
    assert article.removed == [Removed(text=credit, reason="boilerplate")]


@pytest.mark.parametrize(
    "sentence",
    [
        "About 200 families fled the town.",
        "Comments by the minister angered the militias.",
        "Share prices fell in Baghdad.",
        "Teilen der Stadt droht die Räumung.",
        "Über 2.000 Menschen flohen aus Bagouz.",
        "Laut Bild: Die Regierung plant Neuwahlen",
        "Published reports said 18 Peshmerga were killed.",
        "Date palms burned along the Euphrates.",
        "Stand der Dinge: 18 Tote und drei Verletzte.",
        "Werbung für den Dschihad verbreitete der IS online.",
    ],
)
def test_clean_keeps_reporting_that_looks_like_boilerplate(sentence):
    article = _clean(f"Intro paragraph.\n\n{sentence}").article
    assert article.removed == []
    assert sentence in article.text


def test_clean_markdown_front_matter_and_markup():
    content = (
        "---\ntitle: Koalition beendet Mission\ndate: 2021-12-31\n---\n"
        "# Koalition beendet Mission\n\nDie **Koalition** hat ihre Mission im "
        "[Irak](https://example.org/irak) beendet. Zivilist*innen blieben.\n\n"
        "![Soldaten](img.jpg)\n"
    )
    article = run(Document(source="a.md", content=content, format="markdown"), SETTINGS).article
    assert article.title == "Koalition beendet Mission"
    assert (article.published.date, article.published.origin) == ("2021-12-31", "metadata")
    assert article.text == (
        "Koalition beendet Mission\n\n"
        "Die Koalition hat ihre Mission im Irak beendet. Zivilist*innen blieben."
    )


def test_clean_every_phrase_file_compiles():
    rules = load(("en", "de", "fr"))  # a language without a file adds nothing, breaks nothing
    assert rules.line is not None and rules.tail is not None and rules.head is not None
    assert rules.date_labels
