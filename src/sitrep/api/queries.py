"""What the API and the page both read: the event filters as query parameters, and one
event with its evidence and review history."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Annotated, Literal, TypeVar, cast

from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException

from sitrep.export.views import event_detail, event_summary
from sitrep.models import Analysis, Event
from sitrep.reviews import apply, find_event
from sitrep.store import EventFilter, EventSummary, Store
from sitrep.store.base import SORTS

__all__ = ["Counts", "EventsQuery", "FilterQuery", "coded_event", "event_view"]

T = TypeVar("T")
SORT_PATTERN = "^-?(" + "|".join(SORTS) + ")$"
MAX_PAGE = 10_000  # a map draws every matching event in one request


class FilterQuery(BaseModel):
    """The event filters every list, map and count takes, as query parameters."""

    model_config = {"populate_by_name": True}

    event_type: Annotated[
        str | None, Field(alias="type", description="An event type or a sub-event type.")
    ] = None
    country: Annotated[
        str | None, Field(min_length=2, max_length=2, description="ISO 3166 code.")
    ] = None
    admin1: str | None = None
    actor: Annotated[str | None, Field(description="Actor 1 or 2 contains this.")] = None
    since: date | None = None
    until: date | None = None
    min_confidence: Annotated[float, Field(ge=0, le=1)] = 0.0
    background: Annotated[bool, Field(description="Include history told in passing.")] = False
    language: str | None = None
    q: Annotated[
        str | None,
        Field(max_length=200, description="Words in the evidence, place, actors or title."),
    ] = None
    sort: Annotated[
        str, Field(pattern=SORT_PATTERN, description="A field, '-' first for descending.")
    ] = "date"
    bbox: Annotated[
        str | None,
        Field(
            max_length=200,
            description="Only events placed in this box: west,south,east,north in degrees"
            " (west > east crosses the antimeridian).",
        ),
    ] = None

    @field_validator("bbox")
    @classmethod
    def _box(cls, value: str | None) -> str | None:
        if value is not None:
            _box(value)
        return value

    def to_filter(self) -> EventFilter:
        """The store's filter for these parameters."""
        return EventFilter(
            event_type=self.event_type or None,
            country=self.country,
            since=self.since.isoformat() if self.since else None,
            until=self.until.isoformat() if self.until else None,
            actor=self.actor or None,
            background=self.background,
            min_confidence=self.min_confidence,
            language=self.language or None,
            admin1=self.admin1 or None,
            text=self.q or None,
            sort=self.sort,
            bbox=_box(self.bbox) if self.bbox else None,
        )


def _box(value: str) -> tuple[float, float, float, float]:
    """west,south,east,north, checked: four numbers, latitudes south to north in -90..90,
    longitudes in -180..180."""
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        raise ValueError("bbox is four numbers: west,south,east,north") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise ValueError("bbox longitudes are between -180 and 180")
    if not (-90 <= south <= north <= 90):
        raise ValueError("bbox latitudes are between -90 and 90, south first")
    return west, south, east, north


class EventsQuery(FilterQuery):
    """The filters plus one page of the list and its format."""

    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 100
    offset: Annotated[int, Field(ge=0)] = 0
    fmt: Annotated[
        Literal["json", "geojson", "csv", "points"],
        Field(
            alias="format",
            description="json (a page of events), geojson, csv (ACLED's columns) or points"
            " (what a map draws: id, lat, lon, geo_precision, type, sub-type, place, date,"
            " fatalities per placed event, as arrays).",
        ),
    ] = "json"


class Counts:
    """Totals and summaries per filter, kept until the database changes
    (`Store.data_version`): every page load and every page of the table asks for the same
    few counts, and counting 100,000 events takes tens of milliseconds (a full summary a
    few hundred)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self.kept: dict[tuple[str, EventFilter, tuple[int, int]], object] = {}
        self.lock = threading.Lock()

    def _get(self, kind: str, opened: Store, where: EventFilter, compute: Callable[[], T]) -> T:
        key = (kind, replace(where, sort="date"), opened.data_version())
        with self.lock:
            found = self.kept.get(key)
        if found is None:
            found = compute()
            with self.lock:
                if len(self.kept) >= self.size:
                    self.kept.clear()
                self.kept[key] = found
        return cast(T, found)

    def summary(self, opened: Store, where: EventFilter) -> EventSummary:
        """The summary of `where` on the database as it is now."""
        return self._get("summary", opened, where, lambda: opened.summarize(where))

    def total(self, opened: Store, where: EventFilter) -> int:
        """How many events match `where` now."""
        return self._get("total", opened, where, lambda: opened.count_events(where))


def coded_event(opened: Store, event_id: str) -> tuple[Analysis, Event]:
    """The machine's event `event_id` and the analysis it belongs to (404 when unknown)."""
    article_id = opened.article_of(event_id)
    analysis = opened.analysis(article_id) if article_id else None
    machine = find_event(analysis, event_id) if analysis else None
    if analysis is None or machine is None:
        raise HTTPException(404, f"no event {event_id!r}")
    return analysis, machine


def event_view(opened: Store, analysis: Analysis, machine: Event) -> dict[str, object]:
    """One event as reviewed, with the machine's own values and the review history (a
    rejected event is still shown here, marked by its review)."""
    event_id = machine.id
    history = opened.reviews(event_id)
    shown = machine
    if history:
        shown = apply(machine, history[-1]) or machine.model_copy(update={"review": history[-1]})
    return {
        "ok": True,
        "event": event_detail(shown, analysis),
        "machine": event_summary(machine, analysis) if history else None,
        "reviews": [item.model_dump() for item in history],
    }
