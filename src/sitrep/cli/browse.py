"""Commands that read the database: `articles`, `events`, `export`, and the contract's `schema`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sitrep.cli._common import (
    DEFAULT_DB,
    DbOption,
    MinConfidenceOption,
    err,
    out,
    parse_date,
    require_db,
)

__all__ = ["articles", "date_label", "events", "export", "schema"]


def articles(
    db: DbOption = Path(DEFAULT_DB),
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language.")] = None,
) -> None:
    """List stored articles as a table."""
    require_db(db)
    from sitrep.store import open_store

    with open_store(db) as store:
        rows = store.articles(limit=limit, language=lang)
    table = Table(title=f"{len(rows)} articles in {db}")
    for column in ("id", "lang", "published", "from", "sources", "warnings"):
        table.add_column(column, no_wrap=True)
    table.add_column("title", overflow="fold")
    for row in rows:
        when = row.published_date or "-"
        if row.published_date and row.published_precision != "day":
            cut = 7 if row.published_precision == "month" else 4
            when = f"{when[:cut]} ({row.published_precision})"
        table.add_row(
            row.id,
            row.language or "?",
            when,
            row.published_origin,
            str(row.n_sources),
            str(row.n_warnings),
            row.title or "",
        )
    out.print(table)


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    ACLED_CSV = "acled-csv"
    GEOJSON = "geojson"


def export(
    db: DbOption = Path(DEFAULT_DB),
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="Output format.")
    ] = ExportFormat.JSONL,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default stdout).")
    ] = None,
    background: Annotated[
        bool, typer.Option("--background", help="Include history told in passing.")
    ] = False,
    min_confidence: MinConfidenceOption = 0.0,
) -> None:
    """Export: jsonl (one contract object per article), acled-csv (ACLED's 31 columns), geojson.

    Events show an analyst's reviews: corrected values, rejected events left out."""
    from sitrep import export as exporters
    from sitrep.reviews import reviewed_events
    from sitrep.store import open_store

    require_db(db)
    with open_store(db) as store:
        reviews = store.reviews_in_force()
        analyses = (reviewed_events(analysis, reviews) for analysis in store.analyses())
        handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            count = exporters.write(
                fmt.value,
                analyses,
                handle,
                background=background,
                min_confidence=min_confidence,
            )
        finally:
            if output:
                handle.close()
    if output:
        err.print(f"wrote {count} records to {output}")


def events(
    db: DbOption = Path(DEFAULT_DB),
    event_type: Annotated[
        str | None, typer.Option("--type", help="Event or sub-event type, e.g. Battles.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code, e.g. IQ.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    actor: Annotated[str | None, typer.Option(help="Actor name contains this.")] = None,
    background: Annotated[
        bool, typer.Option("--background", help="Include history told in passing.")
    ] = False,
    min_confidence: MinConfidenceOption = 0.0,
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
) -> None:
    """List stored events as a table, filtered by type, country, dates, actor, confidence."""
    require_db(db)
    from sitrep.store import EventFilter, open_store

    for value, option in ((since, "--since"), (until, "--until")):
        parse_date(value, option)
    where = EventFilter(event_type, country, since, until, actor, background, min_confidence)
    with open_store(db) as store:
        rows = store.events(where, limit=limit)
    table = Table(title=f"{len(rows)} events in {db}")
    table.add_column("date", no_wrap=True)
    for column in ("type", "sub-event", "actor 1", "actor 2", "location", "killed"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            date_label(row.date_earliest, row.date_latest) + (" (bg)" if row.background else ""),
            row.event_type,
            row.sub_event_type,
            row.actor1 or "",
            row.actor2 or "",
            ", ".join(part for part in (row.location, row.country) if part),
            "" if row.fatalities is None else str(row.fatalities),
        )
    out.print(table)


def date_label(earliest: str | None, latest: str | None) -> str:
    """A date range as an analyst writes it: 2017-11-02, 2017-12, 2014, or a…b."""
    if not earliest or not latest:
        return "-"
    if earliest == latest:
        return earliest
    if earliest[:4] == latest[:4] and earliest[5:] == "01-01" and latest[5:] == "12-31":
        return earliest[:4]
    if earliest[:7] == latest[:7] and earliest[8:] == "01" and latest[8:] >= "28":
        return earliest[:7]
    return f"{earliest}…{latest}"


def schema() -> None:
    """Print the JSON schema of `sitrep analyze --json` output."""
    from sitrep.models import Analysis

    sys.stdout.write(json.dumps(Analysis.model_json_schema(), indent=2) + "\n")
