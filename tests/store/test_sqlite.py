"""The SQLite store: migrations, atomic batches, deduplication by text, the resume ledger."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sitrep.errors import StoreError
from sitrep.models import Analysis, Article, DateRange, Event, Evidence, Location, Problem
from sitrep.store import Outcome, SearchQuery, SQLiteStore, open_store
from sitrep.store.sqlite import migrations


def _analysis(article_id: str, text: str, source: str) -> Analysis:
    return Analysis(article=Article(id=article_id, source=source, text=text, language="en"))


def test_store_migrates_a_new_file_to_the_latest_version(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "new.db")
    assert store.schema_version() == migrations()[-1][0] >= 1
    store.close()
    reopened = SQLiteStore(tmp_path / "new.db")  # migrating twice is a no-op
    assert reopened.schema_version() == migrations()[-1][0]
    reopened.close()


def test_store_same_text_from_two_files_is_one_article_with_two_sources(db: SQLiteStore) -> None:
    run = db.begin_run(["a.txt", "b.txt"])
    saved = db.save_batch(
        run,
        [
            Outcome("a.txt", "d1", analysis=_analysis("abc", "Same text.", "a.txt")),
            Outcome("b.txt", "d2", analysis=_analysis("abc", "Same text.", "b.txt")),
        ],
    )
    assert saved == {"a.txt": "stored", "b.txt": "duplicate"}
    assert db.count("articles") == 1
    assert db.sources("abc") == ["a.txt", "b.txt"]
    assert db.articles()[0].n_sources == 2


def test_store_resume_ledger_matches_key_and_digest(db: SQLiteStore) -> None:
    run = db.begin_run(["x"])
    db.save_batch(run, [Outcome("x.txt", "d1", analysis=_analysis("id1", "T.", "x.txt"))])
    assert db.done({"x.txt": "d1", "y.txt": "d9"}) == {"x.txt"}
    assert db.done({"x.txt": "changed"}) == set()


def test_store_batch_is_all_or_nothing(db: SQLiteStore) -> None:
    run = db.begin_run(["x"])
    good = Outcome("a.txt", "d1", analysis=_analysis("id1", "A.", "a.txt"))
    broken = Outcome("b.txt", "d2", analysis=_analysis("id2", "B.", "b.txt"))
    object.__setattr__(broken, "item_key", None)  # violates NOT NULL mid-batch
    with pytest.raises(sqlite3.IntegrityError):
        db.save_batch(run, [good, broken])
    assert db.count("articles") == 0 and db.count("items") == 0


def test_store_failures_are_recorded_with_their_reason(db: SQLiteStore) -> None:
    run = db.begin_run(["x"])
    saved = db.save_batch(
        run,
        [
            Outcome(
                "bad.txt", "d", problem=Problem(code="I002", stage="ingest", message="bad.txt: PNG")
            )
        ],
    )
    assert saved == {"bad.txt": "failed"}
    row = db.db.execute("SELECT item_key, code, stage, message FROM problems").fetchone()
    assert row == ("bad.txt", "I002", "ingest", "bad.txt: PNG")


def test_store_roundtrips_the_analysis(db: SQLiteStore) -> None:
    original = _analysis("id1", "Kämpfe in Mossul.", "a.txt")
    original.warn("language", "L003", "mixed")
    db.save_batch(db.begin_run([]), [Outcome("a.txt", "d", analysis=original)])
    assert list(db.analyses()) == [original]


def test_store_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"\[S001\] .*notes.db: cannot open database"):
        open_store(path)


def _event(event_id: str, start: int, end: int, place: str, lat: float) -> Event:
    return Event(
        id=event_id,
        event_type="Battles",
        sub_event_type="Armed clash",
        location=Location(name=place, lat=lat, lon=40.0, country="SY", geo_precision=1),
        date=DateRange(earliest="2019-01-02", latest="2019-01-02"),
        fatalities=3,
        confidence=0.9,
        evidence=[Evidence(sentence=(start, end))],
    )


def test_store_migration_4_reindexes_old_events_with_their_reviews(tmp_path: Path) -> None:
    """A database written before the events index had its list columns (version 3) is
    migrated and reindexed from its analyses: coordinates filled in, a rejected event left
    out of lists, a corrected one listed with its correction."""
    path = tmp_path / "old.db"
    text = "Clashes in Hajin. Clashes in Baghuz."
    analysis = _analysis("a1", text, "old.txt")
    analysis.events = [_event("e1", 0, 17, "Hajin", 34.69), _event("e2", 18, 36, "Baghuz", 34.4)]
    old = sqlite3.connect(path, isolation_level=None)
    for version, script in migrations()[:3]:
        old.executescript(f"BEGIN;\n{script}\nPRAGMA user_version={version};\nCOMMIT;")
    old.execute(
        "INSERT INTO articles (id, language, published_origin, n_warnings, analysis,"
        " created_at) VALUES ('a1', 'en', 'unknown', 0, ?, 'then')",
        (analysis.model_dump_json(),),
    )
    for event in analysis.events:
        old.execute(
            "INSERT INTO events (id, article_id, event_type, sub_event_type, location,"
            " background, confidence) VALUES (?, 'a1', 'Battles', 'Armed clash', ?, 0, 0.9)",
            (event.id, event.location.name),
        )
    reviews = [("e1", "correct", '{"fatalities": 5}'), ("e2", "reject", "{}")]
    old.executemany(
        "INSERT INTO reviews (event_id, reviewer, created_at, action, changes)"
        " VALUES (?, 'analyst', 'then', ?, ?)",
        reviews,
    )
    old.close()
    with open_store(path) as store:
        assert store.schema_version() == migrations()[-1][0] >= 4
        rows = store.events()
        assert [(row.id, row.fatalities, row.review) for row in rows] == [("e1", 5, "correct")]
        assert rows[0].lat == 34.69 and rows[0].evidence == ("Clashes in Hajin.",)
        assert store.count_events() == 1 and store.summarize().fatalities == 5
        total, (hit,) = store.search(SearchQuery("Baghuz"))  # the text index is filled too
        assert (
            total == 1 and hit.article_id == "a1" and hit.passage[slice(*hit.marks[0])] == "Baghuz"
        )
