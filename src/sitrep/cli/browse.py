"""Commands that read the database: `articles`, `events`, `export`, and the contract's `schema`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sitrep.cli._common import (
    DEFAULT_DB,
    DbOption,
    MinConfidenceOption,
    date_label,
    err,
    out,
    parse_date,
    require_db,
)
from sitrep.errors import Code, UsageError
from sitrep.search import Mode as SearchMode

__all__ = ["articles", "date_label", "events", "export", "schema", "show"]


def articles(
    db: DbOption = DEFAULT_DB,
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


class EventsFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    ACLED_CSV = "acled-csv"
    GEOJSON = "geojson"
    PARQUET = "parquet"


def export(
    db: DbOption = DEFAULT_DB,
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
    """Export: jsonl (one contract object per article), acled-csv (ACLED's 31 columns),
    geojson, parquet (ACLED's columns, typed; needs --output).

    Events show an analyst's reviews: corrected values, rejected events left out."""
    from sitrep import export as exporters
    from sitrep.reviews import reviewed_events
    from sitrep.store import open_store

    require_db(db)
    if fmt is ExportFormat.PARQUET and output is None:
        raise UsageError(Code.NOT_SUPPORTED, "--format parquet writes a file: give --output")
    with open_store(db) as store:
        reviews = store.reviews_in_force()
        analyses = (reviewed_events(analysis, reviews) for analysis in store.analyses())
        if fmt is ExportFormat.PARQUET and output is not None:
            from sitrep.export import parquet

            if min_confidence > 0:
                analyses = (exporters.confident(a, min_confidence) for a in analyses)
            count = parquet.write(analyses, output, background=background)
            err.print(f"wrote {count} records to {output}")
            return
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
    db: DbOption = DEFAULT_DB,
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
    fmt: Annotated[
        EventsFormat, typer.Option("--format", help="table, json (one object a line) or csv.")
    ] = EventsFormat.TABLE,
) -> None:
    """List stored events, filtered by type, country, dates, actor, confidence; reviewed
    values shown, rejected events left out."""
    require_db(db)
    from sitrep.export import acled
    from sitrep.export.views import row_summary
    from sitrep.reviews import reviewed_page
    from sitrep.store import EventFilter, open_store

    for value, option in ((since, "--since"), (until, "--until")):
        parse_date(value, option)
    where = EventFilter(event_type, country, since, until, actor, background, min_confidence)
    with open_store(db) as store:
        rows = store.events(where, limit=limit)
        if fmt is EventsFormat.CSV:
            acled.write_events(reviewed_page(store, rows), sys.stdout)
            return
        reviews = store.reviews_in_force([row.id for row in rows if row.review])
    if fmt is EventsFormat.JSON:
        for row in rows:
            summary = row_summary(row, reviews.get(row.id))
            sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(rows)} events in {db}")
    table.add_column("id", no_wrap=True)
    table.add_column("date", no_wrap=True)
    for column in ("type", "sub-event", "actor 1", "actor 2", "location", "killed"):
        table.add_column(column, overflow="fold")
    for row in rows:
        mark = " (bg)" if row.background else ""
        mark += f" ({row.review}ed)" if row.review else ""
        table.add_row(
            row.id,
            date_label(row.date_earliest, row.date_latest) + mark,
            row.event_type,
            row.sub_event_type,
            row.actor1 or "",
            row.actor2 or "",
            ", ".join(p for p in (row.location, row.country) if p),
            "" if row.fatalities is None else str(row.fatalities),
        )
    out.print(table)


def show(
    event_id: Annotated[str, typer.Argument(help="An event id (see `sitrep events`).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Print one event with its evidence: the sentence, and the spans it was coded from."""
    require_db(db)
    from sitrep.export.views import event_detail
    from sitrep.reviews import find_event, reviewed_events
    from sitrep.store import open_store

    with open_store(db) as store:
        article_id = store.article_of(event_id)
        analysis = store.analysis(article_id) if article_id else None
        reviews = store.reviews_in_force([event_id])
    machine = find_event(analysis, event_id) if analysis else None
    if analysis is None or machine is None:
        raise UsageError(Code.NOT_FOUND, f"no event {event_id!r} in {db}")
    shown = find_event(reviewed_events(analysis, reviews), event_id) or machine
    _print_event(event_detail(shown, analysis), reviews.get(event_id))


def _print_event(detail: dict, review: object) -> None:
    """An event's fields, then each evidence sentence with its spans in brackets."""
    kind = f"{detail['event_type']}: {detail['sub_event_type']}"
    out.print(f"[bold]{escape(kind)}[/]  id {detail['id']}")
    fields = {
        "actor 1": detail["actor1"],
        "actor 2": detail["actor2"],
        "place": detail["location"],
        "country": detail["country"],
        "date": date_label(detail["date_earliest"], detail["date_latest"]),
        "fatalities": detail["fatalities"],
        "confidence": detail["confidence"],
        "source": detail["source"],
        "language": detail["language"],
        "review": detail["review"] if review is not None else None,
    }
    for label, value in fields.items():
        out.print(f"  {label:<11}{escape('-' if value is None else str(value))}")
    for item in detail["evidence"]:
        marks = [(span, name) for name, span in item["spans"].items()]
        marks += [(span, "fatalities") for span in item["fatalities"]]
        out.print("  > " + _marked(item["sentence"], marks))


def _marked(sentence: dict, marks: list[tuple[dict, str]]) -> str:
    """The sentence with each span as [text]field (rich markup, text escaped)."""
    text, base = sentence["text"], sentence["start"]
    parts, position = [], 0
    for span, name in sorted(marks, key=lambda pair: pair[0]["start"]):
        start, end = span["start"] - base, span["end"] - base
        if start < position:
            continue  # a span inside one already marked
        parts.append(escape(text[position:start]))
        parts.append(f"[bold]\\[{escape(span['text'])}]{name}[/]")
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def schema() -> None:
    """Print the JSON schema of `sitrep analyze --json` output."""
    from sitrep.models import Analysis

    sys.stdout.write(json.dumps(Analysis.model_json_schema(), indent=2) + "\n")


def search(
    words: Annotated[str, typer.Argument(help="What to find: words, or what happened.")],
    db: DbOption = DEFAULT_DB,
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language.")] = None,
    since: Annotated[str | None, typer.Option(help="Published from (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published up to (YYYY-MM-DD).")] = None,
    mode: Annotated[
        SearchMode,
        typer.Option(help="words (full text), meaning (alike in any language) or both."),
    ] = SearchMode.BOTH,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One hit a line, as JSON.")] = False,
) -> None:
    """Find articles whose title or text has every word (anywhere in a word: "anschlag"
    finds "Selbstmordanschlag") or that mean the same in any language ("suicide bombing"
    finds "Selbstmordanschlag"), best first, each with the passage that matches."""
    require_db(db)
    from dataclasses import asdict

    from sitrep.search import build as build_search
    from sitrep.store import open_store

    for value, option in ((since, "--since"), (until, "--until")):
        parse_date(value, option)
    query = build_search(words, mode, lang, since, until)
    with open_store(db) as store:
        total, hits = store.search(query, limit=limit)
    if as_json:
        for hit in hits:
            sys.stdout.write(json.dumps(asdict(hit), ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{total} articles in {db} found for {words!r}")
    for column in ("id", "lang", "published", "events", "by"):
        table.add_column(column, no_wrap=True)
    table.add_column("title and passage", overflow="fold")
    for hit in hits:
        passage, at = "", 0
        for start, end in hit.marks:
            passage += escape(hit.passage[at:start]) + f"[bold]{escape(hit.passage[start:end])}[/]"
            at = end
        passage += escape(hit.passage[at:])
        title = escape(hit.title or "untitled")
        facts = (hit.article_id, hit.language or "?", hit.published or "-", str(hit.events))
        table.add_row(*facts, hit.found_by, f"{title}\n{passage}")
    out.print(table)
