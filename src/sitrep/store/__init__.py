"""Storage behind one interface: SQLite embedded by default (`sitrep.db`).

`open_store` takes a path (or `sqlite:///path`) and returns a migrated, ready store.
"""

from __future__ import annotations

from pathlib import Path

from sitrep.errors import Code, UsageError
from sitrep.store.base import ArticleRow, EventFilter, EventRow, Outcome, Store
from sitrep.store.sqlite import SQLiteStore

DEFAULT_DB = "sitrep.db"


def open_store(target: str | Path = DEFAULT_DB) -> Store:
    """Open (creating and migrating when needed) the database at `target`."""
    text = str(target)
    if text.startswith(("postgres://", "postgresql://")):
        raise UsageError(
            Code.NOT_SUPPORTED, "PostgreSQL is not supported yet; use a SQLite file path"
        )
    return SQLiteStore(text.removeprefix("sqlite:///"))


__all__ = [
    "DEFAULT_DB",
    "ArticleRow",
    "EventFilter",
    "EventRow",
    "Outcome",
    "SQLiteStore",
    "Store",
    "open_store",
]
