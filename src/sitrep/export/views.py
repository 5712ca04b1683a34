"""What the API returns for an event and an article: plain JSON built from the record,
every field of an event with the text span it came from."""

from __future__ import annotations

from sitrep.export.acled import outlet
from sitrep.models import Analysis, Event

__all__ = ["article_view", "event_detail", "event_summary"]

_SPANS = ("trigger", "actor1", "actor2", "location", "date")


def event_summary(event: Event, analysis: Analysis) -> dict[str, object]:
    """One row of an event list: the coded fields, where and when, and its article."""
    location = event.location
    article = analysis.article
    return {
        "id": event.id,
        "article_id": article.id,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "location": location.name if location else None,
        "country": location.country if location else None,
        "admin1": location.admin1 if location else None,
        "lat": location.lat if location else None,
        "lon": location.lon if location else None,
        "geo_precision": location.geo_precision if location else None,
        "date_earliest": event.date.earliest,
        "date_latest": event.date.latest,
        "time_precision": event.time_precision,
        "fatalities": event.fatalities,
        "background": event.background,
        "confidence": event.confidence,
        "language": article.language,
        "source": outlet(article),
        "published": article.published.date,
        "review": event.review.model_dump() if event.review else None,
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
