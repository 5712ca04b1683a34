"""What happened: conflict events in ACLED's taxonomy, with actors, place, date, fatalities.

The stage reads what earlier stages found — sentences, paragraphs, entities, times,
places, actors, figures — and adds `events`: one per reported event. A trained classifier
(`classify`) picks the sentences that report an event and types them; `arguments` fills
actor 1/2, `location` the place, `dates.governing_date` the date and
`sitrep.figures.fatalities` the killed count (`victims` where no number counts them), each
with the span it came from. History told in passing gets its own old
date and `background: true`; forecasts, threats and denials (`modality`) are not events;
the same event told twice in one article is one event with several evidence spans.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from sitrep import acled, lang
from sitrep.catalogue import load as catalogue
from sitrep.events import (
    arguments,
    classify,
    coreference,
    dates,
    location,
    modality,
    victims,
)
from sitrep.figures import fatalities
from sitrep.models import Actor, Analysis, DateRange, Event, Evidence
from sitrep.settings import Settings

__all__ = ["PROVIDES", "REQUIRES", "run"]

REQUIRES = (
    "article.text",
    "article.language",
    "article.published.not_before",
    "sentences",
    "paragraphs",
    "entities",
    "figures",
    "times",
    "places",
    "actors",
)
PROVIDES = ("events",)
BACKGROUND_AFTER = timedelta(days=45)
DOUBTFUL = 0.5  # a type the classifier is less sure of than this may be a neighbour's echo


def run(analysis: Analysis, settings: Settings) -> Analysis:
    """Fill `analysis.figures` and `analysis.events`, in every language with a trigger
    lexicon (`lang/<code>/triggers.txt`); other languages are left empty."""
    del settings  # one signature for every stage
    article = analysis.article
    language = lang.base(article.language)
    if language is None or lang.path(language, "triggers.txt") is None or not analysis.sentences:
        return analysis
    text = article.text
    spans = [(s.start, s.end) for s in analysis.sentences]
    predictions = classify.load().predict([text[s:e] for s, e in spans], language)
    mentions: list[coreference.Mention[_Told]] = []
    for index, ((start, end), prediction) in enumerate(zip(spans, predictions, strict=True)):
        tolled = prediction.event_type is None and _has_toll(analysis, language, start, end)
        if (prediction.event_type is None or prediction.sub_event_type is None) and not tolled:
            continue
        if not _reported(analysis, language, start, end, prediction):
            continue
        previous = spans[index - 1] if index else None
        following = spans[index + 1] if index + 1 < len(spans) else None
        told = _told(analysis, language, start, end, prediction, previous, following)
        if _after_publication(analysis, told.when):
            continue  # a plan or forecast: it has not happened by the article's date
        told = _like_before(analysis, language, told, mentions)
        mentions.append(
            _mention(analysis, language, index, told, tolled and not told.prediction.event_type)
        )
    groups = coreference.group(mentions, _same_place)
    analysis.events = [
        _with_defaults(_arrested(_event(analysis, [m.item for m in g]))) for g in groups
    ]
    return analysis


def _reported(
    analysis: Analysis, language: str, start: int, end: int, prediction: classify.Prediction
) -> bool:
    """The sentence reports something that happened: no forecast, threat or denial
    (`modality`), and no toll added up over months ("350,000 killed since 2011")."""
    sentence = analysis.article.text[start:end]
    times = [t for t in analysis.times if start <= t.start < end]
    local = prediction.trigger[0] if prediction.trigger else None
    dates = [(t.start - start, t.end - start) for t in times]
    if modality.is_unreal(sentence, local, language, dates):
        return False
    return not modality.is_cumulative(sentence, language, times, start)


@dataclass(frozen=True)
class _Told:
    """One sentence's account of an event: its prediction and the arguments it gives."""

    start: int
    end: int
    prediction: classify.Prediction
    trigger: tuple[int, int] | None
    roles: arguments.Roles
    attached: location.Attached | None
    when: DateRange | None
    time_precision: int | None
    date_span: tuple[int, int] | None
    killed: list[tuple[int, int]]
    fatalities: int | None
    listed: bool  # the sentence lists several towns: its toll is no one event's


def _told(
    analysis: Analysis,
    language: str,
    start: int,
    end: int,
    prediction: classify.Prediction,
    previous: tuple[int, int] | None,
    following: tuple[int, int] | None,
) -> _Told:
    """The arguments one event sentence gives, each with the span it came from."""
    trigger = (
        (start + prediction.trigger[0], start + prediction.trigger[1])
        if prediction.trigger
        else None
    )
    anchor = trigger[0] if trigger else start
    roles = arguments.roles(analysis, start, end, anchor, language, prediction.sub_event_type)
    attached = location.attach(analysis, start, end, anchor, previous, following)
    when, time_precision = dates.governing_date(analysis, start, end, anchor)
    text = analysis.article.text
    counted = fatalities(analysis.figures, start, end, text)
    killed = [
        (f.start, f.end)
        for f in analysis.figures
        if f.category == "killed" and start <= f.start < end
    ]
    if counted is None:
        uncounted = victims.deaths(
            text, start, end, language, analysis.figures, _people(analysis, start, end)
        )
        counted = sum(d.value for d in uncounted) if uncounted else None
        killed += [(d.start, d.end) for d in uncounted]
    return _Told(
        start=start,
        end=end,
        prediction=prediction,
        trigger=trigger,
        roles=roles,
        attached=attached,
        when=when,
        time_precision=time_precision,
        date_span=_date_span(analysis, start, end, when),
        killed=killed,
        fatalities=counted,
        listed=location.towns_listed(analysis, start, end),
    )


def _like_before(
    analysis: Analysis, language: str, told: _Told, before: list[coreference.Mention[_Told]]
) -> _Told:
    """A sentence that says its event is like the one before ("five were also killed in
    similar attacks on Tal Toughan") takes that event's type: a new event of the same kind."""
    like = coreference.cues(language).like
    earlier = [m.item for m in before if not m.casualties_only]
    if like is None or not earlier or not like.search(analysis.article.text[told.start : told.end]):
        return told
    kind = earlier[-1].prediction
    typed = classify.Prediction(
        kind.event_type, kind.sub_event_type, told.prediction.confidence, told.prediction.trigger
    )
    return dataclasses.replace(told, prediction=typed)


def _has_toll(analysis: Analysis, language: str, start: int, end: int) -> bool:
    """The sentence gives a death toll ("As many as 16 people were killed.")."""
    if any(f.category == "killed" and start <= f.start < end for f in analysis.figures):
        return True
    people = _people(analysis, start, end)
    text = analysis.article.text
    return bool(victims.deaths(text, start, end, language, analysis.figures, people))


def _people(analysis: Analysis, start: int, end: int) -> list[tuple[int, int]]:
    """The persons the NER named in the sentence `start:end`."""
    return [
        (e.start, e.end)
        for e in analysis.entities
        if e.label == "PER" and start <= e.start and e.end <= end
    ]


def _mention(
    analysis: Analysis, language: str, index: int, told: _Told, casualties_only: bool
) -> coreference.Mention[_Told]:
    cues = coreference.cues(language)
    sentence = analysis.article.text[told.start : told.end]
    unresolved = location.unresolved_here(analysis, told.start, told.end)
    return coreference.Mention(
        item=told,
        index=index,
        event_type=told.prediction.event_type or "",
        sub_event_type=told.prediction.sub_event_type or "",
        own_place=bool(told.attached and told.attached.own) or unresolved,
        own_date=told.date_span is not None,
        earliest=told.when.earliest if told.when else None,
        latest=told.when.latest if told.when else None,
        anaphoric=bool(cues.anaphor and cues.anaphor.search(sentence)),
        fresh=bool(cues.fresh and cues.fresh.search(sentence)),
        casualties_only=casualties_only,
        toll=told.fatalities,
        country=told.attached.location.country if told.attached else None,
        doubtful=told.prediction.confidence < DOUBTFUL,
    )


def _same_place(one: _Told, other: _Told) -> bool:
    """Two sentences that name places name the same one: the same town (by name, or within
    a few kilometres), or a town and the province or country it lies in."""
    a = one.attached.location if one.attached and one.attached.own else None
    b = other.attached.location if other.attached and other.attached.own else None
    if a is not None and b is not None and a.name == b.name:
        return True
    if a is None or b is None or a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return False  # a place the gazetteer does not know: no way to say it is the same
    if 3 in (a.geo_precision, b.geo_precision):
        return a.country == b.country
    return abs(a.lat - b.lat) + abs(a.lon - b.lon) < 0.03  # about 3 km: one place


def _after_publication(analysis: Analysis, when: DateRange | None) -> bool:
    """The event's date starts after the article was published."""
    published = analysis.article.published.date
    return bool(published and when and when.earliest and when.earliest > published)


def _event(analysis: Analysis, told: list[_Told]) -> Event:
    """One event from the sentences that tell it: the first confident one's type and sides,
    the most precise place and date any of them gives, and the largest death toll any gives
    (the article's own best total: "killed four soldiers" … "as many as 16 were killed"),
    unless only a sentence that lists several towns gives a larger one."""
    typed = [t for t in told if t.prediction.event_type is not None]
    head = next((t for t in typed if t.prediction.confidence >= DOUBTFUL), typed[0])
    prediction = head.prediction
    placed = [t for t in told if t.attached and t.attached.own]
    where = min(placed, key=lambda t: t.attached.location.geo_precision or 3) if placed else head  # type: ignore[union-attr]
    dated = [t for t in told if t.date_span is not None]
    when = min(dated, key=lambda t: t.time_precision or 3) if dated else head
    roles = _joined_roles([head, *(t for t in told if t is not head)])
    sub_event_type = _territory(prediction.sub_event_type or "", roles)
    tolled = [t for t in told if t.fatalities is not None]
    # "10 killed in attacks on Aleppo and Deir Ezzor" counts only when nothing else does
    tolls = [t.fatalities for t in ([t for t in tolled if not t.listed] or tolled)]
    digest = hashlib.sha256(
        f"{analysis.article.id}:{head.start}:{prediction.sub_event_type}".encode()
    ).hexdigest()[:16]
    return Event(
        id=digest,
        event_type=prediction.event_type,  # type: ignore[arg-type]
        sub_event_type=sub_event_type,
        actor1=_name(roles.actor1, prediction.event_type),
        actor2=_name(roles.actor2, prediction.event_type),
        inter1=roles.actor1.acled_inter if roles.actor1 else None,
        inter2=roles.actor2.acled_inter if roles.actor2 else None,
        assoc_actor_1=[a.name or a.mention for a in roles.assoc1],
        assoc_actor_2=[a.name or a.mention for a in roles.assoc2],
        location=where.attached.location if where.attached else None,
        date=when.when or DateRange(),
        time_precision=when.time_precision,
        fatalities=max(tolls) if tolls else None,
        background=_is_background(analysis, when.when),
        confidence=round(max(t.prediction.confidence for t in told), 3),
        evidence=[_evidence(t) for t in told],
    )


def _joined_roles(told: list[_Told]) -> arguments.Roles:
    """Sides of an event told in several sentences: actor 1 from the first sentence that
    names one, actor 2 from the first that names another side ("…a reported airstrike" …
    "16 civilians were killed during an air raid by the Syrian regime army")."""
    actor1 = next((t.roles.actor1 for t in told if t.roles.actor1), None)
    first = next((t.roles for t in told if t.roles.actor1 is actor1), told[0].roles)
    seconds = (t.roles.actor2 for t in told if t.roles.actor2)
    actor2 = next((a for a in seconds if actor1 is None or _name(a) != _name(actor1)), None)
    return arguments.Roles(actor1, actor2, first.assoc1, first.assoc2)


def _evidence(told: _Told) -> Evidence:
    roles, attached = told.roles, told.attached
    place = attached.place if attached and attached.own else None
    return Evidence(
        sentence=(told.start, told.end),
        trigger=told.trigger,
        actor1=_inside(roles.actor1, told.start, told.end),
        actor2=_inside(roles.actor2, told.start, told.end),
        location=(place.start, place.end) if place else None,
        date=told.date_span,
        fatalities=told.killed,
    )


def _name(actor: Actor | None, event_type: str | None = None) -> str | None:
    """The actor's ACLED name. In violence a government acts through its forces: "the
    Syrian regime bombed …" is coded Military Forces of Syria, as ACLED does."""
    if actor is None:
        return None
    if event_type in acled.VIOLENT and actor.actor_id and actor.actor_id.startswith("government-"):
        forces = catalogue().get("military-" + actor.actor_id.split("-", 1)[1])
        if forces is not None:
            return forces.name
    return actor.name or actor.mention


def _inside(actor: Actor | None, start: int, end: int) -> tuple[int, int] | None:
    """An actor's span as evidence, when the sentence names it (not taken from context)."""
    if actor is None or not start <= actor.start < end:
        return None
    return (actor.start, actor.end)


def _arrested(event: Event) -> Event:
    """In an arrest the armed group is the one arrested: "IS-Anhänger festgenommen",
    "police detained Islamic State suspects". ACLED codes arrests by the state's forces
    (actor 1, the police of the country by default) of the people held (actor 2); a rebel
    or militia named alone is moved to actor 2, with its evidence span."""
    if (
        event.sub_event_type != "Arrests"
        or event.inter1 not in acled.NON_STATE
        or event.actor2 is not None
    ):
        return event
    evidence = [e.model_copy(update={"actor1": None, "actor2": e.actor1}) for e in event.evidence]
    return event.model_copy(
        update={
            "actor1": None,
            "inter1": None,
            "actor2": event.actor1,
            "inter2": event.inter1,
            "assoc_actor_1": [],
            "assoc_actor_2": event.assoc_actor_1,
            "evidence": evidence,
        }
    )


def _with_defaults(event: Event) -> Event:
    """Fill an unnamed side with ACLED's generic actor of the event's country (its
    evidence span stays null: it comes from the codebook, not the text)."""
    country = event.location.country if event.location else None
    sides = acled.DEFAULT_SIDES
    first, second = sides.get(event.sub_event_type) or sides.get(event.event_type, (None, None))
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
    if sub_event_type == "Government regains territory" and gainer in acled.NON_STATE:
        return "Non-state actor overtakes territory"
    if sub_event_type == "Non-state actor overtakes territory" and gainer == acled.STATE:
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
