"""`sitrep gazetteer …`: the gazetteer places are resolved against, and what it lacks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sitrep.cli._common import DEFAULT_DB, DbOption, out, require_db
from sitrep.errors import Code, InputError

__all__ = ["gazetteer_app"]

gazetteer_app = typer.Typer(help="Manage the gazetteer that places are resolved against.")


@gazetteer_app.command("install")
def gazetteer_install(
    sources: Annotated[
        list[str], typer.Argument(help="GeoNames dump files or URLs (allCountries.zip, IQ.zip, …).")
    ],
    target: Annotated[Path | None, typer.Option(help="Where to write the index.")] = None,
) -> None:
    """Build a full-GeoNames gazetteer from dump files; use it with SITREP_GAZETTEER=PATH."""
    from sitrep.geo import gazetteer

    for source in sources:
        if "://" not in source and not Path(source).exists():
            raise InputError(Code.UNREADABLE, f"{source}: no such file")
    path = gazetteer.install(sources, target or gazetteer.cache_dir() / "geonames.pkl")
    out.print(f"gazetteer written to {path}; use it with SITREP_GAZETTEER={path}")


@gazetteer_app.command("add")
def gazetteer_add(
    name: Annotated[str, typer.Argument(help="The place's name as news writes it.")],
    lat: Annotated[float, typer.Option(help="Latitude (WGS84 degrees).")],
    lon: Annotated[float, typer.Option(help="Longitude (WGS84 degrees).")],
    kind: Annotated[
        str, typer.Option(help="village, city, camp, crossing, base, landmark, region, …")
    ] = "village",
    country: Annotated[str | None, typer.Option(help="Two-letter ISO code (SY).")] = None,
    admin1: Annotated[str | None, typer.Option(help="First-level area (Al-Hasakah).")] = None,
    aliases: Annotated[
        str, typer.Option(help="Other spellings, '|'-separated (Tall Baydar|Tel Beydar).")
    ] = "",
    note: Annotated[str, typer.Option(help="Where the point comes from.")] = "",
    file: Annotated[
        Path | None, typer.Option(help="The places file (default: $SITREP_PLACES or ~/.config).")
    ] = None,
) -> None:
    """Add a place of your own; its spellings then resolve to it before any other place."""
    from sitrep.geo.own import add_place, parse_place, places_file, read_places

    target = file or places_file()
    cells = {"name": name, "lat": str(lat), "lon": str(lon), "kind": kind, "aliases": aliases}
    cells |= {"country": country or "", "admin1": admin1 or "", "note": note}
    place = parse_place(cells, "the place")  # the checks a hand-edited file gets
    add_place(target, place)
    out.print(f"{place.name} added to {target}, now {len(read_places(target))} of your own places")


@gazetteer_app.command("missing")
def gazetteer_missing(
    db: DbOption = DEFAULT_DB,
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language.")] = None,
    top: Annotated[int, typer.Option(help="Show the most frequent this many.")] = 50,
    tsv: Annotated[
        bool, typer.Option("--tsv", help="Tab-separated rows instead of a table.")
    ] = False,
) -> None:
    """Place names recognised but not resolved in the stored articles, most frequent first."""
    from sitrep.geo.missing import missing
    from sitrep.store import open_store

    require_db(db)
    with open_store(db) as store:
        names = missing(store.analyses(), language=lang)[:top]
    if tsv:
        sys.stdout.write("name\tcount\tarticles\treason\texample\n")
        for name in names:
            row = (name.name, name.count, name.articles, name.reason or "", name.example)
            sys.stdout.write("\t".join(str(v).replace("\t", " ") for v in row) + "\n")
        return
    table = Table(title=f"{len(names)} unresolved place names in {db}")
    for column in ("name", "count", "articles", "reason"):
        table.add_column(column, no_wrap=column != "reason")
    table.add_column("example", overflow="fold")
    for name in names:
        table.add_row(
            name.name, str(name.count), str(name.articles), name.reason or "", name.example
        )
    out.print(table)
