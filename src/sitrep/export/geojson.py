"""Events as a GeoJSON FeatureCollection (RFC 7946) for GIS tools and web maps.

Events without coordinates keep `geometry: null`, which RFC 7946 allows, so nothing is
silently dropped from the collection.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from sitrep.export.views import event_summary
from sitrep.models import Analysis, Event


def feature(event: Event, analysis: Analysis) -> dict[str, object]:
    """One Feature: the event's point and the properties the API lists it with, plus the
    sentences it was read from (a review shows as its action)."""
    location = event.location
    geometry = None
    if location is not None and location.lat is not None and location.lon is not None:
        geometry = {"type": "Point", "coordinates": [location.lon, location.lat]}
    properties = event_summary(event, analysis)
    for key in ("id", "lat", "lon"):
        del properties[key]
    text = analysis.article.text
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": geometry,
        "properties": {
            **properties,
            "review": event.review.action if event.review else None,
            "evidence": [text[start:end] for start, end in (e.sentence for e in event.evidence)],
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
