"""The embedded default backend: one SQLite file (`sitrep.db`), WAL mode, one writer.

Each batch is one transaction holding its articles, their sources and the resume ledger
rows together: after a Ctrl-C or kill -9 a batch is either wholly there or wholly absent,
so a rerun redoes at most one batch and duplicates nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from sitrep.errors import Code, StoreError
from sitrep.models import Analysis, EventReview
from sitrep.store.base import ArticleRow, EventFilter, EventRow, Outcome, Store


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _review(row: tuple) -> EventReview:
    action, reviewer, at, changes, note = row
    return EventReview(
        action=action, reviewer=reviewer, at=at, changes=json.loads(changes), note=note
    )


def migrations() -> list[tuple[int, str]]:
    """(version, SQL) for every file in store/migrations, in order."""
    folder = resources.files("sitrep.store") / "migrations"
    scripts = sorted(
        (item for item in folder.iterdir() if item.name.endswith(".sql")), key=lambda i: i.name
    )
    return [(int(item.name.split("_", 1)[0]), item.read_text("utf-8")) for item in scripts]


class SQLiteStore(Store):
    """Articles in a SQLite file; the schema is migrated on open (PRAGMA user_version)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                Code.STORE_UNREADABLE, f"{self.path}: cannot open database ({exc})"
            ) from None

    def _migrate(self) -> None:
        current = self.db.execute("PRAGMA user_version").fetchone()[0]
        for version, script in migrations():
            if version > current:
                self.db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version={version};\nCOMMIT;")

    def schema_version(self) -> int:
        """The migration the database is at."""
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def begin_run(self, inputs: list[str]) -> int:
        cursor = self.db.execute(
            "INSERT INTO runs (started_at, status, inputs) VALUES (?, 'running', ?)",
            (_now(), json.dumps(inputs)),
        )
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, counts: dict[str, int]) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
            (_now(), status, json.dumps(counts), run_id),
        )

    def done(self, digests: dict[str, str]) -> set[str]:
        if not digests:
            return set()
        keys = list(digests)
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT item_key, digest FROM items WHERE item_key IN ({marks})", chunk
            )
            found.update(key for key, digest in rows if digests[key] == digest)
        return found

    def save_batch(self, run_id: int, outcomes: list[Outcome]) -> dict[str, str]:
        status: dict[str, str] = {}
        now = _now()
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            for outcome in outcomes:
                status[outcome.item_key] = self._save_one(db, run_id, outcome, now)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return status

    @staticmethod
    def _save_one(db: sqlite3.Connection, run_id: int, outcome: Outcome, now: str) -> str:
        """Write one item inside the open transaction; returns its status."""
        if outcome.problem is not None:
            code, stage, message = (
                outcome.problem.code,
                outcome.problem.stage,
                outcome.problem.message,
            )
            db.execute(
                "INSERT INTO problems (run_id, item_key, code, stage, message) VALUES (?,?,?,?,?)",
                (run_id, outcome.item_key, code, stage, message),
            )
        analysis = outcome.analysis
        if analysis is None:
            state, article_id = "failed", None
        else:
            article = analysis.article
            article_id = article.id
            inserted = db.execute(
                "INSERT INTO articles (id, title, language, published_date, published_precision,"
                " published_origin, n_warnings, analysis, first_run, created_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING",
                (
                    article.id,
                    article.title,
                    article.language,
                    article.published.date,
                    article.published.precision,
                    article.published.origin,
                    len(article.warnings),
                    analysis.model_dump_json(),
                    run_id,
                    now,
                ),
            ).rowcount
            state = "stored" if inserted else "duplicate"
            if inserted:
                SQLiteStore._save_events(db, analysis)
            db.execute(
                "INSERT INTO article_sources (article_id, item_key, url, run_id, added_at)"
                " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
                (article.id, outcome.item_key, article.url, run_id, now),
            )
        if outcome.digest is not None:
            db.execute(
                "INSERT INTO items (item_key, digest, status, article_id, run_id, updated_at)"
                " VALUES (?,?,?,?,?,?) ON CONFLICT(item_key) DO UPDATE SET digest=excluded.digest,"
                " status=excluded.status, article_id=excluded.article_id, run_id=excluded.run_id,"
                " updated_at=excluded.updated_at",
                (outcome.item_key, outcome.digest, state, article_id, run_id, now),
            )
        return state

    @staticmethod
    def _save_events(db: sqlite3.Connection, analysis: Analysis) -> None:
        """Index the events of a newly stored article."""
        for event in analysis.events:
            location = event.location
            db.execute(
                "INSERT INTO events (id, article_id, event_type, sub_event_type, actor1, actor2,"
                " country, location, date_earliest, date_latest, fatalities, background,"
                " confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING",
                (
                    event.id,
                    analysis.article.id,
                    event.event_type,
                    event.sub_event_type,
                    event.actor1,
                    event.actor2,
                    location.country if location else None,
                    location.name if location else None,
                    event.date.earliest,
                    event.date.latest,
                    event.fatalities,
                    int(event.background),
                    event.confidence,
                ),
            )

    def events(
        self, where: EventFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[EventRow]:
        clauses, params = self._event_where(where or EventFilter())
        sql = "SELECT id, article_id, event_type, sub_event_type, actor1, actor2, country,"
        sql += " location, date_earliest, date_latest, fatalities, background, confidence"
        sql += " FROM events" + (" WHERE " + " AND ".join(clauses) if clauses else "")
        sql += " ORDER BY date_earliest IS NULL, date_earliest, id"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params += [-1 if limit is None else limit, offset]
        rows = self.db.execute(sql, params).fetchall()
        return [EventRow(*row[:11], bool(row[11]), row[12]) for row in rows]

    def count_events(self, where: EventFilter | None = None) -> int:
        clauses, params = self._event_where(where or EventFilter())
        sql = "SELECT COUNT(*) FROM events" + (" WHERE " + " AND ".join(clauses) if clauses else "")
        return int(self.db.execute(sql, params).fetchone()[0])

    def analysis(self, article_id: str) -> Analysis | None:
        row = self.db.execute(
            "SELECT analysis FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return Analysis.model_validate_json(row[0]) if row else None

    def add_review(
        self, event_id: str, action: str, reviewer: str, changes: dict, note: str | None
    ) -> EventReview:
        review = EventReview(
            action=action, reviewer=reviewer, at=_now(), changes=changes, note=note
        )
        self.db.execute(
            "INSERT INTO reviews (event_id, reviewer, created_at, action, changes, note)"
            " VALUES (?,?,?,?,?,?)",
            (event_id, reviewer, review.at, action, json.dumps(changes), note),
        )
        return review

    def reviews(self, event_id: str) -> list[EventReview]:
        rows = self.db.execute(
            "SELECT action, reviewer, created_at, changes, note FROM reviews"
            " WHERE event_id = ? ORDER BY id",
            (event_id,),
        )
        return [_review(row) for row in rows]

    def reviews_in_force(self, event_ids: list[str] | None = None) -> dict[str, EventReview]:
        sql = (
            "SELECT event_id, action, reviewer, created_at, changes, note FROM reviews r"
            " WHERE id = (SELECT MAX(id) FROM reviews WHERE event_id = r.event_id)"
        )
        params: list[object] = []
        if event_ids is not None:
            sql += f" AND event_id IN ({','.join('?' * len(event_ids))})"
            params += event_ids
        return {row[0]: _review(row[1:]) for row in self.db.execute(sql, params)}

    def article_of(self, event_id: str) -> str | None:
        row = self.db.execute("SELECT article_id FROM events WHERE id = ?", (event_id,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def _event_where(where: EventFilter) -> tuple[list[str], list[object]]:
        """The SQL conditions and parameters of an event filter."""
        clauses: list[str] = []
        params: list[object] = []
        if not where.background:
            clauses.append("background = 0")
        if where.event_type:
            clauses.append("(event_type = ? OR sub_event_type = ?)")
            params += [where.event_type, where.event_type]
        if where.country:
            clauses.append("country = ?")
            params.append(where.country.upper())
        if where.since:
            clauses.append("date_latest >= ?")
            params.append(where.since)
        if where.until:
            clauses.append("date_earliest <= ?")
            params.append(where.until)
        if where.actor:
            clauses.append("(actor1 LIKE ? OR actor2 LIKE ?)")
            params += [f"%{where.actor}%"] * 2
        if where.min_confidence > 0:
            clauses.append("confidence >= ?")
            params.append(where.min_confidence)
        if where.language:
            clauses.append("article_id IN (SELECT id FROM articles WHERE language = ?)")
            params.append(where.language)
        return clauses, params

    def articles(
        self, limit: int | None = None, language: str | None = None, offset: int = 0
    ) -> list[ArticleRow]:
        sql = (
            "SELECT a.id, a.title, a.language, a.published_date, a.published_precision,"
            " a.published_origin, (SELECT COUNT(*) FROM article_sources s"
            " WHERE s.article_id = a.id), a.n_warnings FROM articles a"
        )
        params: list[object] = []
        if language is not None:
            sql += " WHERE a.language = ?"
            params.append(language)
        sql += " ORDER BY a.published_date IS NULL, a.published_date DESC, a.id"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params += [-1 if limit is None else limit, offset]
        return [ArticleRow(*row) for row in self.db.execute(sql, params)]

    def analyses(self) -> Iterator[Analysis]:
        for (payload,) in self.db.execute("SELECT analysis FROM articles ORDER BY rowid"):
            yield Analysis.model_validate_json(payload)

    def sources(self, article_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT item_key FROM article_sources WHERE article_id = ? ORDER BY added_at, item_key",
            (article_id,),
        )
        return [key for (key,) in rows]

    def count(self, table: str) -> int:
        """Rows in one of the store's tables (for summaries and tests)."""
        if table not in {"articles", "article_sources", "events", "items", "problems", "runs"}:
            raise ValueError(table)
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def close(self) -> None:
        self.db.close()
