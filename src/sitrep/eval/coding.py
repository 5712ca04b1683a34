"""Running Sitrep's event coding over evaluation articles, the way a user's run would.

Every scorer of `sitrep eval events` reads articles from a corpus, analyses each one with the
whole pipeline and compares the coded events with its gold. A crash on one article is a
full miss for that article (it is counted and named, never raised), as in trafilatura's
evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitrep import pipeline
from sitrep.models import Document, Event
from sitrep.settings import Settings

__all__ = ["Coded", "Run", "code_article", "normal_actor"]


@dataclass(frozen=True)
class Coded:
    """An event reduced to what the scorers compare (system or gold alike)."""

    event_type: str
    sub_event_type: str | None
    actor1: str | None
    actor2: str | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    geo_precision: int | None
    earliest: str | None
    latest: str | None
    fatalities: int
    confidence: float = 1.0

    @classmethod
    def from_event(cls, event: Event) -> Coded:
        location = event.location
        return cls(
            event_type=event.event_type,
            sub_event_type=event.sub_event_type,
            actor1=event.actor1,
            actor2=event.actor2,
            lat=location.lat if location else None,
            lon=location.lon if location else None,
            country=location.country if location else None,
            admin1=location.admin1 if location else None,
            geo_precision=location.geo_precision if location else None,
            earliest=event.date.earliest,
            latest=event.date.latest,
            fatalities=event.fatalities or 0,
            confidence=event.confidence,
        )


@dataclass
class Run:
    """What the system coded for the articles of one evaluation, with its failures."""

    events: dict[str, list[Coded]] = field(default_factory=dict)
    crashes: dict[str, str] = field(default_factory=dict)


def code_article(
    run: Run,
    ref: str,
    text: str,
    settings: Settings,
    *,
    title: str | None = None,
    published: str | None = None,
) -> list[Coded]:
    """Analyse one article and keep its events that are not history told in passing."""
    document = Document(source=ref, content=text, title=title, date=published)
    try:
        analysis = pipeline.analyze(document, settings)
    except Exception as exc:  # a crash is a miss, reported once
        run.crashes[ref] = f"{type(exc).__name__}: {exc}"
        run.events[ref] = []
        return []
    coded = [Coded.from_event(e) for e in analysis.events if not e.background]
    run.events[ref] = coded
    return coded


def normal_actor(name: str | None) -> str | None:
    """An actor name compared loosely: case, punctuation and ACLED's year suffix ignored."""
    if not name:
        return None
    cleaned = name.casefold()
    for ch in "():,.'’-":
        cleaned = cleaned.replace(ch, " ")
    words = [w for w in cleaned.split() if not (w[:4].isdigit() and len(w) <= 5)]
    return " ".join(words) or None
