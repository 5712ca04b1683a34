"""One event, many reports: the events different articles of a story coded for the same
thing that happened, brought together the way ACLED's coders do it — the same type, day,
place and actors make one event — with every source's figure kept side by side.

ACLED codes the most conservative fatality figure when reports differ; the others stay
visible, and a disagreement is flagged so that an analyst looks before citing one.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from sitrep.store import EventRow

NEAR_KM = 25  # two places this close are one place for a merge (ACLED's town level)
# Types whose sub-type sources often tell differently (a bomb one calls remote, another
# a suicide attack; an attack that becomes a clash): the type is enough. Elsewhere (an
# arrest and a weapons seizure are both strategic developments) the sub-type must agree.
LOOSE_SUB_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


@dataclass
class Report:
    """What one source's event says."""

    event_id: str
    article_id: str
    source: str
    language: str | None
    fatalities: int | None


@dataclass
class Incident:
    """Events of several articles that are one thing that happened."""

    event_type: str
    sub_event_type: str
    location: str | None
    country: str | None
    date_earliest: str | None
    date_latest: str | None
    reports: list[Report] = field(default_factory=list)

    @property
    def fatalities(self) -> int | None:
        """ACLED's conservative rule: the lowest figure any source gives."""
        figures = [report.fatalities for report in self.reports if report.fatalities is not None]
        return min(figures) if figures else None

    @property
    def sources_disagree(self) -> bool:
        """Sources give different fatality figures."""
        return len({r.fatalities for r in self.reports if r.fatalities is not None}) > 1

    def as_dict(self) -> dict[str, object]:
        return {
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "location": self.location,
            "country": self.country,
            "date_earliest": self.date_earliest,
            "date_latest": self.date_latest,
            "fatalities": self.fatalities,
            "sources_disagree": self.sources_disagree,
            "sources": sorted({report.source for report in self.reports}),
            "reports": [vars(report) for report in self.reports],
        }


def _km(a: EventRow, b: EventRow) -> float:
    """Great-circle distance between two events' points (inf when either is unplaced)."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    hav = math.sin((lat2 - lat1) / 2) ** 2
    hav += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(hav))


def _end(event: EventRow) -> str:
    return event.date_latest or event.date_earliest or ""


def same_event(a: EventRow, b: EventRow) -> bool:
    """ACLED's rule for two reports of one event: other articles, the same type (and
    sub-type, outside `LOOSE_SUB_TYPES`), a shared day (undated events share none), the
    same place, and no named actor that contradicts the other's."""
    if a.article_id == b.article_id or a.event_type != b.event_type:
        return False
    if a.event_type not in LOOSE_SUB_TYPES and a.sub_event_type != b.sub_event_type:
        return False
    if not a.date_earliest or not b.date_earliest:
        return False
    if a.date_earliest > _end(b) or b.date_earliest > _end(a):
        return False
    if not (a.location is not None and a.location == b.location) and _km(a, b) > NEAR_KM:
        return False
    return not (a.actor1 and b.actor1 and a.actor1 != b.actor1)


def incidents(events: list[EventRow]) -> list[Incident]:
    """The events that more than one article reported, merged (each with every report);
    an event only one article reported is not an incident."""
    groups: list[list[EventRow]] = []
    for event in events:
        if event.background:
            continue
        home = next((g for g in groups if any(same_event(e, event) for e in g)), None)
        if home is None:
            groups.append([event])
        elif all(e.article_id != event.article_id for e in home):
            home.append(event)
    merged = []
    for group in groups:
        if len({event.article_id for event in group}) < 2:
            continue
        first = group[0]
        kinds = Counter(event.sub_event_type for event in group)
        merged.append(
            Incident(
                event_type=first.event_type,
                sub_event_type=kinds.most_common(1)[0][0],
                location=first.location,
                country=first.country,
                date_earliest=max(e.date_earliest or "" for e in group),
                date_latest=min(_end(e) for e in group),
                reports=[
                    Report(e.id, e.article_id, e.source or "?", e.language, e.fatalities)
                    for e in group
                ],
            )
        )
    return merged
