"""What every `sitrep` command shares: the consoles, the common options and small helpers.

Kept light on purpose: this module and the command modules import only typer and rich at
load time, and reach for the pipeline, the store or the scorers inside the commands, so
that `sitrep --help` does not pay for spaCy and the models (`benchmarks/cli_start.py`).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from sitrep.errors import Code, InputError, UsageError
from sitrep.eval.corpora import DEFAULT_DATA
from sitrep.store import DEFAULT_DB

if TYPE_CHECKING:
    from sitrep.settings import Settings

__all__ = [
    "DEFAULT_DATA",
    "DEFAULT_DB",
    "DateOption",
    "DbOption",
    "LangOption",
    "MinConfidenceOption",
    "date_label",
    "err",
    "log_to_stderr",
    "out",
    "parse_date",
    "print_json",
    "require_db",
    "settings_from",
    "state",
    "write_details",
]

err = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 120)
state = {"debug": False}

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        help="SQLite database file, or a PostgreSQL URL (postgresql://user@host/db).",
        envvar="SITREP_DB",
    ),
]
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


def parse_date(text: str | None, option: str) -> date | None:
    """An ISO date given on the command line, or a usage error naming the option."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            Code.BAD_DATE_OPTION, f"{option} {text!r} is not a date like 2021-12-31"
        ) from None


def settings_from(
    date_text: str | None, lang: str | None, option: str = "--date", **extra: object
) -> Settings:
    """Settings from the environment and the common options."""
    from sitrep.settings import Settings

    user_date = parse_date(date_text, option)
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


def log_to_stderr(level: int) -> None:
    """Sitrep's own log lines (slow one-off steps, say) go to stderr, one line each."""
    logger = logging.getLogger("sitrep")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("sitrep: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)


def require_db(db: str) -> None:
    """A usage error when the database file the command reads does not exist yet (a
    server's database is created by connecting)."""
    from sitrep.store import is_server

    if not is_server(db) and not Path(db).exists():
        raise UsageError(
            Code.NO_DATABASE, f"{db}: no database here; run `sitrep run PATH` first or pass --db"
        )


def print_json(path: Path, score: Callable[[], object]) -> None:
    """Check that the gold file exists, score it and print the result as one JSON object."""
    if not path.exists():
        raise InputError(Code.UNREADABLE, f"{path}: no such file or directory")
    sys.stdout.write(json.dumps(score(), indent=2) + "\n")


def write_details(output: Path | None, details: list[dict] | None) -> None:
    """Per-item results of an evaluation as JSON Lines, for reading its errors."""
    if output is not None and details is not None:
        output.write_text(
            "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in details), "utf-8"
        )


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
