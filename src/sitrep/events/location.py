"""Where an event happened: the place the text attaches to it, never merely a town that the
article happens to mention most.

ACLED codes the most precise place the report gives for the event itself. In order:

1. a place in the event's own sentence, the one the text attaches to the event — after a
   locative word ("in", "near", "the town of", "im", "bei", "nahe"), the most specific,
   then the nearest to the trigger; "near X" or "outskirts of X" is geo_precision 2.
   Ranked last: a point of reference ("20km from Raqqa": near it at best) and a place in
   an actor's name ("Arbeiterpartei Kurdistans"). Never taken here: a dateline ("Bamako –
   Nahe der Grenze …": where the report was filed, most often a capital's bureau), where a
   named person comes from ("Oliver Hall, 24, from Portsmouth, died"), the ends of an
   area ("between Baghdad and Erbil") and the country across a border ("near the border
   with Ivory Coast");
2. else, when the sentence speaks of a settlement it does not name ("killed 11 civilians
   in a jihadist-held town in northern Syria"), the town the next sentence names in the
   same country ("Government helicopters dropped the barrel bombs on Al-Bab"): a lead
   that names the place right after;
3. else, unless the sentence names a place the gazetteer does not know ("in Tafas"), a
   town in the sentence just before it (a report that sets the scene first: "Clashes
   erupted in Hajin. Two soldiers were killed.");
4. else, in a short report (four sentences at most), the town of its dateline;
5. else the province or country the sentence or the article is about, at geo_precision 3
   (the article's most named country) — a town from elsewhere in the article is a guess,
   and a wrong place is worse than a coarse one.

The words that attach a place to an event, or say it is only where someone came from or
spoke ("from", "said", "based"), live in `lang/<code>/event-arguments.json`; this stage is
not told the article's language, so it uses every language's words together.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from sitrep import lang
from sitrep.catalogue import load as catalogue
from sitrep.events.arguments import WORDS, alternation
from sitrep.geo import load as gazetteer
from sitrep.models import Analysis, Location, Place

__all__ = ["Attached", "attach", "country_level", "towns_listed", "unresolved_here"]

# Most specific first: ACLED codes the most precise place the text names.
KIND_RANK = {
    "village": 0, "camp": 0, "crossing": 0, "base": 0, "city": 0, "town": 0, "landmark": 0,
    "admin3": 1, "admin2": 1, "river": 3, "desert": 3, "region": 3, "admin1": 3,
    "country": 4, "continent": 5,
}  # fmt: skip
TOWN_LEVEL = 1  # ranks up to this are exact places (geo_precision 1)


@dataclass(frozen=True)
class _Cues:
    """The patterns that tell how a place relates to the event (keys of the words file)."""

    locative: re.Pattern[str]  # "in", "near", "the town of", "im", "bei", "nahe"
    near: re.Pattern[str]  # "near X", "outskirts of X": geo_precision 2
    origin: re.Pattern[str]  # "fighters from Turkey": where someone came from
    speaks: re.Pattern[str]  # "Moscow said", "Washington has blamed": who spoke
    spoke_in: re.Pattern[str]  # "said Kerry in Washington": where the speaker was
    describes: re.Pattern[str]  # "the Britain-based Syrian Observatory": describes someone
    unnamed: re.Pattern[str]  # "a rebel-held town", "einem Dorf": a place not named here
    reference: re.Pattern[str]  # "20km from Raqqa": near it at best
    between: re.Pattern[str]  # "between Baghdad and Erbil", "the border with X": not there
    hometown: re.Pattern[str]  # "Oliver Hall, 24, from Portsmouth, died …"
    quarter: re.Pattern[str]  # "neighborhood", "Stadtteil": a part of a town
    list_joint: re.Pattern[str]  # what stands between two places of a list: ", ", " and "


@cache
def _cues_of(codes: tuple[str, ...]) -> _Cues:
    """The patterns built from these languages' words together: this stage is not told the
    article's language, so an English cue counts in a German article and the other way round.

    A place that only says where someone came from or spoke ("fighters from Turkey",
    "Moscow said", "said Kerry in Washington", "erklärte Kerry in Washington") is not where
    the event happened; one that only describes someone ("the Britain-based Syrian
    Observatory", "a London-based monitor") says nothing of where the article's events
    happen."""

    def w(key: str) -> str:
        return alternation(key, codes)

    articles = rf"(?:(?:{w('place_articles')})\s+)?"
    flags = re.IGNORECASE
    return _Cues(
        locative=re.compile(rf"(?:\b(?:{w('locative')})\s+{articles}(?:\w+\s+)?)$", flags),
        near=re.compile(rf"\b(?:{w('near')})\s+{articles}(?:\w+\s+)?$", flags),
        origin=re.compile(rf"\b(?:{w('origin')})\s+(?:(?:{w('origin_articles')})\s+)?$", flags),
        speaks=re.compile(
            rf"^['’]?s?\s+(?:(?:{w('speak_auxiliaries')})\s+){{0,2}}(?:{w('speaks')})\b", flags
        ),
        spoke_in=re.compile(
            rf"\b(?:{w('spoke')})(?:\s+[\w.-]+){{0,3}}\s+(?:{w('spoke_in')})\s+$", flags
        ),
        describes=re.compile(rf"^[\s-]*(?:{w('describes')})\b", flags),
        unnamed=re.compile(
            rf"\b(?:{w('unnamed_articles')})\s+(?:[\w-]+\s+){{0,3}}(?:{w('unnamed_places')})\b",
            flags,
        ),
        reference=re.compile(
            rf"\d\s*(?:{w('distance_units')})\b(?:\s*\([^)]*\))?(?:\s+[\w-]+)?"
            rf"\s+(?:{w('reference_to')})\s+{articles}$",
            flags,
        ),
        between=re.compile(
            rf"\b(?:(?:{w('between')})(?:(?:\s+[^\s,.;]+){{1,4}}\s+(?:{w('between_and')}))?"
            rf"|{w('border')})\s+{articles}$",
            flags,
        ),
        hometown=re.compile(rf",[^,.;]{{0,40}}\b(?:{w('hometown')})\s+$", flags),
        quarter=re.compile(rf"\b(?:{w('quarter')})\b", flags),
        list_joint=re.compile(rf"\s*(?:,|&|\b(?:{w('between_and')})\b)\s*{articles}", flags),
    )


def _cues() -> _Cues:
    """The patterns of every language that has the words file."""
    return _cues_of(lang.with_file(WORDS))


@dataclass(frozen=True)
class Attached:
    """A location and the place mention it came from (None when taken from no mention)."""

    location: Location
    place: Place | None
    own: bool  # named in the event's own sentence


def _rank(place: Place) -> int:
    return KIND_RANK.get(place.kind or "", 3)


def _to_location(place: Place, precision: int) -> Location:
    rank = _rank(place)
    return Location(
        name=place.name or place.mention,
        lat=place.lat,
        lon=place.lon,
        country=place.country,
        geo_precision=precision if rank <= TOWN_LEVEL else 3,
        admin1=place.admin1,
        geonames_id=place.geonames_id,
    )


_NAMES = r"[A-ZÄÖÜ][\w’'-]*"
# "Bagdad/Washington –", "BEIRUT (Reuters) -", "DAMASCUS, Syria (AP) —"
_DATELINE = re.compile(
    rf"^(?:,\s*{_NAMES}(?:\s+{_NAMES})?)?(?:\s*/\s*{_NAMES})*\s*(?:\([^)]*\)\s*)?[–—-]\s"
)
_DATELINE_LEAD = re.compile(rf"^(?:{_NAMES}(?:\s*/\s*|,\s*))*$")  # "DAMASCUS, " of "Syria"


def _dateline(text: str, sentence_start: int, place: Place) -> bool:
    """The place opens the sentence as a dateline ("Jerusalem – Erneut hat …", "BEIRUT (Reuters)
    - …", "DAMASCUS, Syria (AP) — …", "Bagdad/Washington – …"): where the report was filed,
    not necessarily where the event happened."""
    lead = text[sentence_start : place.start].strip()
    return bool(_DATELINE_LEAD.match(lead)) and bool(
        _DATELINE.match(text[place.end : place.end + 60])
    )


_OPENS = re.compile(r"^\W*(?:\w+\s+)?$")  # nothing, or one article, before the mention


def names_a_side(analysis: Analysis, place: Place, sentence_start: int | None = None) -> bool:
    """A country named as a side, not as a place: inside an actor's mention ("US
    soldiers", "US-Soldaten", "Syria's army"), or opening its sentence as the one acting
    ("Turkey shelled …", "Die Türkei beschoss …"; followed by a word in lower case). Where
    a country's people were is not where the event happened."""
    if place.kind != "country":
        return False
    if any(a.start <= place.start and place.end <= a.end for a in analysis.actors):
        return True
    if sentence_start is None:
        return False
    text = analysis.article.text
    opens = _OPENS.match(text[sentence_start : place.start])
    return bool(opens and re.match(r"\s+[a-zäöüß]", text[place.end : place.end + 3]))


def _elsewhere(text: str, sentence_start: int, place: Place) -> bool:
    """The place only says who spoke ("Moscow said", "that Washington has blamed"), where
    the speaker was ("said Kerry in Washington") or where someone is based ("a
    London-based monitor"): never where the event happened."""
    before = text[max(sentence_start, place.start - 40) : place.start]
    after = text[place.end : place.end + 30]
    cues = _cues()
    return (
        bool(cues.spoke_in.search(before))
        or bool(cues.speaks.match(after))
        or bool(cues.describes.match(after))
    )


def _lead_in(text: str, sentence_start: int, place: Place) -> str:
    """The words of its sentence before the place (at most 60 characters)."""
    return text[max(sentence_start, place.start - 60) : place.start]


def _hometown(text: str, sentence_start: int, place: Place) -> bool:
    """The place, set off by commas, says where someone named comes from ("Oliver Hall,
    24, from Portsmouth, died …", "Mehmet Aksoy, 32, aus London, …"): never where the
    event happened, however the sentence goes on."""
    set_off = text[place.end : place.end + 1] in (",", ")")
    return set_off and bool(_cues().hometown.search(_lead_in(text, sentence_start, place)))


def _reference(text: str, sentence_start: int, place: Place) -> bool:
    """The place is a point of reference ("some 20km from Raqqa", "62 miles (100km) north
    of Bodrum", "50 Kilometer von Damaskus entfernt"): the event is near it at best, and
    another place the sentence names is where it happened."""
    return bool(_cues().reference.search(_lead_in(text, sentence_start, place)))


def _between(text: str, sentence_start: int, place: Place) -> bool:
    """The place bounds an area ("the disputed areas between Baghdad and Erbil",
    "zwischen Bagdad und Erbil") or lies across a border ("nahe der Grenze zur
    Elfenbeinküste"): the event is at neither end, and on this side of the border."""
    return bool(_cues().between.search(_lead_in(text, sentence_start, place)))


def _never_here(text: str, sentence_start: int, place: Place) -> bool:
    """A place its sentence names that is never where that sentence's event happened: a
    named person's home town, an end of an area or the far side of a border, a dateline."""
    return (
        _hometown(text, sentence_start, place)
        or _between(text, sentence_start, place)
        or _dateline(text, sentence_start, place)
    )


def _in_a_name(analysis: Analysis, place: Place) -> bool:
    """The place is part of an actor's name ("Arbeiterpartei Kurdistans", "the Manbij
    Military Council", "die Regierung in Ankara"): it names who acted, not where."""
    return any(
        a.start <= place.start and place.end <= a.end and a.end - a.start > place.end - place.start
        for a in analysis.actors
    )


def _origin(text: str, sentence_start: int, place: Place) -> bool:
    """The place says where someone came from ("fighters from Turkey", "die von Russland
    unterstützte Regierung") — or, for a town, perhaps what was taken ("die Rückeroberung
    von Mossul"): German `von` is both."""
    return bool(_cues().origin.search(text[max(sentence_start, place.start - 40) : place.start]))


def _score(analysis: Analysis, sentence_start: int, place: Place, trigger: int) -> tuple:
    """Ranks the sentence's places: where someone came from ("fighters from Turkey"), a
    point of reference ("20km from Raqqa") or a place in an actor's name last, then towns
    before provinces, places after a locative word first, then the most specific and the
    nearest to the trigger."""
    text = analysis.article.text
    before = text[max(sentence_start, place.start - 40) : place.start]
    return (
        _origin(text, sentence_start, place)
        or _reference(text, sentence_start, place)
        or _in_a_name(analysis, place),
        _rank(place) > TOWN_LEVEL,
        not _cues().locative.search(before),
        _rank(place),
        abs(place.start - trigger),
    )


def attach(
    analysis: Analysis,
    start: int,
    end: int,
    trigger: int,
    previous: tuple[int, int] | None,
    following: tuple[int, int] | None,
) -> Attached | None:
    """The place of the event reported between `start` and `end`, given the sentences
    before and after it (see the module doc)."""
    text = analysis.article.text
    resolved = [p for p in analysis.places if p.lat is not None]
    own = [
        p
        for p in resolved
        if p.start >= start
        and p.end <= end
        and not names_a_side(analysis, p, start)
        and not _elsewhere(text, start, p)
        and not _never_here(text, start, p)
        # a province or country someone came from, or in an actor's name ("PKK, the
        # Kurdistan Workers' Party"), is no place of the event
        and not (_rank(p) > TOWN_LEVEL and (_origin(text, start, p) or _in_a_name(analysis, p)))
    ]
    best = min(own, key=lambda p: _score(analysis, start, p, trigger)) if own else None
    if best is not None and _rank(best) <= TOWN_LEVEL:
        near = bool(_cues().near.search(text[max(start, best.start - 40) : best.start]))
        near = near or _reference(text, start, best)
        return Attached(_to_location(best, 2 if near else 1), best, True)
    named = _named_next(analysis, start, end, following, best.country if best else None)
    if named is not None:
        return Attached(_to_location(named, 1), named, False)
    if best is not None:
        return Attached(_to_location(best, 1), best, True)
    if previous is not None and not unresolved_here(analysis, start, end):
        towns = [
            p
            for p in resolved
            if p.start >= previous[0]
            and p.end <= previous[1]
            and _rank(p) <= TOWN_LEVEL
            and not _never_here(text, previous[0], p)
            and not _reference(text, previous[0], p)
        ]
        if towns:
            best = min(towns, key=lambda p: _score(analysis, previous[0], p, previous[1]))
            return Attached(_to_location(best, 1), best, False)
    filed = _filed_at(analysis)
    if filed is not None:
        return Attached(_to_location(filed, 1), filed, False)
    return country_level(analysis, start)


SHORT_REPORT = 4  # sentences: a report this short is told from where it was filed


def _filed_at(analysis: Analysis) -> Place | None:
    """The dateline's town of a short report ("BEIRUT (Reuters) - Two car bombs killed 10
    people.") when nothing else places the event: a wire filed from the town it tells of.
    In a longer report the dateline is the bureau, most often a capital's, and the events
    are where the text says."""
    if len(analysis.sentences) > SHORT_REPORT:
        return None
    text = analysis.article.text
    return next(
        (
            p
            for sentence in analysis.sentences[:2]  # a headline may come first
            for p in analysis.places
            if p.lat is not None
            and sentence.start <= p.start < sentence.end
            and _rank(p) <= TOWN_LEVEL
            and _dateline(text, sentence.start, p)
        ),
        None,
    )


def _named_next(
    analysis: Analysis,
    start: int,
    end: int,
    following: tuple[int, int] | None,
    country: str | None,
) -> Place | None:
    """The town the next sentence names when this one speaks of an unnamed settlement
    ("a jihadist-held town in northern Syria"), in this sentence's country if it has one."""
    text = analysis.article.text
    if following is None or not _cues().unnamed.search(text[start:end]):
        return None
    towns = [
        p
        for p in analysis.places
        if p.lat is not None
        and following[0] <= p.start
        and p.end <= following[1]
        and _rank(p) <= TOWN_LEVEL
        and (country is None or p.country == country)
        and not _elsewhere(text, following[0], p)
        and not names_a_side(analysis, p, following[0])
    ]
    return min(towns, key=lambda p: _score(analysis, following[0], p, p.start)) if towns else None


def towns_listed(analysis: Analysis, start: int, end: int) -> bool:
    """The sentence lists several towns as where its events happened ("rocket attacks on
    Aleppo and Deir Ezzor"): a toll told of them all is no one town's toll. Towns each
    with their own count ("45 in Aleppo and 22 in Idlib") are not a list."""
    text = analysis.article.text
    towns = [
        p
        for p in analysis.places
        if p.lat is not None
        and start <= p.start
        and p.end <= end
        and _rank(p) <= TOWN_LEVEL
        and not _elsewhere(text, start, p)
        and not _never_here(text, start, p)
        and not _origin(text, start, p)
        and not _reference(text, start, p)
        and not _in_a_name(analysis, p)
    ]
    joint = _cues().list_joint
    return any(
        one.name != other.name and joint.fullmatch(text[one.end : other.start])
        for one, other in pairwise(towns)
    )


def unresolved_here(analysis: Analysis, start: int, end: int) -> bool:
    """The sentence says where ("in Tafas") with a name the gazetteer does not know: its
    place is unknown, not the previous sentence's. A part of a town ("in al-Qusor and
    Hrabesh neighborhoods in the city", "im Stadtteil X") is inside the town told before."""
    text = analysis.article.text
    cues = _cues()
    return any(
        p.lat is None
        and start <= p.start < end
        and cues.locative.search(text[max(start, p.start - 40) : p.start])
        and not cues.quarter.search(text[max(start, p.start - 25) : min(end, p.end + 25)])
        for p in analysis.places
    )


def country_level(analysis: Analysis, near: int | None = None) -> Attached | None:
    """The country the article's events happen in, at geo_precision 3: the country of its
    towns and provinces (each counting twice a country's own mention), the one nearest
    before `near` winning a tie, or with no place at all the country of its state forces
    ("Syrian army missile kills 23"); its own country mention when it has one, else the
    gazetteer's point for it."""
    text = analysis.article.text
    resolved = [
        p
        for p in analysis.places
        if p.lat is not None
        and p.country
        and not _elsewhere(text, 0, p)
        and not names_a_side(analysis, p)
    ]
    weight: Counter[str] = Counter()
    for place in resolved:
        weight[place.country] += 1 if place.kind in ("country", "continent") else 2  # type: ignore[index]
    if not weight:  # no place resolved: the country of the article's state actors
        entries = (catalogue().get(a.actor_id) for a in analysis.actors if a.actor_id)
        weight.update(e.country for e in entries if e and e.country and e.inter == 1)
    if not weight:
        return None
    before = [p for p in resolved if near is not None and p.start < near]
    last = before[-1].country if before else None
    country = max(weight, key=lambda c: (weight[c], c == last))
    mention = next((p for p in resolved if p.country == country and p.kind == "country"), None)
    if mention is not None:
        return Attached(_to_location(mention, 3), mention, False)
    row = gazetteer().country_of(country)
    if row is None:
        return None
    location = Location(
        name=row.name,
        lat=row.lat,
        lon=row.lon,
        country=country,
        geo_precision=3,
        geonames_id=row.geonames_id,
    )
    return Attached(location, None, False)
