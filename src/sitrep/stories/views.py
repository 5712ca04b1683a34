"""A story as the CLI, the API and the page show it: its summary line, its articles in
publication order, the events each article coded, and the events several articles
reported merged into one with every source's figures side by side (`merge`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from sitrep.export.views import row_summary
from sitrep.store import EventFilter, Store, StoryArticle, StoryRow
from sitrep.stories.merge import Incident, incidents


@dataclass(frozen=True)
class Line:
    """A story in one language-neutral line: the codebook's dominant event type, the
    gazetteer's places, the span of its events' dates."""

    event_type: str | None
    places: list[str]
    first_event: str | None
    last_event: str | None

    def __str__(self) -> str:
        text = self.event_type or "no events"
        if self.places:
            text += " in " + ", ".join(self.places)
        if self.first_event:
            text += ", " + self.first_event
            if self.last_event != self.first_event:
                text += f" – {self.last_event}"
        return text


@dataclass(frozen=True)
class StoryView:
    """One story with its articles and their events (list rows of the events index)."""

    story: StoryRow
    line: Line
    articles: list[StoryArticle]
    events: list[dict[str, object]]
    incidents: list[Incident]  # events more than one article reported, merged

    def as_dict(self) -> dict[str, object]:
        return {
            "story": summary(self.story),
            "line": asdict(self.line),
            "articles": [asdict(article) for article in self.articles],
            "events": self.events,
            "incidents": [incident.as_dict() for incident in self.incidents],
        }


def summary(row: StoryRow) -> dict[str, object]:
    """One story of a list, as JSON."""
    return asdict(row) | {"languages": list(row.languages)}


def story_view(opened: Store, story_id: int) -> StoryView | None:
    """Everything about one story, or None when there is no such story."""
    found = opened.story(story_id)
    if found is None:
        return None
    row, articles = found
    events, rows = [], []
    for article in articles:
        coded = opened.events(EventFilter(article_id=article.article_id))
        reviews = opened.reviews_in_force([event.id for event in coded if event.review])
        events += [row_summary(event, reviews.get(event.id)) for event in coded]
        rows += coded
    merged = incidents(rows)
    kinds = Counter(str(event["event_type"]) for event in events)
    if merged:  # the event most sources reported says what the story is about
        kinds = Counter([max(merged, key=lambda incident: len(incident.reports)).event_type])
    places = Counter(str(event["location"]) for event in events if event["location"])
    dated = sorted(str(event["date_earliest"]) for event in events if event["date_earliest"])
    line = Line(
        kinds.most_common(1)[0][0] if kinds else None,
        [name for name, _ in places.most_common(3)],
        dated[0] if dated else None,
        dated[-1] if dated else None,
    )
    return StoryView(row, line, articles, events, merged)
