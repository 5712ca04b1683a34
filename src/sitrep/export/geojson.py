"""Events as a GeoJSON FeatureCollection (RFC 7946) for GIS tools and web maps.

Events without coordinates keep `geometry: null`, which RFC 7946 allows, so nothing is
silently dropped from the collection.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from sitrep.models import Analysis, Event


def feature(event: Event, analysis: Analysis) -> dict[str, object]:
    """One Feature: the event's point and its ACLED-style properties."""
    location = event.location
    geometry = None
    if location is not None and location.lat is not None and location.lon is not None:
        geometry = {"type": "Point", "coordinates": [location.lon, location.lat]}
    text = analysis.article.text
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": geometry,
        "properties": {
            "event_type": event.event_type,
            "sub_event_type": event.sub_event_type,
            "actor1": event.actor1,
            "actor2": event.actor2,
            "location": location.name if location else None,
            "country": location.country if location else None,
            "geo_precision": location.geo_precision if location else None,
            "date_earliest": event.date.earliest,
            "date_latest": event.date.latest,
            "time_precision": event.time_precision,
            "fatalities": event.fatalities,
            "background": event.background,
            "confidence": event.confidence,
            "review": event.review.action if event.review else None,
            "article_id": analysis.article.id,
            "source": analysis.article.site or analysis.article.source,
            "language": analysis.article.language,
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
