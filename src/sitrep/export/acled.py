"""Events as CSV in ACLED's 31 columns, so Sitrep output drops into ACLED-based workflows.

`notes` is the evidence sentence (every sentence reporting the event, joined), `source` the
outlet (`Article.outlet`), `source_scale` how that outlet stands to the event's country
(`sitrep.export.scale`). Unknown values are empty cells; `fatalities` is 0 when no count was
reported, as in ACLED's own data.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable
from typing import TextIO

from sitrep.acled import CIVILIANS, DISORDER_TYPES, interaction
from sitrep.export.countries import country
from sitrep.export.scale import source_scale
from sitrep.models import Analysis, Event

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip


def _tags(event: Event) -> str:
    """ACLED's `tags`: history told in passing, and an analyst's review."""
    tags = ["background"] if event.background else []
    if event.review is not None:
        tags.append(f"reviewed: {event.review.action}")
    return "; ".join(tags)


def row(event: Event, analysis: Analysis, stamp: int) -> dict[str, object]:
    """One CSV row for one event of one article."""
    location = event.location
    facts = country(location.country if location else None)
    text = analysis.article.text
    notes = " ".join(text[start:end] for start, end in (e.sentence for e in event.evidence))
    event_date = event.date.earliest or ""
    violent = DISORDER_TYPES[event.event_type] == "Political violence"
    return {
        "event_id_cnty": f"{facts.alpha3 if facts else 'XXX'}-{event.id}",
        "event_date": event_date,
        "year": event_date[:4],
        "time_precision": event.time_precision or "",
        "disorder_type": DISORDER_TYPES[event.event_type],
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1 or "",
        "assoc_actor_1": "; ".join(event.assoc_actor_1),
        "inter1": event.inter1 or "",
        "actor2": event.actor2 or "",
        "assoc_actor_2": "; ".join(event.assoc_actor_2),
        "inter2": event.inter2 or "",
        "interaction": interaction(event.inter1, event.inter2),
        "civilian_targeting": "Civilian targeting" if violent and event.inter2 == CIVILIANS else "",
        "iso": facts.numeric if facts and facts.numeric else "",
        "region": facts.region if facts and facts.region else "",
        "country": facts.name if facts else "",
        "admin1": (location.admin1 if location else None) or "",
        "admin2": "",
        "admin3": "",
        "location": (location.name if location else None) or "",
        "latitude": location.lat if location and location.lat is not None else "",
        "longitude": location.lon if location and location.lon is not None else "",
        "geo_precision": (location.geo_precision if location else None) or "",
        "source": analysis.article.outlet(),
        "source_scale": source_scale(
            analysis.article.outlet(), location.country if location else None
        ),
        "notes": notes,
        "fatalities": event.fatalities or 0,
        "tags": _tags(event),
        "timestamp": stamp,
    }


def write_events(events: Iterable[tuple[Event, Analysis]], handle: TextIO) -> int:
    """Write the CSV of chosen events (each with its analysis); returns how many."""
    writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    stamp, count = int(time.time()), 0
    for event, analysis in events:
        writer.writerow(row(event, analysis, stamp))
        count += 1
    return count


def write(analyses: Iterable[Analysis], handle: TextIO, background: bool = False) -> int:
    """Write the CSV of every event (background history only when asked); returns how
    many."""
    chosen = (
        (event, analysis)
        for analysis in analyses
        for event in analysis.events
        if background or not event.background
    )
    return write_events(chosen, handle)
