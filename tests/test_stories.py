"""Stories and meaning search on real analyses: an English and a German report of the
same car bombing, an unrelated report of the same day, and a follow-up the next day, run
through the whole pipeline into a real SQLite database."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sitrep import pipeline, search
from sitrep.eval import stories as story_eval
from sitrep.settings import Settings
from sitrep.store import EventRow, SQLiteStore, open_store
from sitrep.stories import grouping, merge, update
from sitrep.stories.views import story_view

ENGLISH = {
    "title": "Car bomb kills seven at market in Manbij",
    "date": "2019-03-04",
    "site": "Example Wire",
    "text": (
        "A car bomb exploded at a crowded vegetable market in the northern Syrian town of"
        " Manbij on Monday, killing seven civilians and wounding at least 20 others,"
        " according to local officials.\n\nThe blast struck shortly after noon near the main"
        " roundabout, where traders sell produce from nearby villages. The Manbij Military"
        " Council said the car had been packed with explosives and parked beside a row of"
        " stalls.\n\nNo group immediately claimed responsibility."
    ),
}
GERMAN = {
    "title": "Autobombe tötet sieben Menschen auf Markt in Manbidsch",
    "date": "2019-03-04",
    "site": "Beispiel-Zeitung",
    "text": (
        "Auf einem belebten Gemüsemarkt in der nordsyrischen Stadt Manbidsch ist am Montag"
        " eine Autobombe explodiert. Dabei wurden nach Angaben örtlicher Behörden sieben"
        " Zivilisten getötet und mindestens 20 weitere verletzt.\n\nDie Explosion ereignete"
        " sich kurz nach Mittag nahe dem zentralen Kreisverkehr, wo Händler Gemüse aus den"
        " umliegenden Dörfern verkaufen. Der Militärrat von Manbidsch erklärte, das Auto sei"
        " mit Sprengstoff beladen gewesen.\n\nZunächst bekannte sich keine Gruppe zu dem"
        " Anschlag."
    ),
}
UNRELATED = {
    "title": "Flooding closes roads across southern England",
    "date": "2019-03-04",
    "site": "Example Wire",
    "text": (
        "Heavy rain caused widespread flooding across southern England on Monday, closing"
        " dozens of roads and disrupting rail services between London and the coast.\n\nThe"
        " Environment Agency issued more than 40 flood warnings, and forecasters said further"
        " rain was expected overnight."
    ),
}
FOLLOW_UP = {
    "title": "Death toll from Manbij market car bomb rises to nine",
    "date": "2019-03-05",
    "site": "Example Wire",
    "text": (
        "The death toll from a car bomb that tore through a vegetable market in the Syrian"
        " town of Manbij on Monday has risen to nine, local officials said on Tuesday, after"
        " two of the wounded died in hospital.\n\nThe Manbij Military Council said it had"
        " arrested two men suspected of helping to plant the explosives near the market."
    ),
}


def _write(folder: Path, **reports: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, report in reports.items():
        (folder / f"{name}.json").write_text(json.dumps(report), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A database of the three reports of 4 March 2019; and their folder."""
    root = tmp_path_factory.mktemp("stories")
    reports = _write(root / "reports", english=ENGLISH, german=GERMAN, unrelated=UNRELATED)
    db = root / "stories.db"
    with open_store(db) as store:
        summary = pipeline.run([str(reports)], Settings(workers=1, batch_size=8), store)
    assert summary.stored == 3
    return db, reports


def _story_of(store: SQLiteStore, title: str) -> int:
    for row in store.stories(limit=100):
        found = store.story(row.id)
        assert found is not None
        if any(article.title == title for article in found[1]):
            return row.id
    raise AssertionError(f"{title!r} is in no story")


def test_one_story_across_languages_and_none_with_an_unrelated_report(
    analysed: tuple[Path, Path],
) -> None:
    db, _ = analysed
    with open_store(db) as store:
        bombing = _story_of(store, ENGLISH["title"])
        assert _story_of(store, GERMAN["title"]) == bombing
        assert _story_of(store, UNRELATED["title"]) != bombing
        view = story_view(store, bombing)
    assert view is not None
    assert view.story.languages == ("de", "en") and view.story.articles == 2
    assert {article.source for article in view.articles} == {"Example Wire", "Beispiel-Zeitung"}
    joined = [article.similarity for article in view.articles if article.similarity is not None]
    assert len(joined) == 1 and joined[0] >= grouping.JOIN
    sources = {event["source"] for event in view.events}
    assert sources == {"Example Wire", "Beispiel-Zeitung"}  # each outlet's events, side by side
    assert "Manbij" in view.line.places
    (bombing_reports,) = [i for i in view.incidents if i.event_type == "Explosions/Remote violence"]
    assert {r.source for r in bombing_reports.reports} == {"Example Wire", "Beispiel-Zeitung"}
    assert bombing_reports.location == "Manbij" and bombing_reports.fatalities == 7


def test_a_rerun_adds_nothing_twice_and_a_later_report_joins_its_story(
    analysed: tuple[Path, Path], tmp_path: Path
) -> None:
    db, reports = analysed
    copy = tmp_path / "copy.db"
    with open_store(db) as store:
        store.db.execute("VACUUM INTO ?", (str(copy),))
    with open_store(copy) as store:
        before = [(row.id, row.articles) for row in store.stories(limit=100)]
        again = pipeline.run([str(reports)], Settings(workers=1), store)
        assert again.stored == 0 and again.stories_started == again.stories_joined == 0
        assert [(row.id, row.articles) for row in store.stories(limit=100)] == before
        toll = search.build("the death toll rose to nine", search.Mode.MEANING)
        assert FOLLOW_UP["title"] not in {hit.title for hit in store.search(toll)[1]}
        later = _write(tmp_path / "later", follow_up=FOLLOW_UP)
        added = pipeline.run([str(later)], Settings(workers=1), store)
        assert store.search(toll)[1][0].title == FOLLOW_UP["title"]  # read since the last
        assert added.stories_joined == 1 and added.stories_started == 0
        bombing = _story_of(store, ENGLISH["title"])
        assert _story_of(store, FOLLOW_UP["title"]) == bombing
        row = next(row for row in store.stories(limit=100) if row.id == bombing)
        assert (row.first_published, row.last_published) == ("2019-03-04", "2019-03-05")


def test_articles_stored_without_vectors_are_embedded_and_placed_later(
    analysed: tuple[Path, Path], tmp_path: Path
) -> None:
    """What a database from before stories, or a crash between a batch and its placing,
    leaves: articles with no vector or no story. The next update does both, once."""
    db, _ = analysed
    copy = tmp_path / "old.db"
    with open_store(db) as store:
        store.db.execute("VACUUM INTO ?", (str(copy),))
    with open_store(copy) as store:
        store.db.execute("DELETE FROM story_articles")
        store.db.execute("DELETE FROM stories")
        store.db.execute("DELETE FROM article_vectors")
        counts = update.update(store)
        assert (counts.embedded, counts.started, counts.joined) == (3, 2, 1)
        assert _story_of(store, ENGLISH["title"]) == _story_of(store, GERMAN["title"])
        assert update.update(store) == update.StoryCounts()


def test_an_english_query_finds_the_german_report_by_meaning(analysed: tuple[Path, Path]) -> None:
    db, _ = analysed
    with open_store(db) as store:
        query = search.build("car bomb at a vegetable market", search.Mode.MEANING, "de")
        total, hits = store.search(query)
        assert total == 1 and hits[0].title == GERMAN["title"] and hits[0].found_by == "meaning"
        fused = search.build("Manbij market car bomb")
        _, hits = store.search(fused, limit=3)
        assert {hit.title for hit in hits[:2]} == {ENGLISH["title"], GERMAN["title"]}
        assert hits[0].found_by == "both"  # the English one has the words too
        unrelated = search.build("recipe for chocolate cake", search.Mode.MEANING)
        assert store.search(unrelated) == (0, [])
        with pytest.raises(Exception, match="three letters"):
            search.build("IS", search.Mode.WORDS)


def test_stories_and_story_on_the_command_line(analysed: tuple[Path, Path]) -> None:
    db, _ = analysed
    command = [sys.executable, "-c", "from sitrep.cli import main; main()"]
    listed = subprocess.run(
        [*command, "stories", "--db", str(db), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    (story,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert story["articles"] == 2 and story["languages"] == ["de", "en"]
    shown = subprocess.run(
        [*command, "story", str(story["id"]), "--db", str(db)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "Beispiel-Zeitung" in shown.stdout and "Example Wire" in shown.stdout
    missing = subprocess.run(
        [*command, "story", "999", "--db", str(db)], capture_output=True, text=True
    )
    assert missing.returncode != 0 and "no story 999" in missing.stderr


def _row(number: int, article: str, sub_type: str, place: str, lat: float, **more) -> EventRow:
    kinds = {"Suicide bomb": "Explosions/Remote violence", "Arrests": "Strategic developments"}
    kinds["Remote explosive/landmine/IED"] = "Explosions/Remote violence"
    kinds["Disrupted weapons use"] = "Strategic developments"
    values = {"date_earliest": "2019-03-04", "date_latest": "2019-03-04", "fatalities": None}
    values |= more
    return EventRow(
        f"e{number}", article, kinds[sub_type], sub_type, None, None, "SY", place,
        values["date_earliest"], values["date_latest"], values["fatalities"], False, 0.9,
        lat=lat, lon=37.95, source=f"outlet {article}",
    )  # fmt: skip


def test_reports_of_one_bombing_merge_with_every_figure_and_the_lowest_coded() -> None:
    events = [
        _row(1, "a", "Remote explosive/landmine/IED", "Manbij", 36.53, fatalities=7),
        _row(2, "b", "Suicide bomb", "Manbidsch", 36.56, fatalities=9),  # 3 km off, other name
        _row(3, "c", "Remote explosive/landmine/IED", "Raqqa", 35.95, fatalities=7),  # far
        _row(4, "b", "Remote explosive/landmine/IED", "Manbij", 36.53, fatalities=8),  # b again
        _row(5, "d", "Remote explosive/landmine/IED", "Manbij", 36.53, date_earliest=None),
        _row(6, "a", "Arrests", "Manbij", 36.53),
        _row(7, "b", "Disrupted weapons use", "Manbij", 36.53),  # another strategic act
    ]
    (incident,) = merge.incidents(events)
    assert [r.event_id for r in incident.reports] == ["e1", "e2"]
    assert incident.fatalities == 7 and incident.sources_disagree
    assert incident.as_dict()["sources"] == ["outlet a", "outlet b"]
    assert not merge.same_event(events[0], events[2]) and not merge.same_event(events[5], events[6])


def test_the_window_keeps_stories_from_chaining_across_weeks() -> None:
    vector = np.ones(4, np.float32) / 2
    grouper = grouping.Grouper(join=0.9, window_days=1)
    first, _ = grouper.add("2019-03-04", vector)
    assert grouper.add("2019-03-05", vector)[0] == first  # the next day: the same story
    assert grouper.add("2019-03-20", vector)[0] != first  # two weeks on: a new one
    assert grouper.add(None, vector)[0] in {first, -2}  # undated: any alike story
    other = np.array([1, 0, 0, 0], np.float32)
    assert grouper.add("2019-03-04", other)[1] is None  # not alike: a story of its own


def test_eval_stories_on_small_files(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    fields = ["", "pair_id", "lang1", "lang2", "text1", "text2", "Overall"]
    with pairs.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        rows = [
            ("de", "en", GERMAN, ENGLISH, 1.0),
            ("en", "en", FOLLOW_UP, ENGLISH, 1.25),
            ("en", "en", UNRELATED, ENGLISH, 4.0),
            ("de", "en", GERMAN, UNRELATED, 4.0),
            ("es", "en", GERMAN, ENGLISH, 1.0),  # not a language Sitrep reads: left out
        ]
        for number, (one, two, first, second, overall) in enumerate(rows):
            writer.writerow(
                {"": number, "pair_id": f"p{number}", "lang1": one, "lang2": two,
                 "text1": first["text"], "text2": second["text"], "Overall": overall}
            )  # fmt: skip
    details: list[dict] = []
    scored = story_eval.semeval(pairs, details=details)
    assert scored["pairs"] == 4 == len(details)
    assert float(scored["pearson"]) > 0.5  # type: ignore[arg-type]
    by_pair = {row["pair_id"]: row["similarity"] for row in details}
    assert by_pair["p0"] > by_pair["p3"] and by_pair["p1"] > by_pair["p2"]
    fakes = tmp_path / "fakes.csv"
    columns = ["unit_id", "article_title", "article_content", "date", "location", "cause_of_death"]
    with fakes.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        for unit, (report, day) in enumerate(
            [(ENGLISH, "3/4/19"), (FOLLOW_UP, "3/4/19"), (UNRELATED, "3/4/19")]
        ):
            event = ("manbij", "explosion") if report is not UNRELATED else ("homs", "shelling")
            writer.writerow(
                {"unit_id": unit, "article_title": report["title"],
                 "article_content": report["text"], "date": day,
                 "location": event[0], "cause_of_death": event[1]}
            )  # fmt: skip
    grouped = story_eval.fakes(fakes)
    assert grouped["articles"] == 3 and grouped["events"] == 2
    assert grouped["b_cubed"] == {"p": 1.0, "r": 1.0, "f1": 1.0}


def test_a_syndicated_copy_and_a_light_update_are_sources_of_one_article(tmp_path: Path) -> None:
    copy = dict(ENGLISH, title="Syria: car bomb kills 7 in Manbij market", site="Other Outlet")
    copy["text"] = f"MANBIJ, Syria (Other Outlet) — {ENGLISH['text']}\n\nEditing by the desk."
    update = dict(ENGLISH, text=ENGLISH["text"].replace("at least 20", "at least 25"))
    reports = _write(
        tmp_path / "in", english=ENGLISH, copy=copy, update=update, follow_up=FOLLOW_UP
    )
    with open_store(tmp_path / "near.db") as store:
        summary = pipeline.run([str(reports)], Settings(workers=1, batch_size=2), store)
        assert (summary.stored, summary.near_duplicates) == (2, 2)  # in batches of two
        (shared,) = [row for row in store.articles() if row.n_sources == 3]
        assert {Path(key).stem for key in store.sources(shared.id)} == {"english", "copy", "update"}
        analyses = [store.analysis(row.id) for row in store.articles()]
        assert store.count("events") == sum(len(a.events) for a in analyses if a is not None)
        again = pipeline.run([str(reports)], Settings(workers=1), store)
        assert again.resumed == 4 and again.stored == again.near_duplicates == 0
        bombing = _story_of(store, str(shared.title))  # whichever copy came first
        view = story_view(store, bombing)
        assert view is not None
        assert sorted(article.sources for article in view.articles) == [1, 3]


def test_near_duplicate_signatures_tell_copies_from_reports_of_the_same_event() -> None:
    from sitrep import neardup

    english = neardup.signature(ENGLISH["text"])
    edited = neardup.signature(ENGLISH["text"].replace("seven civilians", "7 civilians"))
    follow_up = neardup.signature(FOLLOW_UP["text"])
    assert english is not None and edited is not None and follow_up is not None
    assert neardup.similarity(english, edited) >= neardup.NEAR
    assert neardup.similarity(english, follow_up) < 0.3  # the same bombing, another report
    assert neardup.signature("two words") is None
