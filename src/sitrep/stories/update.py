"""Bringing a store's stories up to date: vectors for stored articles that lack one, then
articles without a story placed by `grouping`.

A run places each committed batch's new articles, and once at its start whatever a crash
left unplaced (or unembedded), so stories are resumable without reading the whole store
after every batch; nothing is placed twice (an article's story is its primary key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sitrep.store import Store
from sitrep.stories import grouping, vectors


@dataclass
class StoryCounts:
    """What one update did."""

    embedded: int = 0
    joined: int = 0  # articles that joined a story there was
    started: int = 0  # stories begun


def _shift(day: str | None, days: int) -> str | None:
    try:
        return (date.fromisoformat((day or "")[:10]) + timedelta(days=days)).isoformat()
    except ValueError:
        return None


def backfill(store: Store, batch: int = 64) -> int:
    """Compute the lead vectors stored articles lack; returns how many."""
    done = 0
    while missing := store.missing_vectors(batch):
        analyses = [store.analysis(article_id) for article_id in missing]
        found = [analysis for analysis in analyses if analysis is not None]
        store.save_vectors(
            dict(
                zip(
                    (analysis.article.id for analysis in found),
                    vectors.article_vectors(found),
                    strict=True,
                )
            )
        )
        done += len(found)
    return done


def update(store: Store, articles: list[str] | None = None) -> StoryCounts:
    """Place these newly stored articles in stories; without `articles`, embed what lacks
    a vector and place every article without a story (what a run does once, at its start,
    for a database from before stories or a crash). Returns what was done."""
    counts = StoryCounts()
    if articles is None:
        counts.embedded = backfill(store)
    elif not articles:
        return counts
    pending = store.unstoried(articles)
    if not pending:
        return counts
    days = [day for _, day, _ in pending if day]
    window = grouping.WINDOW_DAYS
    since = _shift(min(days), -window) if days else None
    until = _shift(max(days), window) if days else None
    grouper = grouping.Grouper()
    for story, day, vector in store.storied(since, until):
        grouper.known(story, day, vector)
    joined = []
    for article_id, day, vector in pending:
        story, similarity = grouper.add(day, vector)
        joined.append((article_id, story, similarity))
        counts.started += similarity is None
        counts.joined += similarity is not None
    store.save_stories(joined)
    return counts
