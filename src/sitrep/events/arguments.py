"""Filling an event's arguments from what earlier stages found in and around its sentence.

Each function takes the analysis and a sentence span and returns one argument with the span
it came from, so every field of an event stays traceable (DESIGN §3, `evidence`).

The words these rules look for (passive agents, the means of an attack, sources, the words
that join allies, and the place cues of `location`) live in `lang/<code>/event-arguments.json`;
this module only holds the shape of each pattern around them. A language without that file
gets patterns that never match: its events keep word order and the catalogue.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from sitrep import lang
from sitrep.catalogue import load as catalogue
from sitrep.models import Actor, Analysis

_CIVILIANS = 7  # ACLED inter code
WORDS = "event-arguments.json"  # in each language's folder; keys described in its "about"
_NEVER = r"(?!)"  # the alternation of no words: a pattern built with it never matches


def alternation(key: str, codes: tuple[str, ...]) -> str:
    """The words of `key` in these languages as one regex alternation, to be compiled with
    `re.IGNORECASE`: the words of a language that lists the key as `case_sensitive` are
    wrapped to match only as written. A key no language has never matches."""
    loose: list[str] = []
    exact: list[str] = []
    for code in codes:
        entry = lang.lists(code, WORDS)
        (exact if key in entry.get("case_sensitive", ()) else loose).extend(entry.get(key, ()))
    parts = list(dict.fromkeys(loose))
    if exact:
        parts.append("(?-i:" + "|".join(dict.fromkeys(exact)) + ")")
    return "|".join(parts) or _NEVER


@dataclass(frozen=True)
class _Cues:
    """The patterns applied to an article in one language (keys of `event-arguments.json`)."""

    passive: re.Pattern[str]  # "taken by the SDF", "von der QSD erobert"
    means_before: re.Pattern[str]  # "killed in a US airstrike": the words before "US"
    means_head: re.Pattern[str]  # ... and the means after it ("airstrike")
    source_before: re.Pattern[str]  # "according to the SDF", "laut Polizei"
    said_after: re.Pattern[str]  # "..., police said."
    source_clause: re.Pattern[str]  # the ", police" before "said"
    harmed: re.Pattern[str]  # "killed four", "killing five people, including", "against"


@cache
def _cues(language: str) -> _Cues:
    """The patterns of one language, built from its words (never matching without them).

    The attacker named in the means of a violent event is actor 1: "killed in a US
    airstrike", "bei IS-Angriffen ums Leben gekommen", "bei einer US-Luftoperation
    getötet". The victims are the sentence's subject and come first, so word order alone
    would make them actor 1. Who reports the event takes no part in it: ", police said.",
    "according to the SDF", "teilte die Polizei mit", "laut Polizei".
    """

    def w(key: str) -> str:
        return alternation(key, (language,))

    flags = re.IGNORECASE
    return _Cues(
        passive=re.compile(rf"\b(?:{w('passive')})\s*$", flags),
        means_before=re.compile(
            rf"\b(?:{w('means_before')})\s+(?:{w('means_determiners')})?\s*"
            rf"(?:\w+\s+(?:{w('means_and')})\s+)?$",
            flags,
        ),
        means_head=re.compile(
            rf"(?:{w('means_joints')})(?:(?:{w('means_modifiers')})\s+)?(?:{w('means_nouns')})\b",
            flags,
        ),
        source_before=re.compile(
            rf"\b(?:{w('source_before')})\s+(?:(?:{w('source_articles')})\s+)?(?:\w+\s+)?$",
            flags,
        ),
        said_after=re.compile(rf"\s+(?:{w('said_after')})\b[^,;]*$", flags),
        # without IGNORECASE: "the" as written, not "The"
        source_clause=re.compile(rf",\s*(?:(?:{w('source_articles')})\s+)?(?:\w+\s+)?$"),
        harmed=re.compile(
            rf"\b(?:{w('harmed_before')})\s+(?:(?!(?:{w('clause_words')})\b)[\w'’,-]+\s+){{0,4}}$"
            # opposition reaches no further than its own phrase: no comma between
            rf"|\b(?:{w('opposed_before')})\s+(?:[\w'’-]+\s+){{0,3}}$",
            flags,
        ),
    )


@dataclass(frozen=True)
class Roles:
    """Who did what to whom, with the mentions each came from."""

    actor1: Actor | None
    actor2: Actor | None
    assoc1: list[Actor]
    assoc2: list[Actor]


def _named(actor: Actor) -> str:
    return actor.name or actor.mention


# Which inter codes ACLED expects as actor 1 (or actor 2) for some sub-event types.
_ACTOR1_INTER = {
    "Government regains territory": {1},
    "Non-state actor overtakes territory": {2, 3, 4},
    "Peaceful protest": {6},
    "Protest with intervention": {6},
    "Violent demonstration": {5},
}
_ACTOR2_INTER = {"Attack": {7}, "Sexual violence": {7}, "Abduction/forced disappearance": {7}}


def roles(
    analysis: Analysis, start: int, end: int, trigger: int, language: str, sub_event_type: str
) -> Roles:
    """Actor 1 and actor 2 of an event sentence, from voice, word order and the event type.

    Catalogue actors are preferred over unknown names; a source quoted at the end of the
    report ("police said") is no side. A passive agent ("taken by the SDF", "von der QSD
    erobert") or an attacker named in the means ("bei IS-Angriffen", "in a US airstrike")
    is actor 1; otherwise the first armed actor of the sentence is (its subject in English
    and German news prose), unless the event type calls for a kind of actor the sentence
    has (state forces regain territory, civilians are attacked). Civilians are never actor
    1. Actors joined to either side by "and"/"und"/"with"/"mit" are associated. A
    territorial event whose sentence names no one takes its sides from the paragraph or
    article (`_from_context`).
    """
    text = analysis.article.text
    inside = [
        a
        for a in analysis.actors
        if a.start >= start
        and a.end <= end
        and not _source(text, a, start, end, language)
        and not _reporter(a)
    ]
    # catalogue actors; unknown names only when there is nothing else and their words say
    # what kind of actor they are ("Kurdish militia"): a bare name from NER ("Reuters",
    # "Ghouta", "Lavrov") is a source, a place or a person, not a side
    pool = [a for a in inside if a.actor_id] or [a for a in inside if a.acled_inter is not None]
    distinct: list[Actor] = []
    for actor in pool:
        if all(_named(actor) != _named(other) for other in distinct):
            distinct.append(actor)
    if not distinct:
        return _by_air(
            analysis,
            start,
            end,
            sub_event_type,
            _from_context(analysis, start, end, sub_event_type),
        )
    agent = next((a for a in distinct if _agent(text, a, start, language)), None)
    wanted = _ACTOR1_INTER.get(sub_event_type, set())
    # ACLED never codes civilians as actor 1: "the clashes have killed dozens, many of
    # them civilians" has them as victims, whoever the sentence names first; nor those a
    # verb of harm governs ("a suicide bomber killed four American soldiers")
    armed = [
        a for a in distinct if a.acled_inter != _CIVILIANS and not _harmed(text, a, start, language)
    ]
    actor1 = agent or next((a for a in armed if a.acled_inter in wanted), None)
    actor1 = actor1 or (armed[0] if armed else None)
    if actor1 is None:  # only civilians or the harmed: the side that acted is not named
        victims = [a for a in distinct if a.acled_inter != _CIVILIANS] + [
            a for a in distinct if a.acled_inter == _CIVILIANS
        ]
        return _by_air(
            analysis, start, end, sub_event_type, Roles(None, victims[0], [], victims[1:])
        )
    others = [a for a in distinct if a is not actor1 and not _same_side(text, actor1, a)]
    victims = _ACTOR2_INTER.get(sub_event_type, set())
    losers = _TERRITORY_LOSER.get(sub_event_type)
    if losers is not None:  # territory is lost by armed sides, never by civilians
        others = [a for a in others if a.acled_inter in losers]
    actor2 = next((a for a in others if a.acled_inter in victims), others[0] if others else None)
    rest = [a for a in distinct if a is not actor1 and a is not actor2]
    assoc1 = [a for a in rest if _same_side(text, actor1, a)]
    assoc2 = [a for a in rest if a not in assoc1 and _same_side(text, actor2, a)]
    return _by_air(analysis, start, end, sub_event_type, Roles(actor1, actor2, assoc1, assoc2))


_AIR = frozenset({"Air/drone strike"})


def _flies(actor: Actor | None) -> bool:
    """A state's forces or the coalition: who has aircraft and drones."""
    if actor is None or not actor.actor_id:
        return False
    return actor.actor_id.startswith(("military-", "government-")) or actor.actor_id in {
        "coalition",
        "irgc",
    }


def _by_air(
    analysis: Analysis, start: int, end: int, sub_event_type: str | None, roles: Roles
) -> Roles:
    """An air strike is flown by a state or the coalition: when the sentence names none, the
    paragraph's (else the article's) most named air force struck (else nobody named), and
    the armed group the sentence names was its target ("strikes on IS positions")."""
    if sub_event_type not in _AIR or _flies(roles.actor1):
        return roles
    low, high = analysis.paragraph_around(start, end)
    flyers = [a for a in analysis.actors if _flies(a)]
    pilot = None
    for scope in ([a for a in flyers if low <= a.start < high], flyers):
        if scope:
            counts = Counter(a.actor_id for a in scope)
            best = max(counts, key=lambda actor_id: counts[actor_id])
            pilot = min(
                (a for a in scope if a.actor_id == best), key=lambda a: abs(a.start - start)
            )
            break
    target = roles.actor1 if roles.actor1 is not None else roles.actor2
    victims = roles.actor2 if roles.actor1 is not None else None
    assoc2 = [a for a in (victims, *roles.assoc2) if a is not None and a is not target]
    return Roles(pilot, target, [], assoc2 if target is not None else roles.assoc2)


# Territory changes hands between sides the article has named before: "nach kurzer Zeit
# wurde der Husaybah-Grenzübergang erobert" is the Iraqi forces' doing in a report on
# their offensive. (loser's inter codes, by sub-event type; the gainer's are _ACTOR1_INTER)
_TERRITORY_LOSER = {
    "Government regains territory": {2, 3, 4},
    "Non-state actor overtakes territory": {1, 2, 3, 4},
}


def _from_context(analysis: Analysis, start: int, end: int, sub_event_type: str) -> Roles:
    """Sides of a territorial event whose sentence names no actor: the paragraph's, else
    the article's most mentioned catalogue actor of the kind the sub-event type needs (as
    a place comes from the paragraph or article, with no span in the sentence)."""
    losers = _TERRITORY_LOSER.get(sub_event_type)
    if losers is None:
        return Roles(None, None, [], [])
    gainer = _most_mentioned(analysis, start, end, _ACTOR1_INTER[sub_event_type], set())
    if gainer is None:
        return Roles(None, None, [], [])
    loser = _most_mentioned(analysis, start, end, losers, {gainer.actor_id})
    if loser is not None and _allied(gainer, loser):
        loser = None
    return Roles(gainer, loser, [], [])


def _most_mentioned(
    analysis: Analysis, start: int, end: int, inter: set[int], exclude: set[str | None]
) -> Actor | None:
    """The paragraph's, else the article's, most mentioned catalogue actor with one of
    these inter codes; its mention nearest before the sentence stands for it."""
    low, high = analysis.paragraph_around(start, end)
    known = [
        a
        for a in analysis.actors
        if a.actor_id and a.acled_inter in inter and a.actor_id not in exclude
    ]
    for scope in ([a for a in known if low <= a.start < high], known):
        if scope:
            counts = Counter(a.actor_id for a in scope)
            best = max(counts, key=lambda actor_id: counts[actor_id])
            mentions = [a for a in scope if a.actor_id == best]
            return min(mentions, key=lambda a: (a.start > start, abs(a.start - start)))
    return None


def _source(text: str, actor: Actor, start: int, end: int, language: str) -> bool:
    """The actor is only the source of the sentence: an attribution before it ("according
    to the SDF") or a trailing clause after the report (", police said.")."""
    cues = _cues(language)
    if cues.source_before.search(text[max(start, actor.start - 40) : actor.start]):
        return True
    trailing = cues.said_after.match(text[actor.end : end])
    return bool(trailing and cues.source_clause.search(text[start : actor.start]))


def _reporter(actor: Actor) -> bool:
    """A monitor or agency the news quotes (the Syrian Observatory, UNICEF): never a side."""
    entry = catalogue().get(actor.actor_id) if actor.actor_id else None
    return bool(entry and entry.reports)


def _agent(text: str, actor: Actor, start: int, language: str) -> bool:
    """The actor is named as the one acting: a passive agent ("taken by the SDF", "von der
    QSD erobert") or the attacker in the means ("bei IS-Angriffen", "in a US airstrike")."""
    cues = _cues(language)
    if cues.passive.search(text[max(start, actor.start - 8) : actor.start]):
        return True
    if not cues.means_before.search(text[max(start, actor.start - 24) : actor.start]):
        return False
    mention = text[actor.start : actor.end]
    return bool(cues.means_head.search(mention) or cues.means_head.match(text, actor.end))


def _harmed(text: str, actor: Actor, start: int, language: str) -> bool:
    """A verb of harm or a preposition of opposition governs the actor: "killed four
    American soldiers", "tötete vier US-Soldaten", "Einsätze gegen die PKK" — the one
    harmed or acted against."""
    before = text[max(start, actor.start - 60) : actor.start]
    return bool(_cues(language).harmed.search(before))


def _allied(one: Actor, other: Actor) -> bool:
    """The catalogue links the two: one is the other's parent or associate, or they share
    a parent (the PMF fights alongside the Iraqi army; Badr is part of the PMF)."""
    if not one.actor_id or not other.actor_id:
        return False
    book = catalogue()
    first, second = book.get(one.actor_id), book.get(other.actor_id)
    if first is None or second is None:
        return False
    if second.id in {*first.parents, *first.associated}:
        return True
    return first.id in {*second.parents, *second.associated} or bool(
        set(first.parents) & set(second.parents)
    )


@cache
def _joined(codes: tuple[str, ...]) -> re.Pattern[str]:
    """Two actors on one side: "and", "with"... in any of these languages, then perhaps a
    count or an article ("18 Peshmerga und drei Zivilisten"), whatever the article's
    language."""
    joined = alternation("joined", codes)
    return re.compile(rf"(?:{joined})(?:\s+(?:\d[\d.,]*|[a-zäöüß]+))?", re.IGNORECASE)


def _same_side(text: str, anchor: Actor | None, other: Actor) -> bool:
    """Allied in the catalogue, or joined by a conjunction or "with" in the text."""
    if anchor is None:
        return False
    if _allied(anchor, other):
        return True
    left, right = sorted((anchor, other), key=lambda a: a.start)
    if right.start - left.end > 24:  # longer than any joining phrase
        return False
    joined = _joined(lang.with_file(WORDS))
    return bool(joined.fullmatch(text[left.end : right.start].strip(" ,")))
