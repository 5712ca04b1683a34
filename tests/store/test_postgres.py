"""The PostgreSQL backend on a real server (`sitrep.store.throwaway`): the same answers
as SQLite for the same analyses, migrations in step with SQLite's, writers that take
turns, and clear one-line errors when the server is unreachable or goes away."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import psycopg
import pytest

import apiclient
from sitrep import pipeline
from sitrep.errors import StoreError
from sitrep.ingest import read_paths
from sitrep.models import Document
from sitrep.settings import Settings
from sitrep.store import EventFilter, Outcome, SearchQuery, SQLiteStore, Store, open_store
from sitrep.store.base import SORTS
from sitrep.store.sql import migrations
from sitrep.store.throwaway import Cluster
from sitrep.stories.update import update

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
SITREP = [sys.executable, "-c", "from sitrep.cli import main; main()"]
REPORT = (
    "A car bomb exploded at a crowded vegetable market in the northern Syrian town of Manbij"
    " on Monday, killing seven civilians and wounding at least 20 others, according to local"
    " officials. The Manbij Military Council said the car had been packed with explosives."
)
BERICHT = (
    "Auf einem belebten Gemüsemarkt in der nordsyrischen Stadt Manbidsch ist am Montag eine"
    " Autobombe explodiert. Dabei wurden nach Angaben örtlicher Behörden sieben Zivilisten"
    " getötet und mindestens 20 weitere verletzt."
)


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    """The seed articles, an English and a German report of one bombing, a syndicated
    copy of the English one and a file that is no article, analysed once."""
    settings = Settings(workers=1, batch_size=16)
    documents = [item for item in read_paths([str(SEEDS)], settings) if isinstance(item, Document)]
    documents += [
        Document(source="wire/en.txt", content=REPORT, title="Car bomb", date="2019-03-04"),
        Document(source="zeitung/de.txt", content=BERICHT, title="Autobombe", date="2019-03-04"),
        Document(source="copy/en.txt", content=REPORT + " Reuters.", date="2019-03-04"),
        Document(source="empty.txt", content="   "),
    ]
    return pipeline.analyze_batch(documents, settings)


def _fill(store: Store, outcomes: list[Outcome]) -> dict[str, str]:
    run = store.begin_run(["seeds"])
    statuses = store.save_batch(run, outcomes[:4])
    statuses |= store.save_batch(run, outcomes[4:])
    update(store, [o.analysis.article.id for o in outcomes if o.analysis is not None])
    store.finish_run(run, "done", {})
    event = store.events(limit=2)
    store.add_review(event[0].id, "correct", "ana", {"fatalities": 99}, "a note")
    store.add_review(event[1].id, "reject", "ana", {}, None)
    return statuses


@pytest.fixture(scope="module")
def stores(outcomes, postgres, tmp_path_factory: pytest.TempPathFactory):
    """The same outcomes saved into SQLite and into PostgreSQL."""
    lite = SQLiteStore(tmp_path_factory.mktemp("parity") / "parity.db")
    server = open_store(postgres.database())
    assert _fill(lite, outcomes) == _fill(server, outcomes)
    yield lite, server
    lite.close()
    server.close()


def _filters(store: Store) -> list[EventFilter]:
    some = store.events(limit=1)[0]
    return [
        EventFilter(),
        EventFilter(background=True),
        EventFilter(event_type="Battles"),
        EventFilter(event_type="Air/drone strike"),
        EventFilter(country="sy"),
        EventFilter(since="2017-01-01", until="2019-12-31"),
        EventFilter(since="2019-03-04"),
        EventFilter(actor="forces"),
        EventFilter(text="manbij"),
        EventFilter(text="100%_"),
        EventFilter(language="de"),
        EventFilter(min_confidence=0.7),
        EventFilter(bbox=(35.0, 33.0, 43.0, 38.0)),
        EventFilter(bbox=(170.0, -90.0, -170.0, 90.0)),
        EventFilter(article_id=some.article_id),
        EventFilter(admin1=some.admin1),
        *(EventFilter(sort=sort) for key in SORTS for sort in (key, "-" + key)),
    ]


def test_postgres_answers_every_list_count_and_summary_as_sqlite_does(stores) -> None:
    lite, server = stores
    assert lite.count_events(EventFilter(background=True)) > 5
    for where in _filters(lite):
        assert server.events(where) == lite.events(where), where
        assert server.events(where, limit=3, offset=2) == lite.events(where, limit=3, offset=2)
        assert server.count_events(where) == lite.count_events(where), where
        assert server.points(where, limit=4) == lite.points(where, limit=4), where
        assert server.summarize(where) == lite.summarize(where), where
    for table in ("articles", "article_sources", "events", "items", "problems", "runs"):
        assert server.count(table) == lite.count(table), table
    assert server.articles() == lite.articles()
    assert server.articles(limit=2, offset=1, language="en") == lite.articles(2, "en", 1)
    assert list(server.analyses()) == list(lite.analyses())
    first = lite.articles()[0].id
    assert server.analysis(first) == lite.analysis(first) is not None
    assert server.sources(first) == lite.sources(first)
    assert server.analysis("no such article") is None


def test_postgres_keeps_reviews_vectors_stories_and_the_ledger_as_sqlite_does(stores) -> None:
    lite, server = stores
    reviewed = lite.reviews_in_force()
    assert len(reviewed) == 2
    assert {k: v.changes for k, v in server.reviews_in_force().items()} == {
        k: v.changes for k, v in reviewed.items()
    }
    for event_id in reviewed:
        assert [r.action for r in server.reviews(event_id)] == [
            r.action for r in lite.reviews(event_id)
        ]
        assert server.article_of(event_id) == lite.article_of(event_id) is not None
    last, ids, matrix = server.vectors()
    assert ids == lite.vectors()[1] and np.array_equal(matrix, lite.vectors()[2])
    assert server.vectors(last)[1] == [] and server.missing_vectors() == []
    assert server.stories() == lite.stories()
    story = next(row for row in lite.stories() if row.articles > 1)
    assert server.story(story.id) == lite.story(story.id)
    ledger = {f"{i}.txt": "x" for i in range(3)} | {"wire/en.txt": "wrong digest"}
    assert server.done(ledger) == lite.done(ledger)
    assert server.data_version() == lite.data_version()


def test_postgres_search_finds_what_sqlite_finds(stores, outcomes) -> None:
    lite, server = stores
    vector = next(o.vector for o in outcomes if o.analysis and o.analysis.article.language == "de")
    queries = [
        SearchQuery("Manbij"),
        SearchQuery("anschlag"),  # inside a German compound, any case
        SearchQuery("car bomb market"),
        SearchQuery("Raqqa", language="en"),
        SearchQuery("Islamic State", since="2018-01-01"),
        SearchQuery("zzzq"),
        SearchQuery("car bomb market Manbij", vector=vector, any_word=True),
    ]
    for query in queries:
        total, hits = lite.search(query)
        found_total, found = server.search(query)
        assert found_total == total, query.text
        assert {hit.article_id for hit in found} == {hit.article_id for hit in hits}, query.text
        by_id = {hit.article_id: hit for hit in hits}
        for hit in found:  # the same passage, marks and events; the scores are each its own
            twin = by_id[hit.article_id]
            assert (hit.passage, hit.marks, hit.events, hit.found_by) == (
                twin.passage,
                twin.marks,
                twin.events,
                twin.found_by,
            )
    total, (best, *_) = server.search(SearchQuery("Manbidsch"))
    assert best.language == "de" and "Manbidsch" in best.passage
    assert server.reindex_search() == lite.reindex_search()
    assert server.search(queries[2]) == server.search(queries[2])


def test_postgres_migrations_keep_step_with_sqlites(postgres) -> None:
    """Every schema change has its PostgreSQL twin: the last versions agree, and opening
    a migrated database again changes nothing."""
    assert migrations("postgres")[-1][0] == migrations()[-1][0]
    url = postgres.database()
    with open_store(url) as first, open_store(url) as second:
        assert first.schema_version() == second.schema_version() == migrations()[-1][0]


def test_postgres_unreachable_is_one_clear_line(postgres) -> None:
    url = f"postgresql://sitrep:secret@127.0.0.1:{postgres.port}/no_such_database"
    with pytest.raises(StoreError, match=r"\[S001\] .*:\*\*\*@.*cannot connect") as caught:
        open_store(url)
    assert "secret" not in str(caught.value)


def _write_reports(folder: Path, count: int, offset: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(offset, offset + count):
        report = {
            "title": f"Clashes near village {n}",
            "date": f"2019-02-{1 + n % 28:02d}",
            "text": f"Report {n}: fighters of the Islamic State attacked an SDF position near"
            f" Hajin on Sunday, killing {n % 9 + 2} fighters, the monitor said. Village {n} was"
            " shelled overnight.",
        }
        (folder / f"r{n:04d}.json").write_text(json.dumps(report), encoding="utf-8")
    return folder


def test_two_runs_at_once_on_one_postgres_database_lose_and_duplicate_nothing(
    postgres, tmp_path: Path
) -> None:
    url = postgres.database()
    reports = _write_reports(tmp_path / "reports", 12)
    env = {"SITREP_BATCH_SIZE": "3"}
    runs = [
        subprocess.Popen([*SITREP, "run", str(reports), "--db", url, "--workers", "1"],
                         env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]  # fmt: skip
    for run in runs:
        _, error = run.communicate(timeout=600)
        assert run.returncode == 0, error.decode()
    with open_store(url) as store:
        assert store.count("articles") == store.count("items") == 12
        assert store.count("article_sources") == 12
        keys = [row[0] for row in store.db.execute("SELECT item_key FROM items")]
        assert len(set(keys)) == 12
        per_article = store.db.execute(
            "SELECT COUNT(*) FROM events GROUP BY article_id HAVING COUNT(*) > 0"
        ).fetchall()
        assert len(per_article) == 12  # every article's events, written once
        assert store.count_events() == len(
            [e for a in store.analyses() for e in a.events if not e.background]
        )


@pytest.fixture
def own_server():
    """A server of the test's own, for tests that restart it."""
    with Cluster() as cluster:
        yield cluster


def test_server_restarted_mid_run_is_a_clear_error_and_a_rerun_completes(
    own_server, tmp_path: Path
) -> None:
    """The server goes away between two batches: the run stops with one line and a
    non-zero exit, every committed batch is whole, and the same command resumes."""
    postgres = own_server
    url = postgres.database()
    open_store(url).close()  # migrated, so that the watcher below has tables to read
    reports = _write_reports(tmp_path / "reports", 16)
    command = [*SITREP, "run", str(reports), "--db", url, "--workers", "1"]
    env = {**os.environ, "SITREP_BATCH_SIZE": "2"}
    run = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with psycopg.connect(url, autocommit=True) as watch:
        deadline = time.monotonic() + 300
        while watch.execute("SELECT COUNT(*) FROM items").fetchone()[0] < 2:
            assert run.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
    postgres.restart()
    _, error = run.communicate(timeout=300)
    said = error.decode()
    errors = [line for line in said.splitlines() if line.startswith("error:")]
    assert run.returncode == 1 and len(errors) == 1 and "Traceback" not in said, said
    assert errors[0].startswith("error: [S002] postgresql://sitrep@127.0.0.1:"), errors
    with open_store(url) as store:
        stored = store.count("articles")
        assert 2 <= stored < 16 and stored % 2 == 0  # whole batches only
        assert store.count("items") == store.count("article_sources") == stored
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{stored} already done" in rerun.stdout
    with open_store(url) as store:
        assert store.count("articles") == store.count("items") == 16


def test_postgres_rows_are_what_the_shared_sql_reads(stores) -> None:
    """The row records the API and exports serialise are plain values on both backends
    (no driver types such as Decimal or memoryview leak out)."""
    _, server = stores
    for row in server.events(EventFilter(background=True)):
        for field in dataclasses.fields(row):
            value = getattr(row, field.name)
            assert value is None or isinstance(value, (str, int, float, bool, tuple)), field
    assert json.dumps(dataclasses.asdict(server.summarize()))


def _untimed(value: object) -> object:
    """A response without the reviews' times (the two databases were reviewed apart)."""
    if isinstance(value, dict):
        return {key: _untimed(item) for key, item in value.items() if key != "at"}
    if isinstance(value, list):
        return [_untimed(item) for item in value]
    return value


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_api_served_from_postgres_answers_as_from_sqlite(stores, outcomes, own_server) -> None:
    """`sitrep serve --db postgresql://…`, a real server on loopback, gives the lists,
    counts, stories and search the same SQLite data gives in-process; when the database
    server restarts, a request fails with 503 and the next one is answered again."""
    lite, _ = stores
    url = own_server.database()
    with open_store(url) as server:
        _fill(server, outcomes)
    postgres = own_server
    port = _free_port()
    served = subprocess.Popen(
        [*SITREP, "serve", "--db", url, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/api/summary", timeout=5)
                break
            except httpx.TransportError:
                assert served.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        event_id = lite.events(limit=1)[0].id
        for path in (
            "/api/events?limit=50&sort=-fatalities",
            "/api/events?country=SY&background=true",
            "/api/summary",
            "/api/articles",
            "/api/stories",
            f"/api/events/{event_id}",
            "/api/search?q=Manbij&mode=words",
        ):
            remote = httpx.get(base + path, timeout=30)
            assert remote.status_code == 200, (path, remote.text)
            here = apiclient.get(Path(lite.path), path).json()
            assert _untimed(remote.json()) == _untimed(here), path
        found = httpx.get(f"{base}/api/search?q=car%20bomb%20market", timeout=60).json()
        here = apiclient.get(Path(lite.path), "/api/search?q=car%20bomb%20market").json()
        assert {h["article_id"] for h in found["hits"]} == {h["article_id"] for h in here["hits"]}
        postgres.restart()
        # each server thread's connection fails once (503, saying why), then reconnects
        answers = [httpx.get(f"{base}/api/summary", timeout=30) for _ in range(60)]
        assert {answer.status_code for answer in answers} <= {200, 503}
        assert all("database error" in a.text for a in answers if a.status_code == 503)
        assert [answer.status_code for answer in answers[-5:]] == [200] * 5
    finally:
        served.terminate()
        served.wait(timeout=30)
