"""Commands that analyse articles: `run` (into the database), `analyze` (one file), `time`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from sitrep.cli._common import (
    DEFAULT_DB,
    DateOption,
    DbOption,
    LangOption,
    date_label,
    err,
    out,
    settings_from,
)
from sitrep.errors import Code, InputError, Interrupted, UsageError

if TYPE_CHECKING:
    from sitrep.models import Analysis
    from sitrep.pipeline import RunSummary

__all__ = ["analyze", "run", "time_command"]


def run(
    paths: Annotated[list[str], typer.Argument(help="Files, directories or - for stdin.")],
    db: DbOption = DEFAULT_DB,
    date_text: DateOption = None,
    lang: LangOption = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default: all cores).")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Analyse on the workers of this Dask scheduler (tcp://HOST:8786)."),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(help="Start a local Dask cluster of N worker processes (local:N)."),
    ] = None,
) -> None:
    """Analyse articles into the database; a rerun resumes and duplicates nothing."""
    from sitrep import pipeline
    from sitrep.cluster import local_workers
    from sitrep.progress import DelayedProgress
    from sitrep.store import open_store

    if scheduler and cluster:
        raise UsageError(Code.EXCLUSIVE_OPTIONS, "--scheduler and --cluster exclude each other")
    if cluster and local_workers(cluster) is None:
        raise UsageError(Code.BAD_SETTING, f"--cluster {cluster!r}: give local:N")
    extra = {"cluster": scheduler or cluster} if scheduler or cluster else {}
    settings = settings_from(date_text, lang, workers=workers, **extra)
    bar = DelayedProgress("Analysing", "articles", err)
    with open_store(db) as store:
        try:
            summary = pipeline.run(paths, settings, store, progress=bar.update)
        except KeyboardInterrupt:
            raise Interrupted(
                Code.INTERRUPTED,
                "interrupted: committed batches are kept; run the same command to resume",
            ) from None
        finally:
            bar.close()
    _print_summary(summary, db)
    if summary.failed:
        raise typer.Exit(1)


def _print_summary(summary: RunSummary, db: str) -> None:
    """The run's figures: articles, languages, dates found, warnings, failures."""

    def counts(counter: dict[str, int]) -> str:
        return ", ".join(f"{key} {n}" for key, n in sorted(counter.items(), key=lambda kv: -kv[1]))

    out.print(
        f"[bold]Run {summary.run_id}[/] into {db}: {summary.items} items, "
        f"{summary.stored} new articles, {summary.duplicates} duplicates, "
        f"{summary.near_duplicates} near-duplicates, "
        f"{summary.resumed} already done, {len(summary.failed)} failed"
    )
    if summary.languages:
        out.print(f"  languages:         {counts(summary.languages)}")
        out.print(f"  publication dates: {counts(summary.date_origins)}")
        found = summary.found
        out.print(
            f"  found:             {found['sentences']} sentences, {found['times']} time "
            f"expressions, {found['places']} place mentions ({found['places_resolved']} resolved), "
            f"{found['actors']} actor mentions, {found['events']} events "
            f"({found['background']} background)"
        )
    if summary.stories_started or summary.stories_joined:
        out.print(
            f"  stories:           {summary.stories_started} new, "
            f"{summary.stories_joined} articles joined a story"
        )
    if summary.warnings:
        names = {code.value: code.name.lower() for code in Code}
        named = {f"{code} {names.get(code, '')}".strip(): n for code, n in summary.warnings.items()}
        out.print(f"  warnings:          {counts(named)}")
    for message in summary.failed:
        out.print(f"  [red]failed[/] {escape(message)}")


def analyze(
    file: Annotated[str, typer.Argument(help="One article file (or - for stdin).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the contract JSON.")] = False,
    date_text: DateOption = None,
    lang: LangOption = None,
) -> None:
    """Analyse one article without a database and print the result."""
    from sitrep import pipeline
    from sitrep.ingest import read_paths
    from sitrep.models import Skipped

    settings = settings_from(date_text, lang)
    failed = False
    items = list(read_paths([file], settings))
    for item in items:
        if isinstance(item, Skipped):
            err.print(f"error: [{item.code}] {item.message}")
            failed = True
            continue
        outcome = pipeline.analyze_one(item, settings)
        if outcome.analysis is None:
            problem = outcome.problem
            code = problem.code if problem else Code.STAGE_FAILED
            err.print(f"error: [{code}] {problem.message if problem else 'failed'}")
            failed = True
        elif as_json:
            indent = 2 if len(items) == 1 else None
            sys.stdout.write(outcome.analysis.model_dump_json(indent=indent) + "\n")
        else:
            _print_analysis(outcome.analysis)
    if failed:
        raise typer.Exit(1)


def _print_analysis(analysis: Analysis) -> None:
    """A short human-readable view of one analysis."""
    article = analysis.article
    published = article.published
    out.print(
        f"[bold]{escape(article.title or '(no title)')}[/]  id {article.id}  "
        f"source {escape(article.source)}"
    )
    out.print(
        f"  language {article.language or 'unknown'}; published {published.date or 'unknown'}"
        f" ({published.precision or '-'}, from {published.origin}); "
        f"{len(analysis.sentences)} sentences, {len(article.text):,} characters"
    )
    for removed in article.removed:
        out.print(f"  removed ({removed.reason}): {escape(repr(removed.text))}")
    for problem in article.warnings:
        out.print(f"  [yellow]warning[/] {escape(f'[{problem.code}] {problem.message}')}")
    for event in analysis.events:
        place = event.location.name if event.location else None
        line = (
            f"{date_label(event.date.earliest, event.date.latest)} {event.sub_event_type}"
            f" — {event.actor1 or '?'} / {event.actor2 or '-'}, {place or 'no place'}"
            + (f", {event.fatalities} killed" if event.fatalities else "")
            + (" (background)" if event.background else "")
        )
        out.print(f"  event {event.id}: {escape(line)}")


class TimeFormat(StrEnum):
    TIMEML = "timeml"
    JSON = "json"


def time_command(
    file: Annotated[str, typer.Argument(help="A text file (or - for stdin).")],
    dct: Annotated[str | None, typer.Option("--dct", help="Document date YYYY-MM-DD.")] = None,
    narrative: Annotated[
        bool, typer.Option("--narrative", help="Anchor on the last date mentioned (no DCT).")
    ] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="de or en (default: detect).")] = None,
    fmt: Annotated[TimeFormat, typer.Option("--format", help="Output format.")] = TimeFormat.TIMEML,
) -> None:
    """Tag temporal expressions in an article's text, as HeidelTime does (TimeML output).

    The file is read and cleaned as `sitrep run` reads it (an HTML page's markup and
    boilerplate go), and its own publication date anchors relative dates unless `--dct` or
    `--narrative` says otherwise."""
    from sitrep import pipeline
    from sitrep import time as time_stage
    from sitrep.ingest import read_paths
    from sitrep.models import Skipped

    if dct is not None and narrative:
        raise UsageError(Code.EXCLUSIVE_OPTIONS, "--dct and --narrative exclude each other")
    settings = settings_from(dct, lang, option="--dct")
    for item in read_paths([file], settings):
        if isinstance(item, Skipped):
            raise InputError(item.code, item.message)
        article = pipeline.read_article(item, settings).article
        anchor = (
            None
            if narrative
            else settings.user_date
            or (article.published.day() if article.published.precision == "day" else None)
        )
        spans = time_stage.tag(article.text, article.language or "en", anchor, narrative)
        if fmt is TimeFormat.TIMEML:
            sys.stdout.write(time_stage.to_timeml(article.text, spans))
        else:
            sys.stdout.write(json.dumps([span.model_dump() for span in spans], indent=2) + "\n")
