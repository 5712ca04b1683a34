"""An analyst's reviews of coded events, and the events as reviewed.

A review confirms an event, corrects some of its fields (type, sub-type, actors, place,
date, fatalities) or rejects it, with a note. Reviews are stored as their own layer with
who and when, every one kept; the machine's analysis is never overwritten. Exports and the
API show the reviewed values (`reviewed_events`): a corrected event carries its new values
and `review`, a rejected one is left out, and every reviewed event says so.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from sitrep.acled import SUB_EVENT_TYPES
from sitrep.models import Analysis, DateRange, Event, EventReview, Location
from sitrep.store.base import EventRow, Store

__all__ = [
    "Correction",
    "ReviewIn",
    "apply",
    "find_event",
    "reviewed_events",
    "reviewed_page",
]


class Correction(BaseModel):
    """The fields an analyst may correct; a field left out keeps the machine's value."""

    model_config = {"extra": "forbid"}

    event_type: str | None = None
    sub_event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    location: Location | None = None
    date: DateRange | None = None
    fatalities: int | None = Field(default=None, ge=0)


class ReviewIn(BaseModel):
    """One review as an analyst submits it."""

    model_config = {"extra": "forbid"}

    action: Literal["confirm", "correct", "reject"]
    reviewer: str = Field(min_length=1, max_length=200)
    changes: Correction = Field(default_factory=Correction)
    note: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _consistent(self) -> ReviewIn:
        given = self.changes.model_dump(exclude_none=True)
        if self.action == "correct" and not given:
            raise ValueError("a correction must change at least one field")
        if self.action != "correct" and given:
            raise ValueError(f"a {self.action} review changes no field")
        kind, sub = self.changes.event_type, self.changes.sub_event_type
        if kind is not None and kind not in SUB_EVENT_TYPES:
            raise ValueError(f"unknown event type {kind!r}")
        if kind is not None and sub is None:
            raise ValueError("a corrected event type needs its sub-event type too")
        if sub is not None and kind is not None and sub not in SUB_EVENT_TYPES[kind]:
            raise ValueError(f"{sub!r} is not a sub-event type of {kind!r}")
        return self

    def fits(self, event: Event) -> bool:
        """A sub-type corrected alone belongs to the event's own type."""
        sub = self.changes.sub_event_type
        if sub is None or self.changes.event_type is not None:
            return True
        return sub in SUB_EVENT_TYPES[event.event_type]


def apply(event: Event, review: EventReview) -> Event | None:
    """The event as reviewed (None when rejected): corrected fields replaced, the review
    attached so every reader can tell a reviewed value from a machine one."""
    if review.action == "reject":
        return None
    update: dict[str, object] = dict(review.changes)
    if "location" in update:
        update["location"] = Location.model_validate(update["location"])
    if "date" in update:
        update["date"] = DateRange.model_validate(update["date"])
    return event.model_copy(update={**update, "review": review})


def reviewed_events(analysis: Analysis, reviews: dict[str, EventReview]) -> Analysis:
    """The analysis with the reviews in force applied to its events."""
    if not any(event.id in reviews for event in analysis.events):
        return analysis
    events = []
    for event in analysis.events:
        review = reviews.get(event.id)
        kept = apply(event, review) if review else event
        if kept is not None:
            events.append(kept)
    return analysis.model_copy(update={"events": events})


def find_event(analysis: Analysis, event_id: str) -> Event | None:
    """The event `event_id` of an analysis, or None."""
    return next((event for event in analysis.events if event.id == event_id), None)


def reviewed_page(opened: Store, rows: list[EventRow]) -> list[tuple[Event, Analysis]]:
    """The full events of a page of rows as reviewed (rejected ones left out), each with
    its analysis (read once per article)."""
    analyses: dict[str, Analysis | None] = {}
    reviews = opened.reviews_in_force([row.id for row in rows]) if rows else {}
    page = []
    for row in rows:
        if row.article_id not in analyses:
            analyses[row.article_id] = opened.analysis(row.article_id)
        analysis = analyses[row.article_id]
        found = find_event(analysis, row.id) if analysis else None
        if found is not None and row.id in reviews:
            found = apply(found, reviews[row.id])
        if analysis is not None and found is not None:
            page.append((found, analysis))
    return page
