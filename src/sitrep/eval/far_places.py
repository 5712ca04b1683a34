"""Far places: how often a place resolved far from where an article is set is wrong.

A wrong far-away place is worse than none: it moves the event to another continent and
renames its actors ("Protesters (Pakistan)" for a protest in southern Iraq). The yardstick
reads the same conflict articles as the conflict-places check (those naming a town of
`eval/conflict_places.tsv` in the Guardian corpus, FA-KES's dev half and 10kGNAD), sets
each article in its most often resolved country and any other with a fifth of its places,
and lists every place other than a country or continent resolved more than 2,500 km from
all of them (Moscow is about 2,400 km from Damascus, Paris 3,200).

`sample` draws a fixed random sample of those for hand-checking; `score` reads the
hand-checked sample (`eval/far_places.tsv`: where each place was, what it resolved to,
and the verdict) and reports the share wrong among the items Sitrep still resolves the
same way, with the items it now resolves differently counted apart (they need a new
look). The checked file holds offsets and names only, never the articles' text.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sitrep.eval import conflict, corpora
from sitrep.geo import find_places, load
from sitrep.geo.build import country_point_table
from sitrep.geo.resolve import FAR_KM, great_circle_km, home_countries
from sitrep.models import Place

__all__ = ["FAR_KM", "FarPlace", "far_places", "sample", "score"]

VERDICTS = ("right", "wrong")
_CONTEXT = 160
# countries and continents are named as such and almost never wrong; the sample is of
# the places where the mistakes are (towns, provinces, sites, regions)
_OBVIOUS = frozenset({"country", "continent"})
_COLUMNS = ["doc", "start", "end", "mention", "resolved", "country", "km", "verdict", "note"]


@dataclass(frozen=True)
class FarPlace:
    """One place resolved far from its article's country."""

    doc: str
    place: Place
    home: str
    km: float
    context: str

    @property
    def key(self) -> tuple[str, int, int]:
        return self.doc, self.place.start, self.place.end


def far_places(
    towns_list: Path,
    data: Path = corpora.DEFAULT_DATA,
    names: tuple[str, ...] = conflict.CORPORA,
) -> Iterator[FarPlace]:
    """Every place in the conflict articles (those naming a town of `towns_list`) resolved
    more than `FAR_KM` from home."""
    towns = conflict.read_list(towns_list)
    points = country_point_table()
    gazetteer = load()
    for _corpus, article, _hits in conflict.naming_articles(towns, data, names):
        places = find_places(article.text, article.language, gazetteer)
        # the share rule the resolver uses, over every resolved place of the article
        resolved = (p.country for p in places if p.lat is not None)
        homes = [c for c in home_countries(resolved) if c in points]
        if not homes:
            continue
        for place in places:
            if place.lat is None or place.lon is None or place.kind in _OBVIOUS:
                continue
            km = min(great_circle_km(*points[c], place.lat, place.lon) for c in homes)
            if km > FAR_KM:
                a, b = max(0, place.start - _CONTEXT), place.end + _CONTEXT
                context = article.text[a:b].replace("\n", " ")
                yield FarPlace(article.ref, place, "|".join(homes), round(km), context)


def sample(
    towns_list: Path,
    size: int,
    seed: int = 0,
    data: Path = corpora.DEFAULT_DATA,
    names: tuple[str, ...] = conflict.CORPORA,
) -> list[dict]:
    """A fixed random sample of far places, with their context, for hand-checking."""
    found = list(far_places(towns_list, data, names))
    chosen = random.Random(seed).sample(found, min(size, len(found)))
    return [
        {
            "doc": far.doc,
            "start": far.place.start,
            "end": far.place.end,
            "mention": far.place.mention,
            "resolved": far.place.name,
            "country": far.place.country,
            "kind": far.place.kind,
            "home": far.home,
            "km": far.km,
            "context": far.context,
        }
        for far in sorted(chosen, key=lambda f: (f.doc, f.place.start))
    ]


def read_checked(path: Path) -> list[dict[str, str]]:
    """The hand-checked sample (TSV with the `_COLUMNS` header; '#' lines are notes)."""
    lines = [
        line.split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    if lines[0][: len(_COLUMNS)] != _COLUMNS:
        raise ValueError(f"{path}: expected the columns {', '.join(_COLUMNS)}")
    rows = [dict(zip(_COLUMNS, cells, strict=False)) for cells in lines[1:]]
    for row in rows:
        if row["verdict"] not in VERDICTS:
            raise ValueError(f"{path}: verdict must be one of {VERDICTS}: {row}")
    return rows


def score(
    checked: Path,
    towns_list: Path,
    data: Path = corpora.DEFAULT_DATA,
    names: tuple[str, ...] = conflict.CORPORA,
) -> dict[str, object]:
    """Far places now, and the share wrong in the hand-checked sample."""
    now = {far.key: far for far in far_places(towns_list, data, names)}
    rows = read_checked(checked)
    same: Counter[str] = Counter()
    changed = 0
    for row in rows:
        far = now.get((row["doc"], int(row["start"]), int(row["end"])))
        if far is None or (far.place.name, far.place.country or "") != (
            row["resolved"],
            row["country"],
        ):
            changed += 1  # no longer far, or resolved elsewhere: needs a new look
            continue
        same[row["verdict"]] += 1
    checked_now = sum(same.values())
    by_corpus = Counter(doc.split(":")[0] for doc, _s, _e in now)
    return {
        "far_km": FAR_KM,
        "far_places": len(now),
        "by_corpus": dict(sorted(by_corpus.items())),
        "checked": len(rows),
        "checked_unchanged": checked_now,
        "changed_since_checked": changed,
        "wrong": same["wrong"],
        "wrong_share": round(same["wrong"] / checked_now, 4) if checked_now else None,
    }
