"""The conflict-places check: are the towns of the war found wherever the corpora name them?

A yardstick for what an analyst notices first: a list of places central to the fighting
(`eval/conflict_places.tsv`: name, point, country and the spellings news use) is searched
in every article of the shared corpora (Guardian, FA-KES dev half, the German 10kGNAD
articles), and each occurrence is looked up among the places the geo stage finds in that
article. An occurrence counts as found when a place mention overlaps it and resolves
within 30 km of the town, or to a province or district of the town's name within 150 km
("Raqqa province"). The rest are split into `missed` (no place mention there), `unresolved`
(a mention with no coordinates) and `wrong` (resolved elsewhere), with the distance.

Only articles that name a listed place are analysed, so the check stays quick; nothing in
it is tuned on: the list is a check list, not a gazetteer source.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sitrep.eval import corpora
from sitrep.geo import find_places, load
from sitrep.geo.resolve import great_circle_km
from sitrep.models import Place

__all__ = ["CORPORA", "ConflictPlace", "check", "naming_articles", "read_list"]

CORPORA = ("guardian", "fakes", "gnad")
TOWN_KM = 30.0
PROVINCE_KM = 150.0


@dataclass(frozen=True)
class ConflictPlace:
    """One listed place: where it is and how it is written."""

    name: str
    lat: float
    lon: float
    country: str
    pattern: re.Pattern[str]


def read_list(path: Path) -> list[ConflictPlace]:
    """The check list (TSV with a header; lines starting with '#' are notes)."""
    rows = [
        line.split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    header, body = rows[0], rows[1:]
    if header[:5] != ["name", "lat", "lon", "country", "spellings"]:
        raise ValueError(f"{path}: expected the columns name, lat, lon, country, spellings")
    return [
        ConflictPlace(
            name, float(lat), float(lon), country, re.compile(rf"(?<!\w)(?:{spellings})(?!\w)")
        )
        for name, lat, lon, country, spellings in (row[:5] for row in body)
    ]


def _verdict(town: ConflictPlace, start: int, end: int, places: list[Place]) -> dict:
    """What the geo stage made of one occurrence."""
    over = [p for p in places if p.start < end and start < p.end]
    if not over:
        return {"outcome": "missed"}
    place = over[0]
    seen = {"surface": place.mention, "resolved": place.name, "kind": place.kind}
    if place.lat is None or place.lon is None:
        return {"outcome": "unresolved", "reason": place.reason, **seen}
    km = round(great_circle_km(town.lat, town.lon, place.lat, place.lon), 1)
    province = place.kind in ("admin1", "admin2") and km <= PROVINCE_KM
    outcome = "found" if km <= TOWN_KM or province else "wrong"
    return {"outcome": outcome, "km": km, "country": place.country, **seen}


def _articles(corpus: str, data: Path) -> list[corpora.SourceArticle]:
    count = len(corpora.rows(data / corpora.FILES[corpus]))
    return [corpora.read(f"{corpus}:{row}", data) for row in range(count)]


Hit = tuple[ConflictPlace, re.Match[str]]


def naming_articles(
    towns: list[ConflictPlace], data: Path, names: tuple[str, ...] = CORPORA
) -> Iterator[tuple[str, corpora.SourceArticle, list[Hit]]]:
    """(corpus, article, occurrences) for every article that names a listed town: the
    conflict articles of the shared corpora."""
    for corpus in names:
        for article in _articles(corpus, data):
            hits = [(t, m) for t in towns for m in t.pattern.finditer(article.text)]
            if hits:
                yield corpus, article, hits


def check(
    list_path: Path,
    data: Path = corpora.DEFAULT_DATA,
    names: tuple[str, ...] = CORPORA,
    details: list[dict] | None = None,
) -> dict[str, object]:
    """Occurrences found within 30 km, overall, per corpus and per place."""
    towns = read_list(list_path)
    gazetteer = load()
    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    per_place: dict[str, Counter[str]] = defaultdict(Counter)
    articles_read = Counter[str]()
    for corpus, article, hits in naming_articles(towns, data, names):
        articles_read[corpus] += 1
        places = find_places(article.text, article.language, gazetteer)
        for town, match in hits:
            verdict = _verdict(town, match.start(), match.end(), places)
            outcomes[corpus][verdict["outcome"]] += 1
            per_place[town.name][verdict["outcome"]] += 1
            if details is not None:
                details.append(
                    {"doc": article.ref, "place": town.name, "text": match.group()}
                    | {"start": match.start(), **verdict}
                )
    total = sum(outcomes.values(), Counter())
    return {
        "list": str(list_path),
        "places": len(towns),
        **_share(total),
        "by_corpus": {
            corpus: {"articles": articles_read[corpus], **_share(outcomes[corpus])}
            for corpus in names
        },
        "by_place": {
            name: _share(per_place[name])
            for name in sorted(per_place, key=lambda n: _share(per_place[n])["found_share"])
        },
    }


def _share(counts: Counter[str]) -> dict:
    n = sum(counts.values())
    return {
        "occurrences": n,
        "found_share": round(counts["found"] / n, 4) if n else 0.0,
        **{key: counts[key] for key in ("found", "missed", "unresolved", "wrong")},
    }
