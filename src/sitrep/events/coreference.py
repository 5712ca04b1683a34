"""One event per thing that happened: event mentions of one article grouped into events.

A news report tells one bombing in several sentences: "A suicide bombing killed four
soldiers." "The bomber struck inside a restaurant in Manbij." "As many as 16 people were
killed." The classifier sees three sentences and may type them three ways; ACLED codes one
event. A mention joins the latest earlier event it is compatible with:

- never when it says it is a new one ("another air strike", "ein weiterer Anschlag"), nor
  when both name their own places and these differ, nor when its own date falls outside
  the event's;
- same event type: it joins when the sub-type agrees, when it names no place of its own,
  or when it follows within two sentences — but a toll of its own further on that differs
  from every toll of the event ("left 18 dead" after "left 20 dead") is another event;
- another type: only a continuation — pointing back ("the attack", "der Anschlag") and
  naming no place of its own, however far on (its date, if any, must fit the event's); or
  within two sentences, pointing back, or typed only as the clash or attack its dead
  suggest and naming neither a place nor a date of its own;
- a sentence that gives a death toll but reports no event ("As many as 16 people were
  killed.") adds its toll to the event told just before it, naming no other place;
- the same toll of three or more, told again anywhere in the article (a headline and the
  report under it), is the same event;
- a sentence typed with little confidence that points back ("die Zahl der bei dem
  Anschlag Getöteten") tells of the event nearest to it, before or after: within two
  sentences, or at any distance when it names no place of its own.

The cues are per-language data files (`lang/<code>/coreference.txt`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

from sitrep import lang

__all__ = ["Cues", "Mention", "cues", "group"]

ADJACENT = 2  # sentences after an event's last mention that can still continue it
# What a sentence that only tells of people killed tends to be typed as: such a sentence
# right after an event continues it ("… As many as 16 people were killed.").
GENERIC = frozenset({"Armed clash", "Attack"})

T = TypeVar("T")


@dataclass(frozen=True)
class Cues:
    """Compiled cues of one language."""

    anaphor: re.Pattern[str] | None
    fresh: re.Pattern[str] | None
    like: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Mention(Generic[T]):
    """What grouping needs to know of one event sentence; `item` is the caller's record."""

    item: T
    index: int  # sentence number in the article
    event_type: str
    sub_event_type: str
    own_place: bool
    own_date: bool
    earliest: str | None
    latest: str | None
    anaphoric: bool
    fresh: bool
    casualties_only: bool = False  # a toll with no event of its own: it can only join
    toll: int | None = None  # the death toll the sentence gives
    country: str | None = None  # the country of the place it names or falls back to
    doubtful: bool = False  # typed with little confidence: it may only tell of a neighbour


def _alternation(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len)[::-1])
    return re.compile(rf"\b(?:{body})\b", re.IGNORECASE)


@cache
def cues(language: str) -> Cues:
    """The cues of `language` (none for a language without a file)."""
    path = lang.path(language, "coreference.txt")
    kinds: dict[str, list[str]] = {"anaphor": [], "fresh": [], "like": []}
    if path is not None:
        for line in path.read_text("utf-8").splitlines():
            kind, _, cue = line.partition(":")
            if not line.startswith("#") and kind.strip() in kinds and cue.strip():
                kinds[kind.strip()].append(cue.strip())
    return Cues(
        _alternation(kinds["anaphor"]), _alternation(kinds["fresh"]), _alternation(kinds["like"])
    )


def _overlap(a: Mention, b: Mention) -> bool:
    if not (a.earliest and b.earliest):
        return True
    return a.earliest <= (b.latest or b.earliest) and b.earliest <= (a.latest or a.earliest)


SAME_TOLL = 3  # a toll at least this large, told twice, is one event told twice


def _same_toll(event: list[Mention], mention: Mention) -> bool:
    """The same death toll in the same country: a headline and its report, a report and
    its quote ("kills 23 Al-Nusra militants" … "have killed 23 al-Nusra Front militants")."""
    if mention.toll is None or mention.toll < SAME_TOLL or mention.fresh:
        return False
    return any(
        m.toll == mention.toll and (m.country == mention.country or not m.country) for m in event
    )


def _joins(
    event: list[Mention], mention: Mention, same_place: Callable[[object, object], bool]
) -> bool:
    """Whether `mention` tells more of the event whose mentions are `event`."""
    if mention.fresh:
        return False
    placed = [m for m in event if m.own_place]
    if mention.own_place and any(not same_place(m.item, mention.item) for m in placed):
        return False
    dated = [m for m in event if m.own_date]
    if mention.own_date and dated and not _overlap(dated[0], mention):
        return False
    head = event[0]
    if _same_toll(event, mention):
        return True
    adjacent = mention.index - event[-1].index <= ADJACENT
    if mention.casualties_only:
        return adjacent and not mention.own_place
    if head.event_type == mention.event_type:
        tolls = {m.toll for m in event if m.toll}
        if not adjacent and mention.toll and tolls and mention.toll not in tolls:
            return False  # "left 18 civilians dead" further on is not the strike that left 20
        return head.sub_event_type == mention.sub_event_type or not mention.own_place or adjacent
    if mention.anaphoric and not mention.own_place:
        return True  # "the attack on the hospital", paragraphs on: the event told before
    if not adjacent:
        return False
    generic = mention.sub_event_type in GENERIC and not (mention.own_place or mention.own_date)
    return mention.anaphoric or generic


def group(
    mentions: Sequence[Mention[T]], same_place: Callable[[T, T], bool]
) -> list[list[Mention[T]]]:
    """Mentions (in text order) grouped into events; each group keeps text order."""
    events: list[list[Mention[T]]] = []
    pending: list[Mention[T]] = []
    for mention in mentions:
        if mention.doubtful and mention.anaphoric:
            pending.append(mention)  # "die Zahl der bei dem Anschlag Getöteten": settled below
            continue
        target = next((e for e in reversed(events) if _joins(e, mention, same_place)), None)
        if target is None:
            if not mention.casualties_only:
                events.append([mention])
        else:
            target.append(mention)
    for mention in pending:
        gaps = [(min(abs(m.index - mention.index) for m in e), e) for e in events]
        # naming no place of its own, it can only be of an event told elsewhere, however far
        near = [(gap, e) for gap, e in gaps if gap <= ADJACENT or not mention.own_place]
        if near:
            closest = min(near, key=lambda pair: pair[0])[1]
            closest.append(mention)
            closest.sort(key=lambda m: m.index)
        else:
            events.append([mention])
    events.sort(key=lambda e: e[0].index)
    return events
