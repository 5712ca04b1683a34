"""Storage behind one interface: SQLite embedded by default (`sitrep.db`), PostgreSQL
for a team server (`postgresql://user@host/db`).

`open_store` takes a path (or `sqlite:///path`) or a PostgreSQL URL and returns a
migrated, ready store. The backends and the row records load on first use, so that naming
`DEFAULT_DB` (the CLI's option defaults) costs nothing at start-up.
"""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from sitrep.errors import Code, UsageError

if TYPE_CHECKING:
    from sitrep.store.base import (
        ArticleRow,
        EventFilter,
        EventRow,
        EventSummary,
        MapPoint,
        Outcome,
        SearchHit,
        SearchQuery,
        Store,
        StoryArticle,
        StoryRow,
    )
    from sitrep.store.postgres import PostgresStore
    from sitrep.store.sqlite import SQLiteStore

DEFAULT_DB = "sitrep.db"
_LAZY = {
    "ArticleRow": "sitrep.store.base",
    "EventFilter": "sitrep.store.base",
    "EventRow": "sitrep.store.base",
    "EventSummary": "sitrep.store.base",
    "MapPoint": "sitrep.store.base",
    "SearchHit": "sitrep.store.base",
    "SearchQuery": "sitrep.store.base",
    "Outcome": "sitrep.store.base",
    "Store": "sitrep.store.base",
    "StoryArticle": "sitrep.store.base",
    "StoryRow": "sitrep.store.base",
    "SQLiteStore": "sitrep.store.sqlite",
    "PostgresStore": "sitrep.store.postgres",
}
SERVER_SCHEMES = ("postgres://", "postgresql://")


def is_server(target: str | Path) -> bool:
    """Whether `target` names a database server (a URL), not a file."""
    return str(target).startswith(SERVER_SCHEMES)


def open_store(target: str | Path = DEFAULT_DB) -> Store:
    """Open (creating and migrating when needed) the database at `target`. A SQLite
    writer waits `$SITREP_LOCK_WAIT` seconds (30) for another program's lock."""
    text = str(target)
    if is_server(text):
        try:
            from sitrep.store.postgres import PostgresStore
        except ImportError:
            raise UsageError(
                Code.NOT_SUPPORTED,
                "PostgreSQL needs psycopg: pip install 'sitrep[postgres]'",
            ) from None
        return PostgresStore(text)
    from sitrep.store.sqlite import LOCK_WAIT_SECONDS, SQLiteStore

    wait = os.environ.get("SITREP_LOCK_WAIT")
    try:
        lock_wait = float(wait) if wait else LOCK_WAIT_SECONDS
    except ValueError:
        raise UsageError(
            Code.BAD_SETTING, f"SITREP_LOCK_WAIT={wait!r} is not a number of seconds"
        ) from None
    return SQLiteStore(text.removeprefix("sqlite:///"), lock_wait=lock_wait)


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sitrep.store' has no attribute {name!r}")


__all__ = [
    "DEFAULT_DB",
    "ArticleRow",
    "EventFilter",
    "EventRow",
    "EventSummary",
    "MapPoint",
    "Outcome",
    "PostgresStore",
    "SQLiteStore",
    "SearchHit",
    "SearchQuery",
    "Store",
    "StoryArticle",
    "StoryRow",
    "is_server",
    "open_store",
]
