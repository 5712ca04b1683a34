"""Events as a GeoJSON FeatureCollection (RFC 7946) for GIS tools and web maps.

Events without coordinates keep `geometry: null`, which RFC 7946 allows, so nothing is
silently dropped from the collection.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from sitrep.export.views import row_summary
from sitrep.models import Analysis, Event, EventReview
from sitrep.store.base import EventRow


def feature(event: Event, analysis: Analysis) -> dict[str, object]:
    """One Feature of an event of an analysis (see `row_feature`)."""
    return row_feature(EventRow.of(event, analysis), event.review)


def row_feature(row: EventRow, review: EventReview | None = None) -> dict[str, object]:
    """One Feature: the event's point and the properties the API lists it with, plus the
    sentences it was read from (a review shows as its action)."""
    geometry = None
    if row.lat is not None and row.lon is not None:
        geometry = {"type": "Point", "coordinates": [row.lon, row.lat]}
    properties = row_summary(row, review)
    for key in ("id", "lat", "lon"):
        del properties[key]
    return {
        "type": "Feature",
        "id": row.id,
        "geometry": geometry,
        "properties": {
            **properties,
            "review": review.action if review else None,
            "evidence": list(row.evidence),
        },
    }


def write(analyses: Iterable[Analysis], handle: TextIO, background: bool = False) -> int:
    """Write one FeatureCollection; returns the number of features."""
    features = [
        feature(event, analysis)
        for analysis in analyses
        for event in analysis.events
        if background or not event.background
    ]
    json.dump({"type": "FeatureCollection", "features": features}, handle, ensure_ascii=False)
    handle.write("\n")
    return len(features)
