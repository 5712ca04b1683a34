"""`sitrep stories` and `sitrep story ID`: the stories articles were grouped into."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sitrep.cli._common import DEFAULT_DB, DbOption, out, require_db
from sitrep.errors import Code, UsageError

__all__ = ["stories", "story"]


def stories(
    db: DbOption = DEFAULT_DB,
    min_articles: Annotated[
        int, typer.Option(min=1, help="Only stories with at least this many articles.")
    ] = 2,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One story a line, as JSON.")] = False,
) -> None:
    """List stories (articles about the same development, across outlets and languages),
    latest first."""
    require_db(db)
    from sitrep.store import open_store
    from sitrep.stories.views import summary

    with open_store(db) as store:
        rows = store.stories(limit=limit, min_articles=min_articles)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(summary(row), ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(rows)} stories of {min_articles}+ articles in {db}")
    for column in ("id", "articles", "languages", "published", "events"):
        table.add_column(column, no_wrap=True)
    table.add_column("title", overflow="fold")
    for row in rows:
        span = row.first_published or "-"
        if row.last_published and row.last_published != row.first_published:
            span += f" – {row.last_published}"
        table.add_row(
            str(row.id),
            str(row.articles),
            ", ".join(row.languages),
            span,
            str(row.events),
            escape(row.title or "untitled"),
        )
    out.print(table)


def story(
    story_id: Annotated[int, typer.Argument(help="A story id (from `sitrep stories`).")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="The story as one JSON object.")] = False,
) -> None:
    """One story: its articles in time order and the events each coded, with the figures
    each source gives side by side."""
    require_db(db)
    from sitrep.store import open_store
    from sitrep.stories.views import story_view

    with open_store(db) as store:
        view = story_view(store, story_id)
    if view is None:
        raise UsageError(Code.NOT_FOUND, f"no story {story_id} in {db}")
    if as_json:
        sys.stdout.write(json.dumps(view.as_dict(), ensure_ascii=False) + "\n")
        return
    head = view.story
    out.print(
        f"[bold]Story {story_id}[/]: {head.articles} articles ({', '.join(head.languages)}),"
        f" {head.events} events — {escape(str(view.line))}"
    )
    timeline = Table(title="Articles")
    for column in ("published", "lang", "source", "copies", "alike", "events"):
        timeline.add_column(column, no_wrap=True)
    timeline.add_column("title", overflow="fold")
    for article in view.articles:
        alike = "first" if article.similarity is None else f"{article.similarity:.2f}"
        timeline.add_row(
            article.published or "-",
            article.language or "?",
            escape(article.source or "?"),
            str(article.sources - 1),
            alike,
            str(article.events),
            escape(article.title or article.article_id),
        )
    out.print(timeline)
    figures = Table(title="Events, source by source")
    for column in ("date", "source", "type", "place", "killed", "id"):
        figures.add_column(column, no_wrap=column != "place")
    for event in view.events:
        killed = event["fatalities"]
        figures.add_row(
            str(event["date_earliest"] or "-"),
            escape(str(event["source"] or "?")),
            str(event["sub_event_type"]),
            escape(str(event["location"] or "-")),
            "-" if killed is None else str(killed),
            str(event["id"]),
        )
    out.print(figures)
    if not view.incidents:
        return
    merged = Table(title="One event, many reports (fatalities: ACLED's lowest figure)")
    for column in ("date", "type", "place", "killed", "each source"):
        merged.add_column(column, overflow="fold")
    for incident in view.incidents:
        each = ", ".join(
            f"{report.source}: {'-' if report.fatalities is None else report.fatalities}"
            for report in incident.reports
        )
        killed = "-" if incident.fatalities is None else str(incident.fatalities)
        merged.add_row(
            incident.date_earliest or "-",
            incident.sub_event_type,
            escape(incident.location or "-"),
            killed + (" [red](sources disagree)[/]" if incident.sources_disagree else ""),
            escape(each),
        )
    out.print(merged)
