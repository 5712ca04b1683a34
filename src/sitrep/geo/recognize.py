"""Toponym recognition: which stretches of the text name places (or point at a country).

English: spaCy's GPE/LOC/FAC entities (NORP entities that are demonyms become adjective
mentions), plus a gazetteer matcher for what the model misses. German: the gazetteer matcher
alone, with German-aware rules — every German noun is capitalised, so a capitalised word only
counts when it is a strong name (country, continent, region, admin1, curated place, city of
50,000+) or, in a second pass, a smaller town in a country the article already talks about,
or one right after a locative preposition. Inflection and compounds are undone on the way:
"des Euphrats", "Iraks", "Nordsyriens", "Nord-Bagdad", "Anbar-Wüste", "Husaybah-Grenzübergang".

The words live in `sitrep/lang/<code>/places.json` (read by `sitrep.geo.words`): locative
words, words never taken for a place, determiners, place nouns, name prefixes, compound
heads and inflection endings are read for every language together, as the matcher has
always used English and German cues in an article of either language; the cues for spaCy's
English entities ("retook Palmyra", "the Idlib offensive") are read for the article's
language alone.
"""

from __future__ import annotations

import importlib
import re
import string
from bisect import bisect_left, insort
from dataclasses import dataclass
from functools import cache

from sitrep import lang, ner
from sitrep.geo.index import KINDS, Candidate, Gazetteer
from sitrep.geo.normalize import fold
from sitrep.geo.resolve import Mention, dotted_abbreviations, seat_of_institution
from sitrep.geo.words import FILE, Lists, every_language, of_language
from sitrep.models import Entity

__all__ = ["recognize"]

# Kinds whose names are rare enough in prose to count as a place on sight; cities and
# landmarks also need population or context ("Sari" is a town and a first name).
_STRONG_KINDS = frozenset(KINDS) - {"admin2", "city", "landmark"}
_WORD = r"[A-ZÄÖÜ][\w’'ʿ]*(?:-[\wÄÖÜäöü’'ʿ]+)*"
_ARTICLE = r"(?:(?<![\w-])(?:[Aa]l|[Ee]l|[Aa][dnrstz]|[Aa]sh)[-‐ ])"
_SPAN = re.compile(
    rf"{_ARTICLE}?{_WORD}(?:[ ](?:{_ARTICLE}|(?:ez|az|al|el|as|ad|ar)-)?{_WORD}){{0,3}}"
)
# Arabic articles that are English words too: in lower case with a space they open no
# name ("World at One" is no "at-One"), though they stay inside one ("Dayr az Zawr")
_ENGLISH_ARTICLES = frozenset({"an", "as", "at"})


_I = re.compile(r"I['’]")
# A wire's dateline in capitals, opening the text or a line: "BEIRUT (Reuters) -",
# "DAMASCUS, Syria (AP) —", "MOSUL, Iraq -". The NER and the capitalised-name matcher
# both miss a town written in capitals.
_CAPITAL_DATELINE = re.compile(
    r"(?:\A|\n)[^\S\n]*(?P<town>[A-Z][A-Z'’-]+(?:[ ][A-Z][A-Z'’-]+){0,2})"
    r"(?:,[ ][A-Z][A-Za-z. ]{1,30}?)?[ ]*(?:\([A-Za-z. ]{1,20}\)[ ]*)?[-–—:]"
)


@dataclass(frozen=True)
class _Words:
    """The lists of `places.json` (see its "about"), in the form the matcher asks them."""

    locative: frozenset[str]
    place_cues: frozenset[str]  # the locative words that are a place cue on their own
    never: frozenset[str]
    determiners: frozenset[str]
    place_nouns: frozenset[str]
    name_links: frozenset[str]
    place_noun_articles: frozenset[str]
    endings: tuple[str, ...]
    prefix: re.Pattern[str]
    heads: re.Pattern[str]
    taken_from: frozenset[str]
    place_after: frozenset[str]
    struck_on: frozenset[str]
    entity_articles: tuple[str, ...]
    directional: frozenset[str]
    speaker_after: frozenset[str]
    name_of_after: frozenset[str]
    organisation_links: frozenset[str]
    disease_after: frozenset[str]
    titles_before: frozenset[str]
    street_words: frozenset[str]


def _build(lists: Lists) -> _Words:
    def lower(key: str) -> frozenset[str]:
        return frozenset(word.lower() for word in lists.get(key, ()))

    locative = lower("locative")
    return _Words(
        locative=locative,
        place_cues=locative - lower("weak_locative"),
        never=frozenset(fold(word) for word in lists.get("never", ())),
        determiners=lower("determiners"),
        place_nouns=lower("place_nouns"),
        name_links=lower("name_links"),
        place_noun_articles=lower("place_noun_articles"),
        endings=lists.get("endings", ()),
        prefix=re.compile(rf"^{lang.alternation(lists.get('prefixes', ()))}-?(?=[A-ZÄÖÜa-zäöü])"),
        heads=re.compile(rf"-{lang.alternation(lists.get('heads', ()))}$"),
        taken_from=lower("taken_from"),
        place_after=lower("place_after"),
        struck_on=lower("struck_on"),
        entity_articles=tuple(word.lower() for word in lists.get("entity_articles", ())),
        directional=lower("directional"),
        speaker_after=lower("speaker_after"),
        name_of_after=lower("name_of_after"),
        organisation_links=lower("organisation_links"),
        disease_after=lower("disease_after"),
        titles_before=lower("titles_before"),
        street_words=frozenset(lists.get("street_words", ())),
    )


@cache
def _shared() -> _Words:
    """Every language's words together: the matcher has always used English and German cues
    in an article of either language."""
    return _build(every_language())


@cache
def _own(language: str) -> _Words:
    """The article's language's words alone, for the paths of one language (spaCy's English
    entities); a language without `places.json` has none."""
    return _build(of_language(language))


@cache
def _stop_words() -> frozenset[str]:
    """Folded words never read as a place name: `never` and spaCy's stop words of every
    language with words here."""
    found: set[str] = set(_shared().never)
    for code in lang.with_file(FILE):
        found |= {fold(word) for word in _spacy_stop_words(code)}
    return frozenset(found)


def _spacy_stop_words(code: str) -> frozenset[str]:
    """spaCy's stop words of a language: function words are no place names either."""
    try:
        module = importlib.import_module(f"spacy.lang.{code}.stop_words")
    except ImportError:  # a language spaCy has no stop words for
        return frozenset()
    return frozenset(module.STOP_WORDS)


def _variants(phrase: str) -> list[tuple[str, int]]:
    """Readings of a phrase as a place name: (name, characters cut from the end)."""
    out = [(phrase, 0)]
    head = _shared().heads.search(phrase)
    if head:
        out.append((phrase[: head.start()], len(phrase) - head.start()))
    for name, cut in list(out):
        for ending in _shared().endings:
            if name.endswith(ending) and len(name) > len(ending) + 3:
                out.append((name[: -len(ending)], cut + len(ending)))
    return out


def _best(candidates: list[Candidate]) -> Candidate:
    return max(candidates, key=lambda c: (c.kind in _STRONG_KINDS, c.population))


def _strong(candidate: Candidate, language: str) -> bool:
    if candidate.tier == 2:
        return False
    if candidate.kind in _STRONG_KINDS:
        return True
    return candidate.population >= (50_000 if language == "de" else 100_000)


def _match(phrase: str, gazetteer: Gazetteer) -> tuple[str, int, list[Candidate], bool] | None:
    """(name, cut, candidates, is_adjective) for the first reading that matches.

    Exact and article-stripped readings of every variant come before consonant skeletons.
    """
    readings = []
    for name, cut in _variants(phrase):
        bare = _shared().prefix.sub("", name)
        readings += [(reading, cut) for reading in dict.fromkeys((name, bare)) if len(reading) >= 3]
    stop = _stop_words()
    readings = [(r, c) for r, c in readings if fold(r) not in stop]  # "Nordosten" is no "Osten"
    for reading, cut in readings:
        adjective = gazetteer.adjective(reading)
        if adjective is not None:
            return reading, cut, [adjective], True
        candidates = gazetteer.lookup(reading, fuzzy=False)
        if candidates:
            return reading, cut, candidates, False
    for reading, cut in readings[:1]:
        if len(reading) >= 5:
            candidates = gazetteer.lookup(reading)
            if candidates:
                return reading, cut, candidates, False
    return None


class _Spans:
    """Character spans asked for overlaps many times: a person's surname repeated all
    over a long page must not make each lookup scan every span (quadratic on 1 MB)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._spans: list[tuple[int, int]] = sorted(spans)
        self._longest = max((b - a for a, b in self._spans), default=0)

    def add(self, start: int, end: int) -> None:
        insort(self._spans, (start, end))
        self._longest = max(self._longest, end - start)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans sharing a character with [start, end)."""
        first = bisect_left(self._spans, (start - self._longest, -1))
        last = bisect_left(self._spans, (end, -1))
        return [(a, b) for a, b in self._spans[first:last] if b > start]


def _gazetteer_mentions(
    text: str,
    language: str,
    gazetteer: Gazetteer,
    taken: list[tuple[int, int]],
    lowered: set[str],
    known: set[str | None] | None = None,
) -> list[Mention]:
    """Gazetteer names in capitalised stretches, off the `taken` spans and the words the
    article also writes in lower case (`lowered`); `known` are the countries spaCy's
    places already put the article in. A street word after a name is the street's
    ("Downing Street": not Street, a town in Somerset)."""
    stop = _stop_words()
    locative = _shared().locative
    held = _Spans(taken)
    found: list[tuple[Mention, list[Candidate]]] = []
    for match in _SPAN.finditer(text):
        words = match.group().split(" ")
        start = match.start()
        index = 0
        while index < len(words):  # longest reading first, then move past it
            for size in range(len(words) - index, 0, -1):
                phrase = " ".join(words[index : index + size])
                offset = start + sum(len(w) + 1 for w in words[:index])
                end = offset + len(phrase)
                if fold(phrase) in stop or held.overlapping(offset, end) or _I.match(phrase):
                    continue  # "I’ll" is no Illinois
                if words[index] in _ENGLISH_ARTICLES:
                    continue
                if phrase.lower() in lowered:
                    continue  # also written in lower case here: a common word
                hit = _match(phrase, gazetteer)
                if hit is None:
                    continue
                name, cut, candidates, adjective = hit
                surface = text[offset : end - cut]
                mention = Mention(
                    offset, end - cut, surface, adjective, name if name != surface else None
                )
                if fold(words[index]) in stop and all(c.tier == 2 for c in candidates):
                    continue  # "From Aleppo" sounds like some town; read "Aleppo" next
                street = index > 0 and surface in _shared().street_words
                if not street:
                    found.append((mention, candidates))
                index += size - 1
                break
            index += 1
    # pass 1 strong names fix the article's countries; pass 2 admits their smaller towns
    countries = {
        c.country for _m, cands in found for c in cands[:1] if _strong(_best(cands), language)
    }
    countries |= {_best(cands).country for _m, cands in found if _strong(_best(cands), language)}
    countries |= known or set()
    kept: list[Mention] = []
    for mention, candidates in found:
        best = _best(candidates)
        before = text[max(0, mention.start - 60) : mention.start].split()
        after_det = _after_determiner(before)
        if mention.adjective or (
            _strong(best, language) and not (after_det and best.kind == "city")
        ):
            kept.append(mention)
            continue
        if after_det:
            continue  # "des Landes", "den Fall": a noun, not a town
        near_prep = _place_cue(before) or (bool(before) and before[-1].lower() in locative)
        # a sentence's first word is capitalised anyway: only a town's own name counts there
        # ("Plans requiring …" is no French hamlet that is also called so)
        mid_sentence = not _opens_sentence(text, mention.start)
        in_country = any(
            c.tier < 2 and c.country in countries and (mid_sentence or c.primary)
            for c in candidates
        )
        if best.tier < 2 and (in_country or near_prep):
            kept.append(mention)
    return kept


def _opens_sentence(text: str, start: int) -> bool:
    """The word at `start` opens the text, a line or a sentence (quotes and a bracket aside)."""
    before = text[max(0, start - 10) : start].rstrip(" \t“”‘’\"'(")
    return not before or before[-1] in ".!?\n"


def _after_determiner(before: list[str]) -> bool:
    """True when an article or determiner precedes, possibly with lower-case words between
    ("des Landes"); "the town of" is a place cue, not a determiner."""
    if _place_cue(before):
        return False
    for word in reversed(before[-3:]):
        if word.lower() in _shared().determiners:
            return True
        if not word.islower() or not word.isalpha():
            return False
    return False


def _war_cue(before: list[str], after: list[str], language: str) -> bool:
    """A verb of taking or striking a place before the name ("retook Palmyra", "dropped
    the bombs on Al-Bab"), or a place noun after it ("the Idlib offensive")."""
    last = before[-1].lower().strip(",") if before else ""
    following = after[0].lower().strip(",.;:") if after else ""
    own = _own(language)
    struck = last == "on" and any(w.lower().strip(",") in own.struck_on for w in before[-5:-1])
    return last in own.taken_from or following in own.place_after or struck


def _place_cue(before: list[str]) -> bool:
    """A locative word or "the town of" right before a name."""
    if not before:
        return False
    shared = _shared()
    last = before[-1].lower().strip(",")
    if last in shared.place_cues:
        return True
    if last in shared.name_links and len(before) > 1 and before[-2].lower() in shared.place_nouns:
        return True
    return (
        last in shared.place_nouns
        and len(before) > 1
        and before[-2].lower() in shared.place_noun_articles
    )


def _german_people(
    text: str, gazetteer: Gazetteer, entities: list[Entity]
) -> tuple[list[tuple[int, int]], set[str]]:
    """The spans of people the German NER finds, and their surnames everywhere else in the
    article: "Badredin Haiti" is no country, "Kerry" in "erklärte Kerry" no Irish county.
    Only people: its places and organisations are less sure than the matcher's rules."""
    taken: list[tuple[int, int]] = []
    persons: set[str] = set()
    for ent in entities:
        words = ent.mention.split()
        if ent.model_label != "PER" or len(words) < 2 or _exact_place(ent.mention, gazetteer):
            continue  # "Abu Kamal" tagged PER is still the town
        taken.append((_given_name(text, ent.start), ent.end))
        surname = words[-1].strip(".,")
        if not (_prominent(surname, gazetteer) or _big_city(surname, gazetteer)):
            persons.add(surname)  # "Tags Aleppo", "Jihadistenhochburg Raqqa": slips
    for match in re.finditer(r"[A-ZÄÖÜ][\w'’-]+", text):
        if match.group() in persons:
            taken.append(match.span())
    return taken, persons


def _given_name(text: str, start: int) -> int:
    """Where a person's name starts when the NER left out a given name before it
    ("des Irak, Qasim Al Araji" tagged "Al Araji"): a capitalised word right before the
    span belongs to it unless a locative word precedes that word ("in Mossul Al-Abadi")."""
    match = re.search(r"(\S+\s)?([A-ZÄÖÜ][\w'’-]+) $", text[max(0, start - 60) : start])
    if match is None or (match.group(1) or "").strip().lower() in _shared().locative:
        return start
    return start - len(match.group(2)) - 1


def _prominent(name: str, gazetteer: Gazetteer) -> bool:
    """A country or continent by exactly this name: too well known to read as someone's
    surname everywhere in an article (the person's own mention is blocked all the same)."""
    return any(
        c.tier < 2 and c.kind in ("country", "continent")
        for c in gazetteer.lookup(name, fuzzy=False)
    )


def _big_city(name: str, gazetteer: Gazetteer) -> bool:
    """A city of 100,000 or more by exactly this name (not a county such as Kerry)."""
    return any(
        c.tier < 2 and c.kind == "city" and c.population >= 100_000
        for c in gazetteer.lookup(name, fuzzy=False)
    )


def _well_known(name: str, gazetteer: Gazetteer) -> bool:
    """A country, province or city of 100,000 or more by exactly this name."""
    return any(c.tier < 2 and _strong(c, "en") for c in gazetteer.lookup(name, fuzzy=False))


def _exact_place(surface: str, gazetteer: Gazetteer) -> bool:
    """The words are a gazetteer name as written (not a skeleton match)."""
    return any(c.tier < 2 for c in gazetteer.lookup(surface, fuzzy=False))


def _spacy_mentions(
    text: str, language: str, gazetteer: Gazetteer, entities: list[Entity], lowered: set[str]
) -> tuple[list[Mention], list[tuple[int, int]], set[str]]:
    """spaCy's places, and the spans its other entities hold (the matcher keeps off them).

    spaCy often tags a Syrian town as a person, organisation or product ("in Manbij"
    PRODUCT, "in Tafas" ORG): a name the gazetteer knows exactly wins over such a label
    where the text says it is a place ("in", "near", "the town of"), and a place right
    after such a place and a comma ("in Tafas, Daraa") follows it. One sense per article
    for people's names, but never for words the gazetteer knows as a place.
    """
    full_names = _full_names(text, language, gazetteer, entities)
    persons = _surnames(full_names, entities, gazetteer)
    mentions: list[Mention] = []
    blocked: list[tuple[int, int]] = []
    ordinary = _not_names_here(full_names, lowered)
    for ent in entities:
        start, surface = _without_lead(ent.start, ent.mention, language)
        end, label = ent.end, ent.model_label
        if surface.endswith("'s") or surface.endswith("’s"):
            end, surface = end - 2, surface[:-2]
        if fold(surface) in _shared().never or (label in {"GPE", "LOC"} and surface in persons):
            # "Nato" tagged GPE is no town in the Philippines; "Ripley" tagged GPE after
            # "Darren Ripley" is the coach
            blocked.append((start, end))
            continue
        longer = _cut_short(text, start, end, gazetteer) if label in {"GPE", "LOC"} else None
        if longer is not None:
            mentions.append(longer)
        elif label in {"GPE", "LOC"} and not gazetteer.has(surface):
            inner = _inner_place(text, start, end, language, gazetteer, need_cue=False)
            mentions.append(inner or Mention(start, end, surface))  # "Raqqa central sports"
        elif label in {"GPE", "LOC"} or (label == "FAC" and gazetteer.has(surface)):
            mentions.append(Mention(start, end, surface))
        elif label == "NORP" and gazetteer.adjective(surface) is not None:
            mentions.append(Mention(start, end, surface, adjective=True))
        elif label in {"ORG", "PERSON", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "FAC"}:
            before = text[max(0, start - 40) : start].split()
            after_place = bool(mentions) and re.fullmatch(r",\s*", text[mentions[-1].end : start])
            after = text[end : end + 30].split()
            cued = _place_cue(before) or after_place or _war_cue(before, after, language)
            inner = _inner_place(text, start, end, language, gazetteer, need_cue=True)
            if label == "PERSON" and _speaker(surface, before, after, language, gazetteer):
                persons.add(surface)  # "Bali tweeted": a spokesman, not the province
            elif cued and surface not in persons and _exact_place(surface, gazetteer):
                mentions.append(Mention(start, end, surface))
            elif listed := _listed_places(text, start, end, gazetteer, ordinary):
                mentions += listed  # "Aleppo" PERSON, "Syrias Aleppo", "Aleppo Hama Damascus"
            elif local := _local_place(text, start, end, gazetteer, ordinary):
                mentions += local  # "Aleppo Police Command"
            elif inner is not None:  # "Isis in Raqqa" ORG, "Baghuz, Isis’s" ORG
                mentions.append(inner)
            elif label == "PERSON":
                # "Mehmet Aksoy": beside a first name a small town's name is a surname; a
                # lone "Baghuz" tagged PERSON, or "Aleppo" in a mis-tagged "Tags Aleppo",
                # stays a possible place
                words = [w.strip(".,").split("-")[-1] for w in surface.split()]
                persons.update(
                    w
                    for w in words
                    if not _exact_place(w, gazetteer)
                    or (len(words) > 1 and not _well_known(w, gazetteer))
                )
        else:
            continue
        blocked.append((start, end))
    for match in re.finditer(r"[A-Z][\w'’-]+", text):  # one sense per article for names
        if match.group() in persons:
            blocked.append(match.span())
    return mentions, blocked, persons


def _full_names(
    text: str, language: str, gazetteer: Gazetteer, entities: list[Entity]
) -> list[list[str]]:
    """The words of every person's name of two words or more spaCy found, but not a
    "person" that is only places ("Syrias Aleppo", "Tags Aleppo") or a war word and a
    place ("Inside Baghouz")."""
    names: list[list[str]] = []
    for ent in entities:
        start, surface = _without_lead(ent.start, ent.mention, language)
        if ent.model_label != "PERSON" or " " not in surface:
            continue
        if not _listed_places(text, start, ent.end, gazetteer, set()):
            names.append([word.strip(".,") for word in surface.split()])
    return names


def _surnames(
    full_names: list[list[str]], entities: list[Entity], gazetteer: Gazetteer
) -> set[str]:
    """The surnames of the people an article names in full (`_full_names`), where the
    article never calls the same word a well-known place: "a response from Bolton" after
    "John Bolton" is the man, not the English town, "a meeting between Kerry and Lavrov"
    no Irish county, and "coach Ripley" after "Darren Ripley" the coach even where spaCy
    tags the bare surname a place (Ripley is a town of 20,000). A country, a curated place
    or a city of a million stays a place ("Jordan Henderson")."""
    places = {ent.mention for ent in entities if ent.model_label in {"GPE", "LOC"}}
    return {
        words[-1]
        for words in full_names
        if words[-1][:1].isupper()
        and (words[-1] not in places or not _well_known(words[-1], gazetteer))
        and not _unmistakable(words[-1], gazetteer)
    }


def _speaker(
    surface: str, before: list[str], after: list[str], language: str, gazetteer: Gazetteer
) -> bool:
    """A single name spaCy calls a person that speaks and opens its clause ("“…,” Bali
    tweeted", "When Bolton said"): a person, unless the name is a country's (countries
    speak too: "Turkey said"). Not after a lower-case word: "activists from Aleppo told",
    "activists in rural Aleppo said" are the town's ("… continuing,” Bali said" opens its
    clause after the quote)."""
    following = after[0].lower().strip(",.;:") if after else ""
    return (
        " " not in surface
        and following in _own(language).speaker_after
        and not (before and before[-1][:1].islower() and before[-1][-1:].isalpha())
        and not _prominent(surface, gazetteer)
    )


def _not_names_here(full_names: list[list[str]], lowered: set[str]) -> set[str]:
    """Words that in this article are not a place's name whatever spaCy's other labels
    say: every word of a person's name of two words or more (`_full_names`: "Jordan" of
    "Jordan Henderson"), and words also written in lower case ("Central" beside
    "central")."""
    people = {word for words in full_names for word in words}
    return people | {word.capitalize() for word in lowered}


_POSSESSIVE = re.compile(r"(.+?)(?:['’]s|s)")


def _listed_places(
    text: str, start: int, end: int, gazetteer: Gazetteer, ordinary: set[str]
) -> list[Mention]:
    """A span spaCy labelled otherwise that is nothing but places, most of them
    unmistakable (`_unmistakable`), the rest well known: "Aleppo" tagged PERSON, "Idlib"
    ORG, or a list whose commas a scraper dropped ("Aleppo Homs Hama", "Aleppo and Deir
    Ezzor Hasakeh", "the Aleppo-Raqa border"); "Jordan Henderson" is one sure place and a
    mid-sized city, a person. A country's possessive written without its apostrophe ("Syrias
    Aleppo") counts as the country; function words, numbers, days and months between or
    around them are the scraped headline's ("Aleppo Saturday", "Aleppo Two people"). Any
    other word in the span, or an `ordinary` word (`_not_names_here`), leaves the span
    alone ("Aleppo Police Command", "Henderson" of "Jordan Henderson", "Lincoln")."""
    stop = _stop_words()
    words = [
        (m.start() + start, m.end() + start)
        for m in re.finditer(r"[^\s,]+", text[start:end])
        if not (fold(m.group()) in stop or m.group().isdigit())
    ]
    found: list[Mention] = []
    unsure = 0
    index = 0
    while index < len(words):
        for size in range(len(words) - index, 0, -1):
            a, b = words[index][0], words[index + size - 1][1]
            if size > 1 and any(
                words[i][1] + 1 != words[i + 1][0] for i in range(index, index + size - 1)
            ):
                continue  # "Aleppo and Deir Ezzor" is two places
            place = _place_words(text[a:b], a, gazetteer, ordinary)
            if place is not None:
                found += place[0]
                unsure += not place[1]
                index += size
                break
        else:
            return []
    return found if found and unsure <= (len(found) - 1) // 2 else []


def _local_place(
    text: str, start: int, end: int, gazetteer: Gazetteer, ordinary: set[str]
) -> list[Mention]:
    """The place at the head of a town's or a state's institution that spaCy tagged whole:
    "Aleppo Police Command", "the Idlib Media Center", "the Texas Department of State
    Health Services" (the words after the place are `local_after` or `institution_after`
    in `places.json`)."""
    words = [m.end() + start for m in re.finditer(r"\S+", text[start:end])]
    for stop in reversed(words[:-1]):
        place = _place_words(text[start:stop], start, gazetteer, ordinary)
        if place is not None and seat_of_institution(text, stop):
            return place[0]
    return []


def _place_words(
    surface: str, start: int, gazetteer: Gazetteer, ordinary: set[str]
) -> tuple[list[Mention], bool] | None:
    """The mentions some words make when they are a well-known place as written, a
    country's possessive without its apostrophe, or well-known places joined by hyphens;
    and whether one of them is unmistakable. None when they are not."""
    surface = re.sub(r"['’]s$", "", surface)
    bare = re.sub(rf"^{_ARTICLE}", "", surface)  # "al-Hawl"
    if surface in ordinary or not bare[:1].isupper() or surface.isupper():
        return None  # "EU", "SRT": acronyms name organisations as often as places
    sure = _unmistakable(surface, gazetteer)
    if sure or _well_known(surface, gazetteer):
        return [Mention(start, start + len(surface), surface)], sure
    possessive = _POSSESSIVE.fullmatch(surface)
    if possessive and _prominent(possessive.group(1), gazetteer):
        return [Mention(start, start + len(surface), surface, False, possessive.group(1))], True
    parts = surface.split("-")
    if len(parts) > 1 and all(
        _unmistakable(part, gazetteer) or _well_known(part, gazetteer) for part in parts
    ):
        offsets = [start + sum(len(p) + 1 for p in parts[:i]) for i in range(len(parts))]
        mentions = [Mention(o, o + len(p), p) for o, p in zip(offsets, parts, strict=True)]
        return mentions, any(_unmistakable(part, gazetteer) for part in parts)
    return None


def _unmistakable(name: str, gazetteer: Gazetteer) -> bool:
    """A place that spaCy's other labels cannot outvote: as written, a country, a curated
    place of the wars (not a curated region: "European Union"), a province of a quarter
    million, or by its own name a city of a million. Smaller places are too often a
    company or a surname ("Toyota", "Lincoln", "Kerry"), alternate names too often another
    word ("White House" for Casablanca, "Hamas" for Hamm)."""
    for c in gazetteer.lookup(name, fuzzy=False):
        if c.tier:
            continue
        if c.kind in ("country", "continent") or (c.geonames_id is None and c.kind != "region"):
            return True
        if (c.kind == "admin1" and c.population >= 250_000) or (
            c.primary and c.kind == "city" and c.population >= 1_000_000
        ):
            return name.lower() not in _shared().directional  # "West", Cameroon
    return False


def _without_lead(start: int, surface: str, language: str) -> tuple[int, str]:
    """Where an entity's name starts, and the name, without an article spaCy took into it
    ("the Idlib offensive") or a war word before it ("Inside Baghouz" tagged as one PERSON)."""
    own = _own(language)
    for article in own.entity_articles:
        if surface.lower().startswith(article + " "):
            start, surface = start + len(article) + 1, surface[len(article) + 1 :]
            break
    first, _, rest = surface.partition(" ")
    if rest and first.lower() in own.taken_from:
        start, surface = start + len(first) + 1, rest
    return start, surface


_NEXT_WORDS = re.compile(r"(?:[ -][\w’'ʿ]+){1,3}")


def _cut_short(text: str, start: int, end: int, gazetteer: Gazetteer) -> Mention | None:
    """A place spaCy cut short: "Tal" of "Tal Afar", "Guinea" of "Guinea-Bissau" (else the
    matcher reads "Afar" alone, a region of Ethiopia), "United Kingdom of Great Britain" of
    the country's full name (else "and Northern Ireland" is read as the province). The span
    with the next one to three words is taken when it ends in a capitalised word and is, as
    written, a name the gazetteer knows ("Jiangsu province" stays "Jiangsu", "US Energy"
    stays "US")."""
    following = _NEXT_WORDS.match(text, end)
    if following is None:
        return None
    words = re.findall(r"[ -][\w’'ʿ]+", following.group())
    for count in range(len(words), 0, -1):
        stop = end + sum(len(word) for word in words[:count])
        last = words[count - 1][1:]
        if last[:1].isupper() and _written_place(text[start:stop], gazetteer):
            return Mention(start, stop, text[start:stop])
    return None


def _written_place(surface: str, gazetteer: Gazetteer) -> bool:
    """The words are a gazetteer name exactly as written (no article stripped)."""
    return any(c.tier == 0 for c in gazetteer.lookup(surface, fuzzy=False))


def _inner_place(
    text: str, start: int, end: int, language: str, gazetteer: Gazetteer, need_cue: bool
) -> Mention | None:
    """A place at the start or end of a longer entity span that spaCy drew too wide:
    "Isis in Raqqa", "Manbij The Foreign Office", "Qamishli Hasaka". The part must be a
    name the gazetteer knows exactly and, where `need_cue`, follow a place cue."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    parts = [(0, j) for j in range(len(words) - 1, 0, -1)]
    parts += [(i, len(words)) for i in range(1, len(words))]
    starts = {article.capitalize() for article in _own(language).entity_articles}  # "The"
    for i, j in parts:
        a, b = words[i][0], words[j - 1][1]
        surface = re.sub(r"(['’]s)?[,.;:]*$", "", text[a:b])
        b = a + len(surface)
        if len(surface) < 4 or not surface[0].isupper() or not _exact_place(surface, gazetteer):
            continue
        before = text[max(0, a - 40) : a].split()
        rest = [text[x:y] for x, y in words[:i] + words[j:]]
        if not need_cue and all(_no_name_part(word) for word in rest):
            return Mention(a, b, surface)
        # the span runs on past a comma or into the next words: "Baghuz, Isis’s",
        # "Isis in Raqqa", "Manbij The Foreign Office"; not "North Street"
        left = text[words[i - 1][0] : words[i - 1][1]] if i > 0 else None
        right = text[words[j][0] : words[j][1]] if j < len(words) else None
        seam = (left is None or _no_name_part(left)) and (
            right is None
            or text[b : words[j][0]].strip()
            or right in starts
            or _no_name_part(right)
        )
        cued = _place_cue(before) or _war_cue(before, text[b : b + 30].split(), language)
        if need_cue and seam and cued:
            return Mention(a, b, surface)
    return None


def _no_name_part(word: str) -> bool:
    """A word beside a place that cannot be part of its name: lower case ("Raqqa central
    sports") or an acronym ("Hassakeh ISIS"); "North Texas" and "Memphis St." stay whole."""
    bare = word.strip(",.;:")
    return bare[:1].islower() or (len(bare) > 1 and bare.isupper())


def recognize(
    text: str,
    language: str,
    gazetteer: Gazetteer,
    use_ner: bool = True,
    entities: list[Entity] | None = None,
) -> list[Mention]:
    """Place mentions (and demonym mentions, `adjective=True`) in text order.

    `entities` are the NER's (the record's, from the entities stage); without them and
    with `use_ner` the model runs here (evaluations that give a bare text)."""
    if use_ner and entities is None:
        entities = ner.find(text, language)
    entities = entities or []
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    known: set[str | None] = set()
    persons: set[str] = set()
    # words also written in lower case are common words; German capitalises every noun
    lowered = set(re.findall(r"\b[a-zäöüß]{3,}\b", text)) if language == "en" else set()
    if language == "en" and use_ner:
        mentions, taken, persons = _spacy_mentions(text, language, gazetteer, entities, lowered)
        for mention in mentions:
            candidates = gazetteer.lookup(mention.text, fuzzy=False)
            if candidates and _strong(_best(candidates), language):
                known.add(_best(candidates).country)
    elif language == "de" and use_ner:
        taken, persons = _german_people(text, gazetteer, entities)
    mentions += _capital_datelines(text, gazetteer)
    mentions += _gazetteer_mentions(text, language, gazetteer, taken, lowered, known)
    mentions = [m for m in mentions if not _named_otherwise(text, m, language, gazetteer)]
    mentions += _same_name_again(text, mentions, taken, gazetteer, persons)
    mentions = _without_diseases(text, mentions, language)
    mentions = [m for m in mentions if not _titled(text, m, language)]
    mentions.sort(key=lambda m: (m.start, -m.end))
    out: list[Mention] = []
    for mention in mentions:
        if mention.end > mention.start and (not out or mention.start >= out[-1].end):
            out.append(mention)
    return out


_NEXT_WORD = re.compile(r"[”’\"']?\s+(\w+)")  # "the “Minsk agreement”" too
_LINKED_NAME = re.compile(r"\s+(\w+)\s+(?:(?:a|an|the)\s+)?[A-Z]")


def _named_otherwise(text: str, mention: Mention, language: str, gazetteer: Gazetteer) -> bool:
    """A place's name in words that name something else: a treaty or an alliance ("the
    Minsk agreement", "the Atlantic alliance"; `name_of_after`), an organisation whose name
    runs on after a determiner ("the Centre for a New American Security";
    `organisation_links`, never after a country), or a state's dotted abbreviation written
    without its dot ("Ill" of "I’ll" with the apostrophe lost)."""
    own = _own(language)
    dotted = mention.text.endswith(".") or text.startswith(".", mention.end)
    if fold(mention.text) in dotted_abbreviations() and not dotted:
        return True
    following = _NEXT_WORD.match(text, mention.end)
    if following and following.group(1).lower() in own.name_of_after:
        return True
    linked = _LINKED_NAME.match(text, mention.end)
    if not linked or linked.group(1) not in own.organisation_links:
        return False
    before = text[max(0, mention.start - 20) : mention.start].split()
    if not before or before[-1].lower() not in own.determiners:
        return False
    return not any(c.kind == "country" for c in gazetteer.lookup(mention.lookup_name, fuzzy=False))


_PREVIOUS_WORD = re.compile(r"(\w+)\.?\s+$")


def _titled(text: str, mention: Mention, language: str) -> bool:
    """A title stands right before the name ("President Obama", "coach Ripley",
    `titles_before`): a person's name, not a place."""
    before = _PREVIOUS_WORD.search(text, max(0, mention.start - 30), mention.start)
    return bool(before) and before.group(1).lower() in _own(language).titles_before


def _without_diseases(text: str, mentions: list[Mention], language: str) -> list[Mention]:
    """The mentions that are places, not diseases named after one: a name the article
    writes before a disease word ("West Nile virus", `disease_after`) is the disease there
    and wherever it stands alone, unless a locative word comes before it ("cases in
    Marburg")."""
    own = _own(language)
    diseases: set[str] = set()
    for mention in mentions:
        following = _NEXT_WORD.match(text, mention.end)
        if following and following.group(1).lower() in own.disease_after:
            diseases.add(mention.text)
    if not diseases:
        return mentions
    kept: list[Mention] = []
    for mention in mentions:
        if mention.text in diseases:
            following = _NEXT_WORD.match(text, mention.end)
            before = text[max(0, mention.start - 20) : mention.start].split()
            named = bool(following) and following.group(1).lower() in own.disease_after
            if named or not before or before[-1].lower() not in own.locative:
                continue
        kept.append(mention)
    return kept


def _capital_datelines(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """A dateline's town written in capitals ("BEIRUT (Reuters) -"), looked up as a name
    ("Beirut") and kept when it is a well-known place. It stands whatever the NER made of
    the capitals (often an organisation)."""
    found: list[Mention] = []
    for match in _CAPITAL_DATELINE.finditer(text):
        start, end = match.span("town")
        name = string.capwords(match.group("town"))
        if _well_known(name, gazetteer):
            found.append(Mention(start, end, match.group("town"), False, name))
    return found


def _town_only(name: str, gazetteer: Gazetteer) -> bool:
    """The gazetteer knows the name only as towns or sites, not as a state or province
    ("Manbij", not "Washington" or "Georgia", which news also uses for governments)."""
    candidates = [c for c in gazetteer.lookup(name, fuzzy=False) if c.tier < 2]
    return bool(candidates) and all(c.kind not in _STRONG_KINDS for c in candidates)


def _same_name_again(
    text: str,
    mentions: list[Mention],
    taken: list[tuple[int, int]],
    gazetteer: Gazetteer,
    persons: set[str],
) -> list[Mention]:
    """One sense per article for places too: a name taken as a place once is a place
    wherever else it stands on its own ("an assault on Manbij" after "the town of
    Manbij"), even where NER gave those very words another label if the name is only a
    town's, but never inside a longer name."""
    found = [m for m in mentions if not m.adjective]
    spans = _Spans([(m.start, m.end) for m in mentions])
    blocked = _Spans(taken)
    names = {
        m.text: m
        for m in found
        if len(m.text) >= 4 and m.text[0].isupper() and m.text not in persons
    }
    extra: list[Mention] = []
    for surface, mention in names.items():
        for match in re.finditer(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", text):
            start, end = match.span()
            if spans.overlapping(start, end):
                continue
            held = blocked.overlapping(start, end)
            if held and (held != [(start, end)] or not _town_only(surface, gazetteer)):
                continue  # part of a longer name ("Manbij Military Council"), or a state
            extra.append(Mention(start, end, surface, False, mention.name))
            spans.add(start, end)
    return extra
