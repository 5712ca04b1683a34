"""Storage behind one interface: SQLite embedded by default (`sitrep.db`).

`open_store` takes a path (or `sqlite:///path`) and returns a migrated, ready store. The
backend and the row records load on first use, so that naming `DEFAULT_DB` (the CLI's
option defaults) costs nothing at start-up.
"""

from __future__ import annotations

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
}


def open_store(target: str | Path = DEFAULT_DB) -> Store:
    """Open (creating and migrating when needed) the database at `target`."""
    from sitrep.store.sqlite import SQLiteStore

    text = str(target)
    if text.startswith(("postgres://", "postgresql://")):
        raise UsageError(
            Code.NOT_SUPPORTED, "PostgreSQL is not supported yet; use a SQLite file path"
        )
    return SQLiteStore(text.removeprefix("sqlite:///"))


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
    "SQLiteStore",
    "SearchHit",
    "SearchQuery",
    "Store",
    "StoryArticle",
    "StoryRow",
    "open_store",
]
