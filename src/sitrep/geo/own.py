"""The analyst's own places: a TSV that fills a gap in the gazetteer in a minute.

A conflict analyst knows villages, camps, checkpoints and frontline names no gazetteer
has, and sometimes knows better than it ("Tal Tamr" is the Syrian town, never the one the
index ranks first). Each row of the file names a place, its spellings, its point, its
country, admin1 area and kind:

    name        aliases                    lat     lon     country admin1   kind
    Tal Baydar  Tall Baydar|Tel Beydar     36.64   40.83   SY      Al-Hasakah village

Columns are found by the header (`population` and `note` are optional, extra columns are
ignored); '#' lines are comments. A name or alias in the file **takes precedence**: every
spelling it lists resolves to the analyst's row and nothing else, exact or loosely spelt,
in every language. The file is `$SITREP_PLACES`, else `~/.config/sitrep/places.tsv`
(`sitrep gazetteer add` writes there); a bad row is an error that names its line, since a
silently skipped fix is the worst kind.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from sitrep.errors import Code, InputError
from sitrep.geo.index import KIND_CODE, Gazetteer
from sitrep.geo.normalize import fold, is_latin_key, skeleton, strip_articles

__all__ = [
    "COLUMNS",
    "OwnPlace",
    "add_place",
    "parse_place",
    "places_file",
    "read_places",
    "with_places",
]

COLUMNS = ("name", "aliases", "lat", "lon", "country", "admin1", "kind", "population", "note")
_REQUIRED = ("name", "lat", "lon", "kind")
_FIRST_ID = -1_000_000  # row ids below the curated rows' (-1, -2, …): no GeoNames id


@dataclass(frozen=True)
class OwnPlace:
    """One row of the analyst's file."""

    name: str
    lat: float
    lon: float
    kind: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    admin1: str | None = None
    population: int = 0
    note: str = ""

    def spellings(self) -> list[str]:
        return [self.name, *self.aliases]


def places_file() -> Path:
    """`$SITREP_PLACES`, else `places.tsv` in Sitrep's configuration folder."""
    chosen = os.environ.get("SITREP_PLACES")
    if chosen:
        return Path(chosen)
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "sitrep" / "places.tsv"


def parse_place(cells: dict[str, str], where: str) -> OwnPlace:
    """One place from its cells by column name; an `InputError` that says `where` for a
    bad one."""
    missing = [column for column in _REQUIRED if not cells.get(column, "").strip()]
    if missing:
        raise InputError(Code.BAD_RECORD, f"{where}: no {', '.join(missing)}")
    try:
        lat, lon = float(cells["lat"]), float(cells["lon"])
        population = int(cells.get("population") or 0)
    except ValueError as exc:
        raise InputError(Code.BAD_RECORD, f"{where}: {exc}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(Code.BAD_RECORD, f"{where}: no point at lat {lat}, lon {lon}")
    kind = cells["kind"].strip().lower()
    if kind not in KIND_CODE:
        raise InputError(
            Code.BAD_RECORD, f"{where}: kind {kind!r} is not one of {', '.join(KIND_CODE)}"
        )
    country = cells.get("country", "").strip().upper() or None
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise InputError(Code.BAD_RECORD, f"{where}: country must be a two-letter ISO code")
    return OwnPlace(
        name=cells["name"].strip(),
        lat=lat,
        lon=lon,
        kind=kind,
        aliases=tuple(a.strip() for a in cells.get("aliases", "").split("|") if a.strip()),
        country=country,
        admin1=cells.get("admin1", "").strip() or None,
        population=population,
        note=cells.get("note", "").strip(),
    )


def read_places(path: Path) -> list[OwnPlace]:
    """The rows of an analyst's places file; an `InputError` naming the line for a bad one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Code.UNREADABLE, f"{path}: {exc}") from None
    lines = [
        (number, line.rstrip("\n\r"))
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        return []
    header = [cell.strip().lower() for cell in lines[0][1].split("\t")]
    absent = [column for column in _REQUIRED if column not in header]
    if absent:
        raise InputError(
            Code.MISSING_COLUMN,
            f"{path}: the header lacks {', '.join(absent)} "
            f"(columns: {', '.join(COLUMNS)}, tab-separated)",
        )
    return [
        parse_place(dict(zip(header, line.split("\t"), strict=False)), f"{path}, line {number}")
        for number, line in lines[1:]
    ]


def add_place(path: Path, place: OwnPlace) -> None:
    """Append a row to the analyst's file, writing the header when the file is new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists() or not path.read_text(encoding="utf-8").strip()
    cells = [
        place.name,
        "|".join(place.aliases),
        f"{place.lat:.5f}",
        f"{place.lon:.5f}",
        place.country or "",
        place.admin1 or "",
        place.kind,
        str(place.population),
        place.note,
    ]
    with path.open("a", encoding="utf-8") as handle:
        if new:
            handle.write("\t".join(COLUMNS) + "\n")
        handle.write("\t".join(cell.replace("\t", " ") for cell in cells) + "\n")


def _keys(names: Iterable[str]) -> tuple[set[str], set[str]]:
    """The exact and article-stripped keys, and the skeletons, of some spellings."""
    exact: set[str] = set()
    shapes: set[str] = set()
    for name in names:
        key = fold(name)
        if not key or not is_latin_key(key):
            continue
        exact |= {key, strip_articles(key)}
        if skeleton(key):
            shapes.add(skeleton(key))
    return exact, shapes


def with_places(gazetteer: Gazetteer, places: list[OwnPlace]) -> Gazetteer:
    """The gazetteer with the analyst's rows appended; each spelling they list (exact,
    without its article, or by consonant skeleton) now leads to their rows only."""
    if not places:
        return gazetteer
    strings, string_ids = list(gazetteer.strings), {s: i for i, s in enumerate(gazetteer.strings)}
    countries = list(gazetteer.countries)

    def string(text: str | None) -> int:
        if not text:
            return -1
        if text not in string_ids:
            string_ids[text] = len(strings)
            strings.append(text)
        return string_ids[text]

    def country(code: str | None) -> int:
        if not code:
            return -1
        if code not in countries:
            countries.append(code)
        return countries.index(code)

    first = len(gazetteer)
    postings: list[int] = []  # appended after the gazetteer's own
    names, skeletons = dict(gazetteer.names), dict(gazetteer.skeletons)
    by_key: dict[str, list[int]] = {}
    by_shape: dict[str, list[int]] = {}
    for offset, place in enumerate(places):
        exact, shapes = _keys(place.spellings())
        for key in exact:
            by_key.setdefault(key, []).append((first + offset) * 2 + 1)
        for shape in shapes:
            by_shape.setdefault(shape, []).append((first + offset) * 2 + 1)
    for table, found in ((names, by_key), (skeletons, by_shape)):
        for key, rows in found.items():
            table[key] = (len(gazetteer.postings) + len(postings)) * 64 + len(rows[:63])
            postings.extend(rows[:63])
    return replace(
        gazetteer,
        gid=np.concatenate(
            [gazetteer.gid, np.arange(_FIRST_ID, _FIRST_ID - len(places), -1, dtype=np.int64)]
        ),
        lat=np.concatenate([gazetteer.lat, np.asarray([p.lat for p in places], np.float32)]),
        lon=np.concatenate([gazetteer.lon, np.asarray([p.lon for p in places], np.float32)]),
        pop=np.concatenate([gazetteer.pop, np.asarray([p.population for p in places], np.int64)]),
        kind=np.concatenate(
            [gazetteer.kind, np.asarray([KIND_CODE[p.kind] for p in places], np.uint8)]
        ),
        country=np.concatenate(
            [gazetteer.country, np.asarray([country(p.country) for p in places], np.int16)]
        ),
        admin1=np.concatenate(
            [gazetteer.admin1, np.asarray([string(p.admin1) for p in places], np.int32)]
        ),
        name=np.concatenate(
            [gazetteer.name, np.asarray([string(p.name) for p in places], np.int32)]
        ),
        countries=countries,
        strings=strings,
        postings=np.concatenate([gazetteer.postings, np.asarray(postings, dtype=np.int32)]),
        names=names,
        skeletons=skeletons,
        sources=[*gazetteer.sources, "the analyst's own places"],
        memo={},
    )
