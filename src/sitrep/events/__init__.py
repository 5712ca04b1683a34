"""What happened: conflict events in ACLED's taxonomy, with actors, place, date, fatalities.

The stage reads what earlier stages found — sentences, times, places, actors — and adds:

- `figures`: every count the text gives (killed, wounded, displaced, held, troops, …);
- `events`: one per reported event. A trained classifier (`classify`) picks the sentences
  that report an event and types them; `arguments` fills actor 1/2, the governing place
  and date (`sitrep.time.governing_date`) and the killed count (`figures.fatalities`), each
  with the span it came from. History told in passing gets its own old date and
  `background: true`; forecasts, threats and denials (`modality`) are not events; the same
  event told twice in one article is one event with several evidence spans.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sitrep import time as time_stage
from sitrep.actors import catalogue
from sitrep.events import arguments, classify, figures, modality
from sitrep.models import Actor, Analysis, DateRange, Event, Evidence
from sitrep.settings import Settings

__all__ = ["LANGUAGES", "PROVIDES", "REQUIRES", "run"]

REQUIRES = ("article.text", "article.language", "sentences", "times", "places", "actors")
PROVIDES = ("figures", "events")
LANGUAGES = ("en", "de")
BACKGROUND_AFTER = timedelta(days=45)


def run(analysis: Analysis, settings: Settings) -> Analysis:
    """Fill `analysis.figures` and `analysis.events` (en/de; other languages: left empty)."""
    del settings  # one signature for every stage
    article = analysis.article
    language = (article.language or "").split("-")[0].lower()
    if language not in LANGUAGES or not analysis.sentences:
        return analysis
    text = article.text
    analysis.figures = figures.find_figures(text, language, analysis.sentences)
    spans = [(s.start, s.end) for s in analysis.sentences]
    predictions = classify.load().predict([text[s:e] for s, e in spans], language)
    found: list[Event] = []
    for (start, end), prediction in zip(spans, predictions, strict=True):
        if prediction.event_type is None or prediction.sub_event_type is None:
            continue
        trigger = prediction.trigger
        local = trigger[0] if trigger else None
        if modality.is_unreal(text[start:end], local, language):
            continue
        found.append(_with_defaults(_event(analysis, language, start, end, prediction)))
    analysis.events = _merge(found)
    return analysis


def _event(
    analysis: Analysis, language: str, start: int, end: int, prediction: classify.Prediction
) -> Event:
    """One event from one sentence and its prediction."""
    trigger = (
        (start + prediction.trigger[0], start + prediction.trigger[1])
        if prediction.trigger
        else None
    )
    anchor = trigger[0] if trigger else start
    roles = arguments.roles(analysis, start, end, anchor, language, prediction.sub_event_type)
    sub_event_type = _territory(prediction.sub_event_type, roles)
    location, place = arguments.location(analysis, start, end, anchor)
    when, time_precision = time_stage.governing_date(analysis, start, end)
    killed = [f for f in analysis.figures if f.category == "killed" and start <= f.start < end]
    digest = hashlib.sha256(
        f"{analysis.article.id}:{start}:{prediction.sub_event_type}".encode()
    ).hexdigest()[:16]
    return Event(
        id=digest,
        event_type=prediction.event_type,  # type: ignore[arg-type]
        sub_event_type=sub_event_type,
        actor1=_name(roles.actor1),
        actor2=_name(roles.actor2),
        inter1=roles.actor1.acled_inter if roles.actor1 else None,
        inter2=roles.actor2.acled_inter if roles.actor2 else None,
        assoc_actor_1=[a.name or a.mention for a in roles.assoc1],
        assoc_actor_2=[a.name or a.mention for a in roles.assoc2],
        location=location,
        date=when or DateRange(),
        time_precision=time_precision,
        fatalities=figures.fatalities(analysis.figures, start, end),
        background=_is_background(analysis, when),
        confidence=round(prediction.confidence, 3),
        evidence=[
            Evidence(
                sentence=(start, end),
                trigger=trigger,
                actor1=_inside(roles.actor1, start, end),
                actor2=_inside(roles.actor2, start, end),
                location=(place.start, place.end) if place and start <= place.start < end else None,
                date=_date_span(analysis, start, end, when),
                fatalities=[(f.start, f.end) for f in killed],
            )
        ],
    )


def _name(actor: Actor | None) -> str | None:
    return (actor.name or actor.mention) if actor else None


def _inside(actor: Actor | None, start: int, end: int) -> tuple[int, int] | None:
    """An actor's span as evidence, when the sentence names it (not taken from context)."""
    if actor is None or not start <= actor.start < end:
        return None
    return (actor.start, actor.end)


_STATE = 1
_NON_STATE = frozenset({2, 3, 4})
# ACLED's generic actors for a side the text leaves unnamed, by event type: (actor 1 and
# actor 2 catalogue-id prefixes). "A suicide bomber killed 12" → an unidentified armed group
# against civilians. Their evidence spans stay null: they come from the codebook, not the text.
_DEFAULT_SIDES = {
    "Explosions/Remote violence": ("uag", None),
    "Violence against civilians": ("uag", "civilians"),
    "Protests": ("protesters", None),
    "Riots": ("rioters", None),
}


def _with_defaults(event: Event) -> Event:
    """Fill an unnamed side with ACLED's generic actor of the event's country."""
    country = event.location.country if event.location else None
    first, second = _DEFAULT_SIDES.get(event.event_type, (None, None))
    update: dict[str, object] = {}
    for prefix, name_field, inter_field in (
        (first, "actor1", "inter1"),
        (second, "actor2", "inter2"),
    ):
        entry = catalogue().get(f"{prefix}-{country.lower()}") if prefix and country else None
        if entry is not None and getattr(event, name_field) is None:
            update[name_field], update[inter_field] = entry.name, entry.inter
    return event.model_copy(update=update) if update else event


def _territory(sub_event_type: str, roles: arguments.Roles) -> str:
    """ACLED splits territory changes by who gains: state forces regain, non-state actors
    overtake. The classifier reads the verb; the gaining actor decides the sub-type."""
    gainer = roles.actor1.acled_inter if roles.actor1 else None
    if sub_event_type == "Government regains territory" and gainer in _NON_STATE:
        return "Non-state actor overtakes territory"
    if sub_event_type == "Non-state actor overtakes territory" and gainer == _STATE:
        return "Government regains territory"
    return sub_event_type


def _date_span(
    analysis: Analysis, start: int, end: int, when: DateRange | None
) -> tuple[int, int] | None:
    """The time expression the event's date came from, when it is in the sentence."""
    if when is None:
        return None
    for span in analysis.times:
        if start <= span.start < end and (span.earliest, span.latest) == (
            when.earliest,
            when.latest,
        ):
            return (span.start, span.end)
    return None


def _reference(analysis: Analysis) -> date | None:
    """The article's date, or failing that the latest date it mentions (a lower bound)."""
    published = analysis.article.published
    for value in (published.date, published.not_before):
        if value:
            return date.fromisoformat(value)
    return None


def _is_background(analysis: Analysis, when: DateRange | None) -> bool:
    """History told in passing: the event ended well before the article was written."""
    reference = _reference(analysis)
    if reference is None or when is None or when.latest is None:
        return False
    return date.fromisoformat(when.latest) < reference - BACKGROUND_AFTER


def _same(a: Event, b: Event) -> bool:
    """Two mentions of one event: same sub-type and place, overlapping dates, an actor in
    common (or no actors on one side)."""
    if a.sub_event_type != b.sub_event_type:
        return False
    if (a.location and a.location.name) != (b.location and b.location.name):
        return False
    dated = all((a.date.earliest, a.date.latest, b.date.earliest, b.date.latest))
    apart = dated and (
        a.date.latest < b.date.earliest  # type: ignore[operator]
        or b.date.latest < a.date.earliest  # type: ignore[operator]
    )
    actors_a = {name for name in (a.actor1, a.actor2) if name}
    actors_b = {name for name in (b.actor1, b.actor2) if name}
    return not apart and (not actors_a or not actors_b or bool(actors_a & actors_b))


def _merge(events: list[Event]) -> list[Event]:
    """Fold repeated mentions of one event into one event with several evidence spans."""
    merged: list[Event] = []
    for event in events:
        twin = next((kept for kept in merged if _same(kept, event)), None)
        if twin is None:
            merged.append(event)
            continue
        index = merged.index(twin)
        merged[index] = twin.model_copy(
            update={
                "evidence": [*twin.evidence, *event.evidence],
                "confidence": max(twin.confidence, event.confidence),
                "fatalities": max(
                    (n for n in (twin.fatalities, event.fatalities) if n is not None),
                    default=None,
                ),
                "actor1": twin.actor1 or event.actor1,
                "actor2": twin.actor2 or event.actor2,
                "inter1": twin.inter1 or event.inter1,
                "inter2": twin.inter2 or event.inter2,
                "date": twin.date if twin.date.earliest else event.date,
            }
        )
    return merged
