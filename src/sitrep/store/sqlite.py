"""The embedded default backend: one SQLite file (`sitrep.db`), WAL mode, one writer.

Words are found by an FTS5 trigram index ranked by BM25; the schema is migrated on open
(PRAGMA user_version).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sitrep.errors import Code, StoreError
from sitrep.store.base import SearchQuery
from sitrep.store.sql import Connection, SQLStore, migrations, said

INDEX_VERSION = 4  # the migration that gave the events index its list columns
SEARCH_VERSION = 5  # the migration that added the full-text index
# Reads through a memory map share the operating system's page cache between connections
# (a server keeps one per thread) instead of copying pages into each: lists and counts on
# 100,000 events take about a fifth less time.
MMAP_BYTES = 256 * 1024 * 1024
LOCK_WAIT_SECONDS = 30.0  # how long a writer waits for another program's lock


class SQLiteStore(SQLStore):
    """Articles in a SQLite file."""

    ARTICLE_TEXT = "json_extract(a.analysis, '$.article.text')"
    JOIN_DISTINCT = "GROUP_CONCAT(DISTINCT {})"
    LIKE = "LIKE"
    NO_LIMIT = -1

    def __init__(self, path: str | Path, lock_wait: float = LOCK_WAIT_SECONDS) -> None:
        super().__init__()
        self.path = str(path)
        try:
            raw = sqlite3.connect(self.path, isolation_level=None, timeout=lock_wait)
            self.db = Connection(raw, self.path, (sqlite3.OperationalError,))
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            self._migrate()
        except (sqlite3.DatabaseError, StoreError) as exc:
            reason = said(exc.__cause__ or exc)  # the driver's words, not our wrapping
            if Path(self.path).exists() and "unable to open" in reason:
                reason += "; is the file or its folder read-only?"
            raise StoreError(
                Code.STORE_UNREADABLE, f"{self.path}: cannot open database ({reason})"
            ) from None

    def _migrate(self) -> None:
        current = self.schema_version()
        for version, script in migrations():
            if version > current:
                self.db.raw.executescript(
                    f"BEGIN;\n{script}\nPRAGMA user_version={version};\nCOMMIT;"
                )
        if 0 < current < INDEX_VERSION:
            self.reindex_events()
        if 0 < current < SEARCH_VERSION:
            self.reindex_search()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Taken at once (BEGIN IMMEDIATE), so a second writer waits up to the lock wait."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.db.raw.in_transaction:  # a full disk may have rolled it back already
                self.db.raw.rollback()
            raise
        self.db.execute("COMMIT")

    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _by_words(
        self, query: SearchQuery, filters: list[str], params: list[object], depth: int
    ) -> tuple[int, str | None, dict[str, int]]:
        """Found by the FTS5 trigram index, ranked by BM25."""
        words = list(self._telling(query.words())) if query.any_word else query.words()
        if not words:
            return 0, None, {}
        joiner = " OR " if query.any_word else " AND "
        match = joiner.join('"' + word.replace('"', '""') + '"' for word in words)
        joined = (
            " FROM article_search JOIN articles a ON a.id = article_search.article_id"
            " WHERE article_search MATCH ? AND " + " AND ".join(filters)
        )
        total = 0  # a ranking by any word counts what it ranks (`search`), not every match
        if not query.any_word:
            total = int(self.db.execute("SELECT COUNT(*)" + joined, [match, *params]).fetchone()[0])
        rows = self.db.execute(
            # FTS5's own `rank` (BM25) lets it keep only the best `depth` as it scans:
            # half the time of sorting every match by bm25() on 100,000 articles
            "SELECT a.id, article_search.rowid" + joined + " ORDER BY article_search.rank LIMIT ?",
            [match, *params, depth],
        )
        return total, match, dict(rows.fetchall())

    def _articles_with(self, word: str, ceiling: int) -> int:
        """A word is in no more articles than its rarest trigram (`article_search_vocab`);
        a trigram the index lacks means no article has it."""
        trigrams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
        found = self.db.execute(
            "SELECT MIN(doc), COUNT(*) FROM article_search_vocab"
            f" WHERE term IN ({','.join('?' * len(trigrams))})",
            trigrams,
        ).fetchone()
        return 0 if found[1] < len(trigrams) else int(found[0] or 0)
