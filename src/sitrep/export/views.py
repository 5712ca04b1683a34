"""What the API returns for an event and an article: plain JSON built from the record,
every field of an event with the text span it came from."""

from __future__ import annotations

from sitrep.export.scale import source_scale
from sitrep.models import Analysis, Event, EventReview
from sitrep.store.base import EventRow

__all__ = ["article_view", "event_detail", "event_summary", "row_summary"]

_SPANS = ("trigger", "actor1", "actor2", "location", "date")


def event_summary(event: Event, analysis: Analysis) -> dict[str, object]:
    """One row of an event list: the coded fields, where and when, and its article."""
    return row_summary(EventRow.of(event, analysis), event.review)


def row_summary(row: EventRow, review: EventReview | None = None) -> dict[str, object]:
    """The same list row from the events index alone (no analysis parsed), with the
    review in force when there is one."""
    return {
        "id": row.id,
        "article_id": row.article_id,
        "event_type": row.event_type,
        "sub_event_type": row.sub_event_type,
        "actor1": row.actor1,
        "actor2": row.actor2,
        "location": row.location,
        "country": row.country,
        "admin1": row.admin1,
        "lat": row.lat,
        "lon": row.lon,
        "geo_precision": row.geo_precision,
        "date_earliest": row.date_earliest,
        "date_latest": row.date_latest,
        "time_precision": row.time_precision,
        "fatalities": row.fatalities,
        "background": row.background,
        "confidence": row.confidence,
        "language": row.language,
        "source": row.source,
        "source_scale": source_scale(row.source, row.country),
        "published": row.published,
        "review": review.model_dump() if review else None,
    }


def event_detail(event: Event, analysis: Analysis) -> dict[str, object]:
    """One event with its evidence: each sentence it was read from, and inside it the spans
    of its trigger, actors, place, date and fatalities (offsets into the article's text,
    with the text they cover), plus the article and its other events."""
    text = analysis.article.text
    evidence = []
    for item in event.evidence:
        spans = {
            name: _span(text, getattr(item, name))
            for name in _SPANS
            if getattr(item, name) is not None
        }
        evidence.append(
            {
                "sentence": _span(text, item.sentence),
                "spans": spans,
                "fatalities": [_span(text, span) for span in item.fatalities],
            }
        )
    others = [e.id for e in analysis.events if e.id != event.id]
    return {
        **event_summary(event, analysis),
        "assoc_actor_1": event.assoc_actor_1,
        "assoc_actor_2": event.assoc_actor_2,
        "inter1": event.inter1,
        "inter2": event.inter2,
        "evidence": evidence,
        "article": article_view(analysis, with_text=True),
        "other_events": others,
    }


def article_view(analysis: Analysis, with_text: bool = False) -> dict[str, object]:
    """An article's metadata (and, when asked, its text)."""
    article = analysis.article
    view: dict[str, object] = {
        "id": article.id,
        "title": article.title,
        "language": article.language,
        "published": article.published.date,
        "published_precision": article.published.precision,
        "source": article.source,
        "site": article.site,
        "url": article.url,
        "events": len(analysis.events),
        "warnings": [problem.model_dump() for problem in article.warnings],
    }
    if with_text:
        view["text"] = article.text
    return view


def _span(text: str, span: tuple[int, int]) -> dict[str, object]:
    start, end = span
    return {"start": start, "end": end, "text": text[start:end]}
