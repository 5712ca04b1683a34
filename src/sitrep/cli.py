"""The `sitrep` command: a thin layer over the Python API (`sitrep.pipeline`, `sitrep.store`).

Data goes to stdout, progress and messages to stderr. Errors are one line with a code,
never a traceback unless `--debug`. Exit codes: 0 ok, 1 some articles failed, 2 usage.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sitrep import export as exporters
from sitrep import language, pipeline
from sitrep import time as time_stage
from sitrep.errors import Code, InputError, Interrupted, SitrepError, UsageError
from sitrep.eval import case2021 as eval_case2021
from sitrep.eval import conflict as eval_conflict
from sitrep.eval import corpora as eval_corpora
from sitrep.eval import events as eval_events_scorer
from sitrep.eval import fakes as eval_fakes
from sitrep.eval import gate as eval_gate_checker
from sitrep.eval import geo as eval_geo_scorer
from sitrep.eval import ner as eval_ner_scorer
from sitrep.eval import time as eval_time_scorer
from sitrep.geo import gazetteer
from sitrep.geo.missing import missing as missing_places
from sitrep.ingest import read_paths
from sitrep.models import Analysis, Skipped
from sitrep.progress import DelayedProgress
from sitrep.settings import Settings
from sitrep.store import DEFAULT_DB, EventFilter, open_store

app = typer.Typer(
    help="Sitrep: turn multilingual news into a sourced record of what happened, where, when.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
err = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 120)
_state = {"debug": False}

DbOption = Annotated[Path, typer.Option("--db", help="SQLite database file.", envvar="SITREP_DB")]
DateOption = Annotated[
    str | None,
    typer.Option("--date", help="Publication date (YYYY-MM-DD) for articles that give none."),
]
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="One code forces the language (de); several restrict detection to them (en,de,fr).",
    ),
]
MinConfidenceOption = Annotated[
    float,
    typer.Option(
        "--min-confidence",
        min=0.0,
        max=1.0,
        help="Leave out events whose type the classifier gives less than this (0-1).",
    ),
]


def _parse_date(text: str | None, option: str) -> date | None:
    """An ISO date given on the command line, or a usage error naming the option."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            Code.BAD_DATE_OPTION, f"{option} {text!r} is not a date like 2021-12-31"
        ) from None


def _settings(
    date_text: str | None, lang: str | None, option: str = "--date", **extra: object
) -> Settings:
    """Settings from the environment and the common options."""
    user_date = _parse_date(date_text, option)
    languages = forced = None
    if lang:
        codes = [code.strip().lower() for code in lang.split(",") if code.strip()]
        if len(codes) == 1:
            forced = codes[0]
        languages = codes
    settings = Settings.from_env(user_date=user_date, languages=languages, **extra)
    if forced is not None:
        settings = settings.model_copy(update={"forced_language": forced})
    return settings


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    _state["debug"] = debug
    _log_to_stderr(logging.DEBUG if debug else logging.INFO)


def _log_to_stderr(level: int) -> None:
    """Sitrep's own log lines (slow one-off steps, say) go to stderr, one line each."""
    logger = logging.getLogger("sitrep")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("sitrep: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, directories or - for stdin.")],
    db: DbOption = Path(DEFAULT_DB),
    date_text: DateOption = None,
    lang: LangOption = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default: all cores).")
    ] = None,
) -> None:
    """Analyse articles into the database; a rerun resumes and duplicates nothing."""
    settings = _settings(date_text, lang, workers=workers)
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


def _print_summary(summary: pipeline.RunSummary, db: Path) -> None:
    """The run's figures: articles, languages, dates found, warnings, failures."""

    def counts(counter: dict[str, int]) -> str:
        return ", ".join(f"{key} {n}" for key, n in sorted(counter.items(), key=lambda kv: -kv[1]))

    out.print(
        f"[bold]Run {summary.run_id}[/] into {db}: {summary.items} items, "
        f"{summary.stored} new articles, {summary.duplicates} duplicates, "
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
    if summary.warnings:
        names = {code.value: code.name.lower() for code in Code}
        named = {f"{code} {names.get(code, '')}".strip(): n for code, n in summary.warnings.items()}
        out.print(f"  warnings:          {counts(named)}")
    for message in summary.failed:
        out.print(f"  [red]failed[/] {escape(message)}")


@app.command()
def analyze(
    file: Annotated[str, typer.Argument(help="One article file (or - for stdin).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the contract JSON.")] = False,
    date_text: DateOption = None,
    lang: LangOption = None,
) -> None:
    """Analyse one article without a database and print the result."""
    settings = _settings(date_text, lang)
    failed = False
    items = list(read_paths([file], settings))
    for item in items:
        if isinstance(item, Skipped):
            err.print(f"error: [{item.code}] {item.message}")
            failed = True
            continue
        outcome = pipeline.analyze_one(item, settings)
        if outcome.analysis is None:
            code, _, message = outcome.problem or (Code.STAGE_FAILED, "", "failed")
            err.print(f"error: [{code}] {message}")
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


@app.command()
def articles(
    db: DbOption = Path(DEFAULT_DB),
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language.")] = None,
) -> None:
    """List stored articles as a table."""
    _require_db(db)
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


@app.command()
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
    """Export: jsonl (one contract object per article), acled-csv (ACLED's 31 columns), geojson."""
    _require_db(db)
    with open_store(db) as store:
        handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            count = exporters.write(
                fmt.value,
                store.analyses(),
                handle,
                background=background,
                min_confidence=min_confidence,
            )
        finally:
            if output:
                handle.close()
    if output:
        err.print(f"wrote {count} records to {output}")


@app.command()
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
    _require_db(db)
    for value, option in ((since, "--since"), (until, "--until")):
        _parse_date(value, option)
    where = EventFilter(event_type, country, since, until, actor, background, min_confidence)
    with open_store(db) as store:
        rows = store.events(where, limit=limit)
    table = Table(title=f"{len(rows)} events in {db}")
    table.add_column("date", no_wrap=True)
    for column in ("type", "sub-event", "actor 1", "actor 2", "location", "killed"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            _date_label(row.date_earliest, row.date_latest) + (" (bg)" if row.background else ""),
            row.event_type,
            row.sub_event_type,
            row.actor1 or "",
            row.actor2 or "",
            ", ".join(part for part in (row.location, row.country) if part),
            "" if row.fatalities is None else str(row.fatalities),
        )
    out.print(table)


def _date_label(earliest: str | None, latest: str | None) -> str:
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


class TimeFormat(StrEnum):
    TIMEML = "timeml"
    JSON = "json"


@app.command("time")
def time_command(
    file: Annotated[str, typer.Argument(help="A text file (or - for stdin).")],
    dct: Annotated[str | None, typer.Option("--dct", help="Document date YYYY-MM-DD.")] = None,
    narrative: Annotated[
        bool, typer.Option("--narrative", help="Anchor on the last date mentioned (no DCT).")
    ] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="de or en (default: detect).")] = None,
    fmt: Annotated[TimeFormat, typer.Option("--format", help="Output format.")] = TimeFormat.TIMEML,
) -> None:
    """Tag temporal expressions in a file's text, as HeidelTime does (TimeML output)."""
    if dct is not None and narrative:
        raise UsageError(Code.EXCLUSIVE_OPTIONS, "--dct and --narrative exclude each other")
    settings = _settings(dct, lang, option="--dct")
    for item in read_paths([file], settings):
        if isinstance(item, Skipped):
            raise InputError(item.code, item.message)
        content = item.content
        language_code = (
            settings.forced_language or language.identify(content, settings.languages)[0]
        )
        spans = time_stage.tag(content, language_code or "en", settings.user_date, narrative)
        if fmt is TimeFormat.TIMEML:
            sys.stdout.write(time_stage.to_timeml(content, spans))
        else:
            sys.stdout.write(json.dumps([span.model_dump() for span in spans], indent=2) + "\n")


eval_app = typer.Typer(help="Score Sitrep on public benchmarks (prints one JSON object).")
app.add_typer(eval_app, name="eval")


class TimeGold(StrEnum):
    TIMEML = "timeml"
    TIMEX2 = "timex2"


@eval_app.command("time")
def eval_time(
    path: Annotated[Path, typer.Argument(help="TimeML folder, or a WikiWarsDE-style folder.")],
    fmt: Annotated[TimeGold, typer.Option("--format", help="Gold format.")] = TimeGold.TIMEML,
) -> None:
    """Temporal tagging: strict/relaxed extraction P/R/F1 and value accuracy/F1 (TempEval-3)."""
    _print_json(path, lambda: eval_time_scorer.evaluate(path, fmt.value))


class GeoGold(StrEnum):
    LGL = "lgl"
    GEOVIRUS = "geovirus"


class GeoMode(StrEnum):
    RESOLVE = "resolve"
    END2END = "end2end"


@eval_app.command("geo")
def eval_geo(
    path: Annotated[Path, typer.Argument(help="LGL, TR-News or GeoVirus XML file.")],
    fmt: Annotated[
        GeoGold, typer.Option("--format", help="lgl (also TR-News) or geovirus.")
    ] = GeoGold.LGL,
    mode: Annotated[
        GeoMode, typer.Option("--mode", help="Gold mentions given, or from text.")
    ] = GeoMode.RESOLVE,
    output: Annotated[
        Path | None, typer.Option(help="Write per-mention results (JSON Lines) here.")
    ] = None,
) -> None:
    """Geoparsing: accuracy within 161 km, exact GeoNames, error km, AUC (+ P/R/F1 end2end)."""
    details: list[dict] | None = [] if output is not None else None
    _print_json(path, lambda: eval_geo_scorer.evaluate(path, fmt.value, mode.value, details))
    _write_details(output, details)


@eval_app.command("conflict-places")
def eval_conflict_places(
    places: Annotated[
        Path, typer.Argument(help="Check list of places and spellings (TSV).")
    ] = Path("eval/conflict_places.tsv"),
    data: Annotated[
        Path, typer.Option(help="Folder of the shared corpora to search.")
    ] = eval_corpora.DEFAULT_DATA,
    output: Annotated[
        Path | None, typer.Option(help="Write every occurrence's outcome (JSON Lines) here.")
    ] = None,
) -> None:
    """Towns of the war: the share of their occurrences in the corpora found within 30 km."""
    details: list[dict] | None = [] if output is not None else None
    _print_json(places, lambda: eval_conflict.check(places, data, details=details))
    _write_details(output, details)


class NerLanguage(StrEnum):
    DE = "de"
    EN = "en"


@eval_app.command("ner")
def eval_ner(
    path: Annotated[Path, typer.Argument(help="GermEval TSV, WikiANN or CoNLL-2003 file.")],
    lang: Annotated[NerLanguage, typer.Option("--lang", help="Language of the file.")],
) -> None:
    """Named entities: P/R/F1 overall (PER, LOC, ORG; exact spans) and per label."""
    _print_json(path, lambda: eval_ner_scorer.evaluate(path, lang.value))


class EventsGold(StrEnum):
    SITREP = "sitrep"
    CASE2021 = "case2021"
    FAKES = "fakes"


class Split(StrEnum):
    DEV = "dev"
    TEST = "test"
    ALL = "all"


@eval_app.command("events")
def eval_events(
    path: Annotated[Path, typer.Argument(help="Gold JSONL, CASE 2021 TSV or FA-KES CSV.")],
    fmt: Annotated[
        EventsGold, typer.Option("--format", help="sitrep (own gold), case2021 or fakes.")
    ] = EventsGold.SITREP,
    split: Annotated[Split, typer.Option(help="Articles of the own gold to score.")] = Split.ALL,
    data: Annotated[
        Path, typer.Option(help="Folder of the shared corpora the gold refers to.")
    ] = eval_corpora.DEFAULT_DATA,
    output: Annotated[
        Path | None, typer.Option(help="Write per-article results (JSON Lines) here.")
    ] = None,
) -> None:
    """Coded events: document-level P/R/F1 and fields (own gold), ACLED sub-type F1 (CASE
    2021), main event per article (FA-KES). A crash counts as a miss."""
    details: list[dict] | None = [] if output is not None else None

    def score() -> object:
        if fmt is EventsGold.CASE2021:
            return eval_case2021.evaluate(path, details=details)
        if fmt is EventsGold.FAKES:
            return eval_fakes.evaluate(path, details=details)
        chosen = None if split is Split.ALL else split.value
        return eval_events_scorer.evaluate(path, data, chosen, details=details)

    _print_json(path, score)
    _write_details(output, details)


@eval_app.command("gate")
def eval_gate(
    baseline: Annotated[Path, typer.Option(help="Pinned subset and floors.")] = Path(
        "eval/baseline.json"
    ),
    gold: Annotated[Path, typer.Option(help="The gold the subset comes from.")] = Path(
        "eval/gold/events-dev.jsonl"
    ),
    data: Annotated[
        Path, typer.Option(help="Folder of the shared corpora the gold refers to.")
    ] = eval_corpora.DEFAULT_DATA,
    update: Annotated[bool, typer.Option("--update", help="Raise the floors to today's.")] = False,
    allow_regression: Annotated[
        bool, typer.Option("--allow-regression", help="Let --update lower a floor.")
    ] = False,
) -> None:
    """The CI gate: score the pinned subset of the event gold against its floors."""
    for path in (baseline, gold):
        if not path.exists():
            raise InputError(Code.UNREADABLE, f"{path}: no such file")
    if update:
        try:
            pinned = eval_gate_checker.update(baseline, gold, data, allow_regression)
        except (ValueError, FileNotFoundError) as exc:
            raise UsageError(Code.BAD_SETTING, str(exc)) from None
        sys.stdout.write(json.dumps(pinned["floors"], indent=2) + "\n")
        return
    problems = eval_gate_checker.check(baseline, gold, data)
    for problem in problems:
        err.print(f"gate: {problem}")
    if problems:
        raise typer.Exit(1)
    out.print("gate: every figure at or above its floor")


gazetteer_app = typer.Typer(help="Manage the gazetteer that places are resolved against.")
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("install")
def gazetteer_install(
    sources: Annotated[
        list[str], typer.Argument(help="GeoNames dump files or URLs (allCountries.zip, IQ.zip, …).")
    ],
    target: Annotated[Path | None, typer.Option(help="Where to write the index.")] = None,
) -> None:
    """Build a full-GeoNames gazetteer from dump files; use it with SITREP_GAZETTEER=PATH."""
    for source in sources:
        if "://" not in source and not Path(source).exists():
            raise InputError(Code.UNREADABLE, f"{source}: no such file")
    path = gazetteer.install(sources, target or gazetteer.cache_dir() / "geonames.pkl")
    out.print(f"gazetteer written to {path}; use it with SITREP_GAZETTEER={path}")


@gazetteer_app.command("missing")
def gazetteer_missing(
    db: DbOption = Path(DEFAULT_DB),
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language.")] = None,
    top: Annotated[int, typer.Option(help="Show the most frequent this many.")] = 50,
    tsv: Annotated[
        bool, typer.Option("--tsv", help="Tab-separated rows instead of a table.")
    ] = False,
) -> None:
    """Place names recognised but not resolved in the stored articles, most frequent first."""
    _require_db(db)
    with open_store(db) as store:
        names = missing_places(store.analyses(), language=lang)[:top]
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


@app.command()
def schema() -> None:
    """Print the JSON schema of `sitrep analyze --json` output."""
    sys.stdout.write(json.dumps(Analysis.model_json_schema(), indent=2) + "\n")


def _print_json(path: Path, score: Callable[[], object]) -> None:
    """Check that the gold file exists, score it and print the result as one JSON object."""
    if not path.exists():
        raise InputError(Code.UNREADABLE, f"{path}: no such file or directory")
    sys.stdout.write(json.dumps(score(), indent=2) + "\n")


def _write_details(output: Path | None, details: list[dict] | None) -> None:
    """Per-item results of an evaluation as JSON Lines, for reading its errors."""
    if output is not None and details is not None:
        output.write_text(
            "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in details), "utf-8"
        )


def _require_db(db: Path) -> None:
    if not db.exists():
        raise UsageError(
            Code.NO_DATABASE, f"{db}: no database here; run `sitrep run PATH` first or pass --db"
        )


def main() -> None:
    """Entry point: run the app and turn errors into one line and an exit code."""
    try:
        app()
    except SitrepError as exc:
        if _state["debug"]:
            raise
        err.print(f"error: {exc}")
        sys.exit(exc.exit_code)
    except Exception as exc:  # a bug: say so in one line
        if _state["debug"]:
            raise
        err.print(f"error: internal error: {type(exc).__name__}: {exc} (rerun with --debug)")
        sys.exit(1)
