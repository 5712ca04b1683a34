"""Building a gazetteer index from GeoNames dump files (`sitrep gazetteer install`).

Kept apart from the read path: only `sitrep.geo.gazetteer.install` imports it, so reading
articles never loads a downloader. Sources are paths or URLs of what GeoNames publishes.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.request
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from sitrep.geo.build import (
    EXTRA_COUNTRY_NAMES,
    Builder,
    add_extras,
    babel_names,
    country_point_table,
)
from sitrep.geo.index import Gazetteer

__all__ = ["build_geonames"]


_KIND_BY_CODE = {
    "CONT": "continent",
    "RGN": "region",
    "ADM1": "admin1",
    "ADM2": "admin2",
    "STM": "river",
    "DSRT": "desert",
    "CMP": "camp",
    "CMPRF": "camp",
    "AIRB": "base",
    "MILB": "base",
}


def _kind(fclass: str, fcode: str) -> str | None:
    if fcode.startswith("PCL"):
        return "country"
    if fcode in _KIND_BY_CODE:
        return _KIND_BY_CODE[fcode]
    if fclass == "P":
        return "city"
    if fclass in {"A", "L", "T", "H", "S"}:
        return "landmark" if fclass in {"S", "T", "H"} else "region"
    return None


def _open_text(source: str) -> Iterator[tuple[str, Iterator[str]]]:
    """(member name, lines) for a path or URL to a .txt or .zip GeoNames file."""
    if re.match(r"^[a-z]+://", source):
        with urllib.request.urlopen(source) as response:
            payload = response.read()
        name = source.rsplit("/", 1)[-1]
    else:
        payload = Path(source).read_bytes()
        name = Path(source).name
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            for member in archive.namelist():
                if member.endswith(".txt") and not member.lower().startswith("readme"):
                    text = archive.read(member).decode("utf-8")
                    yield member, iter(text.splitlines())
    else:
        yield name, iter(payload.decode("utf-8").splitlines())


def build_geonames(sources: list[str]) -> Gazetteer:
    """An index from GeoNames dump files (see `gazetteer.install`)."""
    places: list[list[str]] = []
    alternates: dict[str, list[str]] = defaultdict(list)
    admin1: dict[str, str] = {}
    for source in sources:
        for member, lines in _open_text(source):
            base = Path(member).name
            if base.startswith("alternateNames"):
                for line in lines:
                    cells = line.split("\t")
                    if len(cells) >= 4 and cells[2] not in {
                        "link",
                        "post",
                        "iata",
                        "icao",
                        "faac",
                        "wkdt",
                        "unlc",
                    }:
                        alternates[cells[1]].append(cells[3])
            elif base.startswith("admin1Codes"):
                for line in lines:
                    cells = line.split("\t")
                    if len(cells) >= 2:
                        admin1[cells[0]] = cells[1]
            elif base.startswith(
                ("admin2Codes", "countryInfo", "iso-languagecodes", "featureCodes")
            ):
                continue
            else:
                reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
                places.extend(cells for cells in reader if len(cells) >= 15)
    builder = Builder()
    babel = babel_names()
    points = country_point_table()
    for cells in places:
        kind = _kind(cells[6], cells[7])
        if kind is None:
            continue
        gid, country = cells[0], cells[8] or None
        names = [n for n in cells[3].split(",") if n] + alternates.get(gid, [])
        if cells[2]:
            names.append(cells[2])
        if kind == "country" and country:
            names += sorted(babel.get(country, ())) + EXTRA_COUNTRY_NAMES.get(country, [])
        region = admin1.get(f"{country}.{cells[10]}") if country and cells[10] else None
        builder.add(
            int(gid),
            cells[1],
            float(cells[4]),
            float(cells[5]),
            int(cells[14] or 0),
            kind,
            country,
            cells[1] if kind == "admin1" else region,
            names,
        )
    for code, point in points.items():  # countries the dump left out
        if code not in builder.country_rows:
            builder.add(
                -(100_000 + len(builder.rows)),
                code,
                *point,
                0,
                "country",
                code,
                None,
                sorted(babel.get(code, ())),
            )
    add_extras(builder, points)
    return builder.finish([f"GeoNames dumps (CC-BY 4.0): {', '.join(sources)}", "curated"])
