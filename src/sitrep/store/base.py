"""What every storage backend offers the pipeline, the CLI and (later) the API.

Backends (SQLite now, PostgreSQL for a team server) implement this one small interface,
the way httpx's transports share `BaseTransport`, so the pipeline never knows which it has.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sitrep.models import Analysis, Event, EventReview, Location, Problem


@dataclass(frozen=True)
class Outcome:
    """What happened to one input item: stored, a duplicate of a stored text, or failed
    (`problem` says why)."""

    item_key: str
    digest: str | None
    analysis: Analysis | None = None
    problem: Problem | None = None
    vector: np.ndarray | None = None  # the article's lead vector (`sitrep.stories.vectors`)
    signature: np.ndarray | None = None  # its text's MinHash (`sitrep.neardup`)


@dataclass(frozen=True)
class ArticleRow:
    """One line of `sitrep articles`."""

    id: str
    title: str | None
    language: str | None
    published_date: str | None
    published_precision: str | None
    published_origin: str
    n_sources: int
    n_warnings: int


SORTS = ("date", "type", "location", "country", "fatalities", "confidence")


@dataclass(frozen=True)
class EventFilter:
    """What `sitrep events`, exports, the API and the page narrow events by; None means
    any. Every condition is on the values as reviewed (a corrected type is filtered by its
    correction), and rejected events are left out."""

    event_type: str | None = None  # an event type or a sub-event type
    country: str | None = None
    since: str | None = None
    until: str | None = None
    actor: str | None = None
    background: bool = False
    min_confidence: float = 0.0  # the classifier's confidence in the event's type, 0-1
    language: str | None = None  # the language of the event's article
    admin1: str | None = None
    text: str | None = None  # words in the evidence, place, actors or article title
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    article_id: str | None = None  # the events of one article
    sort: str = "date"  # one of SORTS, "-" first for descending


@dataclass(frozen=True)
class EventRow:
    """One event as the index holds it: the coded fields as reviewed, where and when, and
    its article's language, outlet and date. Lists, maps and filters read these rows; the
    analysis JSON stays the record of truth for one event's evidence."""

    id: str
    article_id: str
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    country: str | None
    location: str | None
    date_earliest: str | None
    date_latest: str | None
    fatalities: int | None
    background: bool
    confidence: float
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    time_precision: int | None = None
    language: str | None = None
    source: str = ""
    published: str | None = None
    title: str | None = None
    evidence: tuple[str, ...] = ()  # the sentences it was read from
    review: str | None = None  # the action of the review in force

    @classmethod
    def of(cls, event: Event, analysis: Analysis) -> EventRow:
        """The index row of one event of an analysis (as reviewed, when `event` is)."""
        location = event.location or Location()
        article = analysis.article
        text = article.text
        return cls(
            id=event.id,
            article_id=article.id,
            event_type=event.event_type,
            sub_event_type=event.sub_event_type,
            actor1=event.actor1,
            actor2=event.actor2,
            country=location.country,
            location=location.name,
            date_earliest=event.date.earliest,
            date_latest=event.date.latest,
            fatalities=event.fatalities,
            background=event.background,
            confidence=event.confidence,
            admin1=location.admin1,
            lat=location.lat,
            lon=location.lon,
            geo_precision=location.geo_precision,
            time_precision=event.time_precision,
            language=article.language,
            source=article.outlet(),
            published=article.published.date,
            title=article.title,
            evidence=tuple(text[start:end] for start, end in (e.sentence for e in event.evidence)),
            review=event.review.action if event.review else None,
        )


class MapPoint(NamedTuple):
    """What a map draws of one event: its place and precision, type and toll, and enough to
    label it; the rest is one request away (`/api/events/{id}`)."""

    id: str
    lat: float
    lon: float
    geo_precision: int | None
    event_type: str
    sub_event_type: str
    location: str | None
    date_earliest: str | None
    fatalities: int | None


@dataclass(frozen=True)
class EventSummary:
    """Counts over the events matching a filter: what the page's timeline, counters and
    filter choices show."""

    events: int
    fatalities: int
    first_date: str | None
    last_date: str | None
    by_type: dict[str, int] = field(default_factory=dict)
    by_sub_type: dict[str, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)
    by_admin1: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
    by_day: dict[str, int] = field(default_factory=dict)  # earliest date -> events


MIN_WORD = 3  # letters: the full-text index reads words in trigrams


@dataclass(frozen=True)
class SearchQuery:
    """Words to find in articles' titles and texts (all of them, anywhere in a word), and
    what they mean (`vector`, the query's multilingual embedding: articles alike in meaning
    in any language), with the filters of an article list."""

    text: str
    language: str | None = None
    since: str | None = None  # publication date, YYYY-MM-DD
    until: str | None = None
    vector: np.ndarray | None = field(default=None, compare=False)
    # Rank articles with any of the words by BM25 (what fusion with meaning wants: a
    # title typed as a query rarely has every word in another report) instead of only
    # those with every word (what a search by words alone promises).
    any_word: bool = False

    def words(self) -> list[str]:
        """The words searched for: three letters or more, as written ("IS" is too short
        for a trigram index; "Islamic State" is two words)."""
        return [w for w in re.findall(r"[\w'’-]+", self.text) if len(w.strip("'’-")) >= MIN_WORD]


@dataclass(frozen=True)
class StoryArticle:
    """An article of a story, as its timeline lists it."""

    article_id: str
    title: str | None
    language: str | None
    published: str | None
    source: str
    similarity: float | None  # to the article it joined on; None for the first
    events: int
    sources: int = 1  # items read as this article (near-duplicates and copies included)


@dataclass(frozen=True)
class StoryRow:
    """One story: its articles' count, languages and publication span, and its title (the
    first article's)."""

    id: int
    title: str | None
    first_published: str | None
    last_published: str | None
    articles: int
    languages: tuple[str, ...]
    events: int


@dataclass(frozen=True)
class SearchHit:
    """One article that matches, with the passage that matches best."""

    article_id: str
    title: str | None
    language: str | None
    published: str | None
    passage: str
    marks: list[tuple[int, int]]  # where the query's words are in `passage`
    score: float  # reciprocal-rank fusion of the words' and the meaning's ranks; higher first
    events: int  # coded events of the article (not background, not rejected)
    found_by: str = "words"  # "words", "meaning" or "both"


class Store(ABC):
    """A database of analysed articles, written one committed batch at a time."""

    @abstractmethod
    def begin_run(self, inputs: list[str]) -> int:
        """Record the start of a run; returns its id."""

    @abstractmethod
    def finish_run(self, run_id: int, status: str, counts: dict[str, int]) -> None:
        """Record how a run ended ("done", "interrupted", "failed")."""

    @abstractmethod
    def done(self, digests: dict[str, str]) -> set[str]:
        """Item keys already processed with the same digest (what a resumed run skips)."""

    @abstractmethod
    def save_batch(self, run_id: int, outcomes: list[Outcome]) -> dict[str, str]:
        """Commit one batch atomically; returns item key -> "stored"|"duplicate"|"failed"."""

    @abstractmethod
    def articles(
        self, limit: int | None = None, language: str | None = None, offset: int = 0
    ) -> list[ArticleRow]:
        """Stored articles, newest publication first (unknown dates last)."""

    @abstractmethod
    def events(
        self, where: EventFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[EventRow]:
        """Stored events matching `where`, in `where.sort` order (by date, undated last,
        by default), from `offset` on."""

    @abstractmethod
    def points(self, where: EventFilter | None = None, limit: int | None = None) -> list[MapPoint]:
        """The placed events matching `where`, as little as a map draws of each."""

    @abstractmethod
    def count_events(self, where: EventFilter | None = None) -> int:
        """How many stored events match `where` (for paging)."""

    @abstractmethod
    def summarize(self, where: EventFilter | None = None) -> EventSummary:
        """Counts by type, place, language and day of the events matching `where`."""

    @abstractmethod
    def search(
        self, query: SearchQuery, limit: int = 20, offset: int = 0
    ) -> tuple[int, list[SearchHit]]:
        """How many articles match `query`, and one page of them, best first."""

    @abstractmethod
    def reindex_search(self) -> int:
        """Rebuild the full-text index from the stored analyses."""

    @abstractmethod
    def data_version(self) -> tuple[int, int]:
        """A value that changes whenever articles or reviews are added (for caches)."""

    @abstractmethod
    def reindex_events(self) -> int:
        """Rebuild the events index from the analyses and the reviews in force."""

    @abstractmethod
    def analysis(self, article_id: str) -> Analysis | None:
        """One stored article's analysis, or None when there is no such article."""

    @abstractmethod
    def add_review(
        self, event_id: str, action: str, reviewer: str, changes: dict, note: str | None
    ) -> EventReview:
        """Store one review of an event (its history is kept); returns it as stored."""

    @abstractmethod
    def reviews(self, event_id: str) -> list[EventReview]:
        """Every review of an event, oldest first (the last is the one in force)."""

    @abstractmethod
    def reviews_in_force(self, event_ids: list[str] | None = None) -> dict[str, EventReview]:
        """The latest review of each reviewed event (of these events, when given)."""

    @abstractmethod
    def article_of(self, event_id: str) -> str | None:
        """The id of the article an event was coded from, or None for an unknown event."""

    @abstractmethod
    def analyses(self) -> Iterator[Analysis]:
        """Every stored analysis, in a stable order (for exports)."""

    @abstractmethod
    def sources(self, article_id: str) -> list[str]:
        """The item keys (file paths, lines, rows) an article was read from."""

    @abstractmethod
    def missing_vectors(self, limit: int = 256) -> list[str]:
        """Stored articles without a lead vector (stored before vectors existed, or whose
        embedding failed)."""

    @abstractmethod
    def save_vectors(self, vectors: dict[str, np.ndarray]) -> None:
        """Store lead vectors of stored articles."""

    @abstractmethod
    def vectors(self, after: int = 0) -> tuple[int, list[str], np.ndarray]:
        """The lead vectors stored after position `after` (0: all), in the order they were
        stored: the position of the last, article ids and an (n, 384) float32 matrix.
        Vectors are only ever added, so a reader keeps what it has and asks for the rest."""

    @abstractmethod
    def unstoried(
        self, article_ids: list[str] | None = None
    ) -> list[tuple[str, str | None, np.ndarray]]:
        """Articles (of these, when given) with a vector and no story yet, oldest
        publication first (undated last): (article id, publication date, vector)."""

    @abstractmethod
    def storied(
        self, since: str | None, until: str | None
    ) -> list[tuple[int, str | None, np.ndarray]]:
        """Articles in stories published from `since` to `until` (both None: all), and
        the undated ones: (story id, publication date, vector)."""

    @abstractmethod
    def save_stories(self, joined: list[tuple[str, int, float | None]]) -> dict[int, int]:
        """Put articles in stories, (article id, story, similarity) each; a negative
        story is a new one, made here. Returns the ids the new stories got."""

    @abstractmethod
    def stories(self, limit: int = 50, offset: int = 0, min_articles: int = 1) -> list[StoryRow]:
        """Stories, latest publication first."""

    @abstractmethod
    def story(self, story_id: int) -> tuple[StoryRow, list[StoryArticle]] | None:
        """One story and its articles in publication order, or None."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
