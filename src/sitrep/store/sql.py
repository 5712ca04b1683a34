"""The SQL the SQLite and PostgreSQL backends share (`SQLStore`), written once with `?`
placeholders and the dialects' differences as class attributes.

Each batch is one transaction holding its articles, their sources and the resume ledger
rows together: after a Ctrl-C or kill -9 a batch is either wholly there or wholly absent,
so a rerun redoes at most one batch and duplicates nothing.
"""

from __future__ import annotations

import json
import re
from abc import abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any, ClassVar

import numpy as np

from sitrep import neardup
from sitrep.acled import EVENT_TYPES
from sitrep.errors import Code, StoreError
from sitrep.models import Analysis, Event, EventReview
from sitrep.reviews import apply, find_event
from sitrep.store.base import (
    ArticleRow,
    EventFilter,
    EventRow,
    EventSummary,
    MapPoint,
    Outcome,
    SearchHit,
    SearchQuery,
    Store,
    StoryArticle,
    StoryRow,
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _review(row: tuple) -> EventReview:
    action, reviewer, at, changes, note = row
    return EventReview(
        action=action, reviewer=reviewer, at=at, changes=json.loads(changes), note=note
    )


def migrations(dialect: str | None = None) -> list[tuple[int, str]]:
    """(version, SQL) for every file in store/migrations (SQLite's) or in its `dialect`
    folder (store/migrations/postgres), in order."""
    folder = resources.files("sitrep.store") / "migrations"
    if dialect:
        folder = folder / dialect
    scripts = sorted(
        (item for item in folder.iterdir() if item.name.endswith(".sql")), key=lambda i: i.name
    )
    return [(int(item.name.split("_", 1)[0]), item.read_text("utf-8")) for item in scripts]


# Search: how many candidates each ranking gives the fusion, the reciprocal-rank-fusion
# constant (Cormack et al., 2009), the least query-to-lead similarity a meaning hit needs,
# and how much of an article a hit found by meaning alone shows.
CANDIDATES = 200
RRF_K = 60
# The words' ranks count for less than the meaning's: they cannot cross languages, and a
# title's words pull same-language articles of other stories up. On SemEval-2022 Task 8's
# story pairs (`sitrep eval search`) nDCG@10 is 0.834 at 1, 0.843 at 0.5, 0.844 at 0.3
# and 0.848 at 0.2; cross-language recall@20 0.88, 0.94, 0.97 and 0.97.
WORDS_WEIGHT = 0.3
MIN_MEANING = 0.80
LEAD_PASSAGE = 240
PASSAGE_CHARS = 320  # a hit's passage found by words
COMMON_SHARE = 0.2  # a word in more of the articles than this tells nothing in a ranking
TELLING_WORDS = 4
TELLING_FLOOR = 100  # a word in this few articles always tells (a small archive's names)
_ROW_FIELDS = tuple(field.name for field in fields(EventRow))
_ROW_COLUMNS = ", ".join(_ROW_FIELDS)
# Every column a sort reads is in the `events_keys` index (migration 0006), so that the
# page's ids are chosen from the index alone; "-date" is the index's own order.
_OLDEST_FIRST = "date_earliest IS NULL, date_earliest, id"  # ties: undated last
_SORT_COLUMNS = {
    "date": "date_earliest IS NULL, date_earliest {direction}, id {direction}",
    "type": "event_type {direction}, sub_event_type {direction}, " + _OLDEST_FIRST,
    "location": "location IS NULL, location {direction}, " + _OLDEST_FIRST,
    "country": "country IS NULL, country {direction}, admin1 {nulls}, " + _OLDEST_FIRST,
    "fatalities": "fatalities {nulls}, id {direction}",  # not reported sorts lowest
    "confidence": "confidence {direction}, " + _OLDEST_FIRST,
}


def _order(sort: str, nulls_first: dict[str, str]) -> str:
    """The ORDER BY of a sort key ("date", "-fatalities"); unknown keys sort by date.
    Undated events come last either way (`date_desc` is '' for them). A column that may
    be NULL sorts as SQLite sorts it (lowest): `nulls_first` says so in the dialect."""
    if sort == "-date":
        return "date_desc DESC, id DESC"
    direction = "DESC" if sort.startswith("-") else "ASC"
    template = _SORT_COLUMNS.get(sort.lstrip("-"), _SORT_COLUMNS["date"])
    nulls = direction if not nulls_first else f"{direction} {nulls_first[direction]}"
    return template.format(direction=direction, nulls=nulls)


def _span_days(earliest: str | None, latest: str | None) -> int:
    """Days from the first to the last day of a date range (0 when either is unknown)."""
    if not earliest or not latest:
        return 0
    try:
        return max((date.fromisoformat(latest) - date.fromisoformat(earliest)).days, 0)
    except ValueError:
        return 0


def escape_like(word: str) -> str:
    """A word as a LIKE pattern matches it literally (with ESCAPE backslash)."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, np.float32).tobytes()


def _vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, np.float32)


def _window(
    text: str, words: list[str], width: int = PASSAGE_CHARS
) -> tuple[str, list[tuple[int, int]]]:
    """The `width` characters of `text` holding the most occurrences of the words (found
    inside words and in any case, as the trigram index finds them), and where they are."""
    found = sorted(
        (match.start(), match.end())
        for word in words
        for match in re.finditer(re.escape(word), text, re.IGNORECASE)
    )
    hits: list[tuple[int, int]] = []
    for start, stop in found:  # overlapping words ("operation" in "Luftoperation") as one
        if hits and start <= hits[-1][1]:
            hits[-1] = (hits[-1][0], max(hits[-1][1], stop))
        else:
            hits.append((start, stop))
    if not hits:
        return text[:width], []
    covered = [
        sum(1 for _, end in hits[i:] if end <= start + width) for i, (start, _) in enumerate(hits)
    ]
    first = hits[covered.index(max(covered))][0]
    begin = max(0, text.rfind(" ", 0, max(first - width // 4, 0)) + 1) if first > width // 4 else 0
    end = min(len(text), begin + width)
    lead, tail = ("…" if begin else ""), ("…" if end < len(text) else "")
    marks = [
        (start - begin + len(lead), stop - begin + len(lead))
        for start, stop in hits
        if begin <= start and stop <= end
    ]
    return lead + text[begin:end] + tail, marks


def _event_row(row: tuple) -> EventRow:
    values = dict(zip(_ROW_FIELDS, row, strict=True))
    values["background"] = bool(values["background"])
    values["evidence"] = tuple(json.loads(values["evidence"]))
    return EventRow(**values)


def said(exc: BaseException) -> str:
    """The first line of what a driver said about an error."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class Connection:
    """A DB-API connection as the shared SQL uses it: `?` placeholders whatever the driver
    takes, and the backend's operational errors (disk full, read-only, locked by another
    program, server gone) as one `StoreError` line instead of a driver traceback."""

    def __init__(
        self,
        raw: Any,
        name: str,
        errors: tuple[type[Exception], ...],
        placeholder: str = "?",
    ) -> None:
        self.raw = raw
        self.name = name
        self.errors = errors
        self.placeholder = placeholder

    def _sql(self, sql: str, params: object) -> tuple[str, Any]:
        if self.placeholder == "?":
            return sql, params
        if not params:  # no substitution, so a literal % stays as written
            return sql, None
        return sql.replace("%", "%%").replace("?", self.placeholder), params

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        """Run one statement; returns the driver's cursor."""
        query, values = self._sql(sql, params)
        try:
            if values is None:
                return self.raw.execute(query)
            return self.raw.execute(query, values)
        except self.errors as exc:
            raise self.failed(exc) from exc

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        """Run one statement for each row of parameters."""
        rows = list(rows)
        if not rows:
            return
        query, _ = self._sql(sql, rows[0])
        try:
            self.raw.cursor().executemany(query, rows)
        except self.errors as exc:
            raise self.failed(exc) from exc

    def failed(self, exc: Exception) -> StoreError:
        """One line naming the database and what the driver said."""
        return StoreError(Code.STORE_FAILED, f"{self.name}: database error: {said(exc)}")

    def close(self) -> None:
        self.raw.close()


class SQLStore(Store):
    """The SQL both backends share: writing batches, the events index, lists, counts,
    search fusion, vectors and stories. A backend connects, migrates, opens its write
    transactions and finds articles by their words; the few expressions the dialects
    spell differently are class attributes."""

    ARTICLE_TEXT: ClassVar[str]  # an article's text, from its analysis JSON (alias `a`)
    JOIN_DISTINCT: ClassVar[str]  # distinct values of the column `{}`, joined by commas
    LIKE: ClassVar[str]  # a LIKE that ignores case, as SQLite's does
    NO_LIMIT: ClassVar[int | None]  # what LIMIT takes for "no limit"
    # how a nullable sort column puts NULL lowest, by direction ({} when that is the default)
    NULLS: ClassVar[dict[str, str]] = {}
    db: Connection

    def __init__(self) -> None:
        # the lead vectors read so far, for meaning search: (last position, ids, matrix)
        self._vectors: tuple[int, list[str], np.ndarray | None] | None = None

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[None]:
        """One write transaction: everything or nothing is committed, even on Ctrl-C, and
        a second writer waits for it instead of failing halfway."""

    @abstractmethod
    def schema_version(self) -> int:
        """The migration the database is at."""

    @abstractmethod
    def _by_words(
        self, query: SearchQuery, filters: list[str], params: list[object], depth: int
    ) -> tuple[int, str | None, dict[str, int]]:
        """How many articles have every word (any telling word, with `query.any_word`),
        what found them (None when no word was searched), and the best `depth`, best
        first: article id -> its row in `article_search` (for its passage, which only the
        page's hits get)."""

    def reindex_search(self) -> int:
        """Fill the full-text index from the stored analyses; returns the articles."""
        count = 0
        with self._transaction():
            self.db.execute("DELETE FROM article_search")
            for analysis in self.analyses():
                self._index_text(analysis)
                count += 1
        return count

    def _index_text(self, analysis: Analysis) -> None:
        article = analysis.article
        self.db.execute(
            "INSERT INTO article_search (article_id, title, body) VALUES (?,?,?)",
            (article.id, article.title or "", article.text),
        )

    def reindex_events(self) -> int:
        """Rebuild the events index from the stored analyses and the reviews in force
        (after a migration that adds index columns); returns the number of events."""
        reviews = self.reviews_in_force()
        count = 0
        with self._transaction():
            for analysis in self.analyses():
                for event in analysis.events:
                    self._index(event, analysis, reviews.get(event.id))
                    count += 1
        return count

    def begin_run(self, inputs: list[str]) -> int:
        cursor = self.db.execute(
            "INSERT INTO runs (started_at, status, inputs) VALUES (?, 'running', ?) RETURNING id",
            (_now(), json.dumps(inputs)),
        )
        return int(cursor.fetchone()[0])

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
        with self._transaction():
            for outcome in outcomes:
                status[outcome.item_key] = self._save_one(run_id, outcome, now)
        return status

    def _save_one(self, run_id: int, outcome: Outcome, now: str) -> str:
        """Write one item inside the open transaction; returns its status."""
        if outcome.problem is not None:
            code, stage, message = (
                outcome.problem.code,
                outcome.problem.stage,
                outcome.problem.message,
            )
            self.db.execute(
                "INSERT INTO problems (run_id, item_key, code, stage, message) VALUES (?,?,?,?,?)",
                (run_id, outcome.item_key, code, stage, message),
            )
        analysis = outcome.analysis
        if analysis is None:
            state, article_id = "failed", None
        else:
            article = analysis.article
            article_id = article.id
            copied = self._copied(article_id, outcome.signature)
            if copied is not None:  # another source of a stored article: nothing analysed
                article_id = copied
                self.db.execute(
                    "INSERT INTO article_sources (article_id, item_key, url, run_id, added_at)"
                    " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
                    (copied, outcome.item_key, article.url, run_id, now),
                )
                # the ledger's "duplicate": the item is an article stored already
                self._ledger(run_id, outcome, "duplicate", copied, now)
                return "near-duplicate"
            inserted = self.db.execute(
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
                self._save_events(analysis)
                self._index_text(analysis)
                if outcome.vector is not None:
                    self.db.execute(
                        "INSERT INTO article_vectors (article_id, vector) VALUES (?,?)",
                        (article.id, _blob(outcome.vector)),
                    )
                if outcome.signature is not None:
                    self._sign(article.id, outcome.signature)
            self.db.execute(
                "INSERT INTO article_sources (article_id, item_key, url, run_id, added_at)"
                " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
                (article.id, outcome.item_key, article.url, run_id, now),
            )
        self._ledger(run_id, outcome, state, article_id, now)
        return state

    def _ledger(
        self,
        run_id: int,
        outcome: Outcome,
        state: str,
        article_id: str | None,
        now: str,
    ) -> None:
        """Record what became of an item (what a resumed run skips)."""
        if outcome.digest is None:
            return
        self.db.execute(
            "INSERT INTO items (item_key, digest, status, article_id, run_id, updated_at)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT(item_key) DO UPDATE SET digest=excluded.digest,"
            " status=excluded.status, article_id=excluded.article_id, run_id=excluded.run_id,"
            " updated_at=excluded.updated_at",
            (outcome.item_key, outcome.digest, state, article_id, run_id, now),
        )

    def _copied(self, article_id: str, signature: np.ndarray | None) -> str | None:
        """The stored article a new text nearly duplicates, or None (also when the text
        is stored already: that is an exact duplicate)."""
        if signature is None:
            return None
        if self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
            return None
        keys = neardup.band_keys(signature)
        pairs = " OR ".join(["(b.band = ? AND b.key = ?)"] * len(keys))
        candidates = self.db.execute(
            "SELECT DISTINCT s.article_id, s.signature FROM article_bands b"
            f" JOIN article_signatures s ON s.article_id = b.article_id WHERE {pairs}",
            [value for band, key in enumerate(keys) for value in (band, key)],
        ).fetchall()
        best, best_similarity = None, neardup.NEAR
        for candidate, blob in candidates:
            alike = neardup.similarity(signature, np.frombuffer(blob, np.uint32))
            if alike >= best_similarity:
                best, best_similarity = candidate, alike
        return best

    def _sign(self, article_id: str, signature: np.ndarray) -> None:
        self.db.execute(
            "INSERT INTO article_signatures (article_id, signature) VALUES (?,?)",
            (article_id, np.asarray(signature, np.uint32).tobytes()),
        )
        self.db.executemany(
            "INSERT INTO article_bands (band, key, article_id) VALUES (?,?,?)"
            " ON CONFLICT DO NOTHING",
            [(band, key, article_id) for band, key in enumerate(neardup.band_keys(signature))],
        )

    def _save_events(self, analysis: Analysis) -> None:
        """Index the events of a newly stored article."""
        for event in analysis.events:
            self._index(event, analysis, None)

    def _index(self, event: Event, analysis: Analysis, review: EventReview | None) -> None:
        """Write one event's index row as reviewed (a rejected event keeps its machine
        values, flagged `rejected`)."""
        shown = apply(event, review) if review else event
        row = EventRow.of(shown or event, analysis)
        values = {**row.__dict__, "background": int(row.background)}
        values["evidence"] = json.dumps(list(row.evidence), ensure_ascii=False)
        values["review"] = review.action if review else None
        values["rejected"] = int(shown is None)
        values["span_days"] = _span_days(row.date_earliest, row.date_latest)
        names = ",".join(values)
        updates = ",".join(f"{name}=excluded.{name}" for name in values if name != "id")
        self.db.execute(
            f"INSERT INTO events ({names}) VALUES ({','.join('?' * len(values))})"
            f" ON CONFLICT(id) DO UPDATE SET {updates}",
            list(values.values()),
        )

    def events(
        self, where: EventFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[EventRow]:
        where = where or EventFilter()
        clauses, params = self._event_where(where)
        order = _order(where.sort, self.NULLS)
        # The page's ids first, sorted from the narrow keys index; then only those wide rows.
        page = f"SELECT id FROM events WHERE {' AND '.join(clauses)} ORDER BY {order}"
        page += " LIMIT ? OFFSET ?"
        params += [self.NO_LIMIT if limit is None else limit, offset]
        sql = f"SELECT {_ROW_COLUMNS} FROM events WHERE id IN ({page}) ORDER BY {order}"
        return [_event_row(row) for row in self.db.execute(sql, params)]

    def points(self, where: EventFilter | None = None, limit: int | None = None) -> list[MapPoint]:
        where = where or EventFilter()
        clauses, params = self._event_where(where)
        sql = f"SELECT {', '.join(MapPoint._fields)} FROM events WHERE "
        sql += " AND ".join([*clauses, "lat IS NOT NULL", "lon IS NOT NULL"])
        sql += " ORDER BY " + _order(where.sort, self.NULLS) + " LIMIT ?"
        params.append(self.NO_LIMIT if limit is None else limit)
        return [MapPoint(*row) for row in self.db.execute(sql, params)]

    def count_events(self, where: EventFilter | None = None) -> int:
        clauses, params = self._event_where(where or EventFilter())
        sql = "SELECT COUNT(*) FROM events WHERE " + " AND ".join(clauses)
        return int(self.db.execute(sql, params).fetchone()[0])

    def summarize(self, where: EventFilter | None = None) -> EventSummary:
        clauses, params = self._event_where(where or EventFilter())
        condition = " WHERE " + " AND ".join(clauses)
        groups = self.db.execute(
            "SELECT event_type, sub_event_type, country, admin1, language, COUNT(*),"
            " SUM(fatalities), MIN(date_earliest), MAX(COALESCE(date_latest, date_earliest))"
            f" FROM events{condition} GROUP BY 1, 2, 3, 4, 5",
            params,
        ).fetchall()
        counters: list[Counter[str]] = [Counter() for _ in range(5)]
        for group in groups:
            for counter, key in zip(counters, group[:5], strict=True):
                if key is not None:
                    counter[key] += group[5]
        by_type, by_sub, by_country, by_admin1, by_language = counters
        by_day = self.db.execute(
            f"SELECT date_earliest, COUNT(*) FROM events{condition}"
            " AND date_earliest IS NOT NULL GROUP BY 1 ORDER BY 1",
            params,
        ).fetchall()
        return EventSummary(
            events=sum(group[5] for group in groups),
            fatalities=sum(group[6] or 0 for group in groups),
            first_date=min((group[7] for group in groups if group[7]), default=None),
            last_date=max((group[8] for group in groups if group[8]), default=None),
            by_type=dict(by_type.most_common()),
            by_sub_type=dict(by_sub.most_common()),
            by_country=dict(by_country.most_common()),
            by_admin1=dict(by_admin1.most_common()),
            by_language=dict(by_language.most_common()),
            by_day=dict(by_day),
        )

    def search(
        self, query: SearchQuery, limit: int = 20, offset: int = 0
    ) -> tuple[int, list[SearchHit]]:
        filters, params = ["1 = 1"], []
        for clause, value in (
            ("a.language = ?", query.language),
            ("a.published_date >= ?", query.since),
            ("a.published_date <= ?", query.until),
        ):
            if value:
                filters.append(clause)
                params.append(value)
        depth = max(CANDIDATES, offset + limit)
        total, match, rows_of = self._by_words(query, filters, params, depth)
        by_words = list(rows_of)
        by_meaning: list[str] = []
        if query.vector is not None:
            by_meaning = self._by_meaning(query.vector, filters, params, depth)
            total += len(set(by_meaning) - set(by_words))
        fused: dict[str, float] = {}
        for ranking, weight in ((by_words, WORDS_WEIGHT), (by_meaning, 1.0)):
            for rank, article_id in enumerate(ranking):
                fused[article_id] = fused.get(article_id, 0.0) + weight / (RRF_K + rank + 1)
        if query.any_word:  # ranked, not filtered: what was found is what was ranked
            total = len(fused)
        page = sorted(fused, key=lambda article_id: (-fused[article_id], article_id))
        page = page[offset : offset + limit]
        if not page:
            return total, []
        rows = self.db.execute(
            "SELECT a.id, a.title, a.language, a.published_date,"
            f" substr({self.ARTICLE_TEXT}, 1, ?),"
            " (SELECT COUNT(*) FROM events e WHERE e.article_id = a.id AND e.rejected = 0"
            f" AND e.background = 0) FROM articles a WHERE a.id IN ({','.join('?' * len(page))})",
            [LEAD_PASSAGE, *page],
        )
        found = {row[0]: row for row in rows}
        words, meaning = set(by_words), set(by_meaning)
        shown = [rows_of[article_id] for article_id in page if article_id in words]
        passages = self._passages(query.words(), shown) if match and shown else {}
        hits = []
        for article_id in page:
            article_id, title, language, published, lead, events = found[article_id]
            passage, marks = passages.get(article_id, (lead or "", []))
            how = (
                "both"
                if article_id in words and article_id in meaning
                else ("words" if article_id in words else "meaning")
            )
            score = round(fused[article_id], 6)
            hits.append(
                SearchHit(
                    article_id, title, language, published, passage, marks, score, events, how
                )
            )
        return total, hits

    def _passages(
        self, words: list[str], rows: list[int]
    ) -> dict[str, tuple[str, list[tuple[int, int]]]]:
        """The passage of each of these index rows where the words are thickest, marked.
        Read by row id and cut here: FTS5's snippet() re-runs the whole query for each
        row it is asked about, which costs more than the search itself."""
        found = self.db.execute(
            "SELECT article_id, body FROM article_search"
            f" WHERE rowid IN ({','.join('?' * len(rows))})",
            rows,
        )
        return {article_id: _window(text, words) for article_id, text in found}

    def _telling(self, words: list[str]) -> dict[str, int]:
        """The query's words worth ranking by, rarest first, with the articles each is in:
        those in at most `COMMON_SHARE` of the articles or `TELLING_FLOOR` articles,
        `TELLING_WORDS` at most. Ranking by every word of a typed title would score nearly
        every article for "said" or "forces"."""
        articles = self.db.execute("SELECT COALESCE(MAX(rowid), 0) FROM article_search")
        ceiling = int(max(COMMON_SHARE * articles.fetchone()[0], TELLING_FLOOR))
        rarity: dict[str, int] = {}
        for word in {word.lower() for word in words}:
            held = self._articles_with(word, ceiling)
            if 0 < held <= ceiling:
                rarity[word] = held
        rarest = sorted(rarity, key=lambda word: (rarity[word], word))[:TELLING_WORDS]
        return {word: rarity[word] for word in rarest}

    @abstractmethod
    def _articles_with(self, word: str, ceiling: int) -> int:
        """About how many articles hold `word` (never fewer than do; past `ceiling` the
        figure only has to stay past it)."""

    def _by_meaning(
        self, vector: np.ndarray, filters: list[str], params: list[object], depth: int
    ) -> list[str]:
        """The `depth` articles (passing the filters) whose lead vectors are most alike in
        meaning to the query's, at least `MIN_MEANING` alike, best first."""
        last, ids, matrix = self._vectors or (0, [], None)
        last, added, more = self.vectors(last)
        if added:  # only what was stored since the last search is read
            ids = ids + added
            matrix = more if matrix is None else np.vstack([matrix, more])
        self._vectors = last, ids, matrix
        if matrix is None:
            return []
        similarity = matrix @ np.asarray(vector, np.float32)
        wanted = min(len(ids), depth * 2)  # room for the filters to drop some
        top = np.argpartition(-similarity, wanted - 1)[:wanted]
        top = top[np.argsort(-similarity[top], kind="stable")]
        near = [ids[i] for i in top if similarity[i] >= MIN_MEANING]
        if not near:
            return []
        kept = {
            row[0]
            for row in self.db.execute(
                f"SELECT a.id FROM articles a WHERE a.id IN ({','.join('?' * len(near))})"
                " AND " + " AND ".join(filters),
                [*near, *params],
            )
        }
        return [article_id for article_id in near if article_id in kept][:depth]

    def data_version(self) -> tuple[int, int]:
        """Changes with every stored article and every review (articles and reviews are
        only ever added): what a cache of counts is keyed by."""
        row = self.db.execute(
            "SELECT (SELECT COALESCE(MAX(rowid), 0) FROM articles),"
            " (SELECT COALESCE(MAX(id), 0) FROM reviews)"
        ).fetchone()
        return int(row[0]), int(row[1])

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
        article_id = self.article_of(event_id)
        analysis = self.analysis(article_id) if article_id else None
        event = find_event(analysis, event_id) if analysis else None
        if analysis is None or event is None:
            raise StoreError(Code.STORE_UNREADABLE, f"no event {event_id!r} to review")
        with self._transaction():
            self.db.execute(
                "INSERT INTO reviews (event_id, reviewer, created_at, action, changes, note)"
                " VALUES (?,?,?,?,?,?)",
                (event_id, reviewer, review.at, action, json.dumps(changes), note),
            )
            self._index(event, analysis, review)
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

    def _event_where(self, where: EventFilter) -> tuple[list[str], list[object]]:
        """The SQL conditions (never empty: rejected events are always left out) and
        parameters of an event filter."""
        clauses: list[str] = ["rejected = 0"]
        params: list[object] = []
        if not where.background:
            clauses.append("background = 0")
        if where.event_type:
            column = "event_type" if where.event_type in EVENT_TYPES else "sub_event_type"
            clauses.append(f"{column} = ?")
            params.append(where.event_type)
        if where.country:
            clauses.append("country = ?")
            params.append(where.country.upper())
        if where.admin1:
            clauses.append("admin1 = ?")
            params.append(where.admin1)
        if where.since:
            # Overlap with the range; the second condition only narrows the index scan:
            # no event that starts more than the longest stored span before `since` can
            # reach it.
            longest = self.db.execute("SELECT MAX(span_days) FROM events").fetchone()[0] or 0
            floor = date.fromisoformat(where.since) - timedelta(days=longest)
            clauses.append("COALESCE(date_latest, date_earliest) >= ?")
            params.append(where.since)
            clauses.append("date_desc >= ?")  # bounds the keys index's scan
            params.append(floor.isoformat())
        if where.until:
            clauses.append("date_desc <= ? AND date_desc > ''")  # undated events fall outside
            params.append(where.until)
        if where.actor:
            clauses.append(f"(actor1 {self.LIKE} ? OR actor2 {self.LIKE} ?)")
            params += [f"%{where.actor}%"] * 2
        if where.min_confidence > 0:
            clauses.append("confidence >= ?")
            params.append(where.min_confidence)
        if where.language:
            clauses.append("language = ?")
            params.append(where.language)
        if where.article_id:
            clauses.append("article_id = ?")
            params.append(where.article_id)
        if where.bbox is not None:
            west, south, east, north = where.bbox
            clauses.append("lat BETWEEN ? AND ?")
            params += [south, north]
            # a box across the antimeridian has its west edge east of its east edge
            joint = "AND" if west <= east else "OR"
            clauses.append(f"(lon >= ? {joint} lon <= ?)")
            params += [west, east]
        for word in (where.text or "").split():
            columns = ("evidence", "location", "actor1", "actor2", "title", "sub_event_type")
            like = f" {self.LIKE} ? ESCAPE '\\'"
            clauses.append("(" + " OR ".join(column + like for column in columns) + ")")
            params += [f"%{escape_like(word)}%"] * len(columns)
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
            params += [self.NO_LIMIT if limit is None else limit, offset]
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

    def missing_vectors(self, limit: int = 256) -> list[str]:
        rows = self.db.execute(
            "SELECT a.id FROM articles a LEFT JOIN article_vectors v ON v.article_id = a.id"
            " WHERE v.article_id IS NULL ORDER BY a.rowid LIMIT ?",
            (limit,),
        )
        return [row[0] for row in rows]

    def save_vectors(self, vectors: dict[str, np.ndarray]) -> None:
        with self._transaction():
            self.db.executemany(
                "INSERT INTO article_vectors (article_id, vector) VALUES (?,?)"
                " ON CONFLICT(article_id) DO NOTHING",  # only added, never changed
                [(article_id, _blob(vector)) for article_id, vector in vectors.items()],
            )

    def vectors(self, after: int = 0) -> tuple[int, list[str], np.ndarray]:
        rows = self.db.execute(
            "SELECT rowid, article_id, vector FROM article_vectors WHERE rowid > ? ORDER BY rowid",
            (after,),
        )
        last, ids, blobs = after, [], []
        for last, article_id, blob in rows:  # noqa: B007 - the last row's position is kept
            ids.append(article_id)
            blobs.append(blob)
        width = len(blobs[0]) // 4 if blobs else 0  # float32: four bytes a value
        matrix = np.frombuffer(b"".join(blobs), np.float32).reshape(len(ids), width)
        return last, ids, matrix

    def unstoried(
        self, article_ids: list[str] | None = None
    ) -> list[tuple[str, str | None, np.ndarray]]:
        only, params = "", list(article_ids or ())
        if article_ids is not None:
            only = f" AND a.id IN ({','.join('?' * len(params))})"
        rows = self.db.execute(
            "SELECT a.id, a.published_date, v.vector FROM article_vectors v"
            " JOIN articles a ON a.id = v.article_id"
            " LEFT JOIN story_articles s ON s.article_id = a.id WHERE s.article_id IS NULL"
            + only
            + " ORDER BY a.published_date IS NULL, a.published_date, a.rowid",
            params,
        )
        return [(article_id, day, _vector(blob)) for article_id, day, blob in rows]

    def storied(
        self, since: str | None, until: str | None
    ) -> list[tuple[int, str | None, np.ndarray]]:
        sql = (
            "SELECT s.story_id, a.published_date, v.vector FROM story_articles s"
            " JOIN articles a ON a.id = s.article_id"
            " JOIN article_vectors v ON v.article_id = s.article_id"
        )
        params: list[object] = []
        if since is not None and until is not None:
            sql += " WHERE a.published_date IS NULL OR a.published_date BETWEEN ? AND ?"
            params += [since, until]
        rows = self.db.execute(sql + " ORDER BY s.rowid", params)
        return [(story, day, _vector(blob)) for story, day, blob in rows]

    def save_stories(self, joined: list[tuple[str, int, float | None]]) -> dict[int, int]:
        made: dict[int, int] = {}
        now = _now()
        with self._transaction():
            for article_id, story, similarity in joined:
                if story < 0 and story not in made:
                    made[story] = int(
                        self.db.execute(
                            "INSERT INTO stories (created_at) VALUES (?) RETURNING id", (now,)
                        ).fetchone()[0]
                    )
                story_id = made.get(story, story)
                self.db.execute(
                    "INSERT INTO story_articles (article_id, story_id, similarity, added_at)"
                    " VALUES (?,?,?,?) ON CONFLICT(article_id) DO NOTHING",
                    (article_id, story_id, similarity, now),
                )
            for story_id in {made.get(story, story) for _, story, _ in joined}:
                self.db.execute(
                    "UPDATE stories SET (first_published, last_published) = (SELECT"
                    " MIN(a.published_date), MAX(a.published_date) FROM story_articles s"
                    " JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?) WHERE id = ?",
                    (story_id, story_id),
                )
        return made

    @property
    def _story_rows(self) -> str:
        """Every story's row (`_story_row` reads it): the first titled article's title,
        else the opening of the first article."""
        return (
            "SELECT st.id AS id, (SELECT COALESCE(NULLIF(a.title, ''),"
            f" substr({self.ARTICLE_TEXT}, 1, 100))"
            " FROM story_articles s JOIN articles a ON a.id ="
            " s.article_id WHERE s.story_id = st.id ORDER BY COALESCE(a.title, '') = '',"
            " a.published_date IS NULL,"
            " a.published_date, s.rowid LIMIT 1) AS title, st.first_published AS first_published,"
            " st.last_published AS last_published,"
            " (SELECT COUNT(*) FROM story_articles s WHERE s.story_id = st.id) AS n,"
            f" (SELECT {self.JOIN_DISTINCT.format('a.language')} FROM story_articles s"
            " JOIN articles a ON a.id = s.article_id WHERE s.story_id = st.id) AS languages,"
            " (SELECT COUNT(*) FROM story_articles s JOIN events e ON e.article_id = s.article_id"
            " WHERE s.story_id = st.id AND e.rejected = 0 AND e.background = 0) AS events"
            " FROM stories st"
        )

    @staticmethod
    def _story_row(row: tuple) -> StoryRow:
        languages = tuple(sorted(filter(None, (row[5] or "").split(","))))
        return StoryRow(row[0], row[1], row[2], row[3], row[4], languages, row[6])

    def stories(self, limit: int = 50, offset: int = 0, min_articles: int = 1) -> list[StoryRow]:
        rows = self.db.execute(
            f"SELECT * FROM ({self._story_rows}) AS story WHERE n >= ?"
            " ORDER BY last_published IS NULL, last_published DESC, id DESC LIMIT ? OFFSET ?",
            (min_articles, limit, offset),
        )
        return [self._story_row(row) for row in rows]

    def story(self, story_id: int) -> tuple[StoryRow, list[StoryArticle]] | None:
        row = self.db.execute(self._story_rows + " WHERE st.id = ?", (story_id,)).fetchone()
        if row is None:
            return None
        members = self.db.execute(
            "SELECT a.id, a.title, a.language, a.published_date, a.analysis, s.similarity,"
            " (SELECT COUNT(*) FROM events e WHERE e.article_id = a.id AND e.rejected = 0"
            " AND e.background = 0),"
            " (SELECT COUNT(*) FROM article_sources r WHERE r.article_id = a.id)"
            " FROM story_articles s JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?"
            " ORDER BY a.published_date IS NULL, a.published_date, s.rowid",
            (story_id,),
        ).fetchall()
        articles = [
            StoryArticle(
                m[0],
                m[1],
                m[2],
                m[3],
                Analysis.model_validate_json(m[4]).article.outlet(),
                m[5],
                m[6],
                m[7],
            )
            for m in members
        ]
        return self._story_row(row), articles

    def close(self) -> None:
        self.db.close()
