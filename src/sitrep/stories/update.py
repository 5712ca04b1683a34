"""Bringing a store's stories up to date after a batch: vectors for stored articles that
lack one, then every article without a story placed by `grouping`.

Run after each committed batch, it is what makes stories resumable: whatever a crash
left unplaced (or unembedded) is placed by the next run, and nothing is placed twice (an
article's story is its primary key).
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


def update(store: Store) -> StoryCounts:
    """Place every article that has no story yet; returns what was done."""
    counts = StoryCounts(embedded=backfill(store))
    pending = store.unstoried()
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
