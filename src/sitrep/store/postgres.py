"""The team backend: one PostgreSQL database (`--db postgresql://…`) several analysts and
several `sitrep run` processes share.

The SQL is SQLite's (`sitrep.store.sql`); what differs is how it connects and migrates,
how writers take turns (a transaction-scoped advisory lock, so two runs at once never
interleave half batches or store one near-duplicate twice), and how words are found: a
pg_trgm trigram index answers "any part of a word, any case" as SQLite's FTS5 trigram
index does, and a BM25 score computed in the query ranks the matches.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import ClassVar

import psycopg

from sitrep.errors import Code, StoreError
from sitrep.store.base import SearchQuery
from sitrep.store.sql import Connection, SQLStore, escape_like, migrations

WRITE_LOCK = 0x5E7E_0001  # the advisory lock every write transaction holds
CONNECT_SECONDS = 10
# BM25's constants (Robertson et al.; FTS5 uses the same), and how many articles the
# average length is taken from.
K1, B = 1.2, 0.75
LENGTH_SAMPLE = 1000
_DOCUMENT = "(s.title || ' ' || s.body)"  # what the trigram index is built on


def redacted(url: str) -> str:
    """The database URL without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


class PostgresStore(SQLStore):
    """Articles in a PostgreSQL database; the schema is migrated on open (its
    `schema_migrations` table), by one process at a time."""

    ARTICLE_TEXT = "(a.analysis::json #>> '{article,text}')"
    JOIN_DISTINCT = "string_agg(DISTINCT {}, ',')"
    LIKE = "ILIKE"
    NO_LIMIT = None
    NULLS: ClassVar[dict[str, str]] = {"ASC": "NULLS FIRST", "DESC": "NULLS LAST"}

    def __init__(self, url: str) -> None:
        super().__init__()
        self.path = redacted(url)
        try:
            raw = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_SECONDS)
        except psycopg.Error as exc:
            said = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
            raise StoreError(
                Code.STORE_UNREADABLE, f"{self.path}: cannot connect ({said})"
            ) from None
        errors = (psycopg.OperationalError, psycopg.errors.ReadOnlySqlTransaction)
        self.db = Connection(raw, self.path, errors, placeholder="%s")
        self._average_length: float | None = None
        self._migrate()

    def _migrate(self) -> None:
        with self._transaction():
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            current = self.schema_version()
            for version, script in migrations("postgres"):
                if version > current:
                    self.db.execute(script)
                    self.db.execute(
                        "INSERT INTO schema_migrations (version) VALUES (?)", (version,)
                    )

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Writers queue on one advisory lock, held until this transaction ends."""
        self.db.execute("BEGIN")
        try:
            self.db.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
            yield
        except BaseException:
            if not self.db.raw.closed:
                # when the server is gone, it has rolled back for us
                with suppress(psycopg.Error):
                    self.db.raw.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def schema_version(self) -> int:
        row = self.db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return int(row.fetchone()[0])

    def _by_words(
        self, query: SearchQuery, filters: list[str], params: list[object], depth: int
    ) -> tuple[int, str | None, dict[str, int]]:
        """Found by the trigram index (ILIKE), ranked by BM25 over the words' occurrences."""
        held = self._telling(query.words()) if query.any_word else {}
        words = sorted(held or {word.lower() for word in query.words()})
        if not words:
            return 0, None, {}
        joiner = " OR " if query.any_word else " AND "
        found = "(" + joiner.join(f"{_DOCUMENT} ILIKE ?" for _ in words) + ")"
        patterns = [f"%{escape_like(word)}%" for word in words]
        joined = (
            " FROM article_search s JOIN articles a ON a.id = s.article_id"
            f" WHERE {found} AND " + " AND ".join(filters)
        )
        total = 0  # a ranking by any word counts what it ranks (`search`), not every match
        if not query.any_word:
            total = int(
                self.db.execute("SELECT COUNT(*)" + joined, [*patterns, *params]).fetchone()[0]
            )
        score, weights = self._bm25(words, held)
        rows = self.db.execute(
            f"SELECT a.id, s.rowid{joined} ORDER BY {score} DESC, s.rowid LIMIT ?",
            [*patterns, *params, *weights, depth],
        )
        return total, joiner.join(words), dict(rows.fetchall())

    def _bm25(self, words: list[str], held: dict[str, int]) -> tuple[str, list[object]]:
        """A BM25 score of the words as an SQL expression over `s`, and its parameters:
        each word's occurrences (case ignored, inside words too), weighed by how rare it
        is (`held`: the articles a word is in, where counted already) and damped by the
        article's length."""
        articles = int(self.db.execute("SELECT COUNT(*) FROM article_search").fetchone()[0])
        lower = f"lower({_DOCUMENT})"
        norm = f"({1 - B} + {B} * length({lower}) / {self._mean_length():.1f})"
        terms, params = [], []
        for word in words:
            holding = held[word] if word in held else self._articles_with(word, articles)
            idf = math.log(1 + (articles - holding + 0.5) / (holding + 0.5))
            often = f"((length({lower}) - length(replace({lower}, ?, ''))) / {len(word)}.0)"
            terms.append(f"? * {often} * {K1 + 1} / ({often} + {K1} * {norm})")
            params += [idf, word, word]
        return " + ".join(terms), params

    def _mean_length(self) -> float:
        """The average length of the searched text, from a sample (read once)."""
        if self._average_length is None:
            row = self.db.execute(
                f"SELECT AVG(length({_DOCUMENT})) FROM (SELECT title, body FROM article_search"
                " LIMIT ?) s",
                (LENGTH_SAMPLE,),
            ).fetchone()
            self._average_length = max(float(row[0] or 0.0), 1.0)
        return self._average_length

    def _articles_with(self, word: str, ceiling: int) -> int:
        row = self.db.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM article_search s WHERE {_DOCUMENT} ILIKE ?"
            " LIMIT ?) t",
            (f"%{escape_like(word)}%", ceiling + 1),
        ).fetchone()
        return int(row[0])
