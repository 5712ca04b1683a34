"""Coded messages and the exception tree.

Every message a user can see carries a stable code, the way spaCy's `Errors.E001` does,
so that a warning in a batch summary can be looked up and tested.

Exception tree::

    SitrepError            one clear line for the user; the CLI exits 2 (usage) or 1
    ├── UsageError         bad arguments or settings
    ├── InputError         an input cannot be read at all (missing path, unreadable dir)
    ├── StoreError         the database cannot be opened, migrated, read or written
    └── Interrupted        Ctrl-C during a run (exit 130); committed batches are kept

Per-article problems are not exceptions: they become `Problem` records on the article
(or on the run, for items that never became an article).
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Stable codes. I ingest, C clean, L language, G geo, P pipeline, U usage, S store.

    Codes are never reused for another meaning; `sitrep` summaries name them.
    """

    EMPTY = "I001"
    BINARY = "I002"
    TOO_LARGE = "I003"
    UNREADABLE = "I004"
    BAD_RECORD = "I005"
    MISSING_COLUMN = "I006"
    ENCODING_GUESSED = "I007"
    MOJIBAKE_REPAIRED = "I008"
    UNSUPPORTED_FORMAT = "I009"
    NO_MAIN_TEXT = "C001"
    BAD_DATE = "C002"
    NO_DATE = "C003"
    DATE_CONFLICT = "C004"
    FLAT_TEXT = "C005"
    LANGUAGE_UNKNOWN = "L001"
    LANGUAGE_UNSUPPORTED = "L002"
    LANGUAGE_MIXED = "L003"
    LANGUAGE_MISMATCH = "L004"
    TEXT_CUT = "G001"
    STAGE_FAILED = "P001"
    INTERRUPTED = "P002"
    WORKER_DIED = "P003"  # every worker process given an article died analysing it
    BAD_SETTING = "U001"
    NOT_SUPPORTED = "U002"
    BAD_DATE_OPTION = "U003"
    NO_DATABASE = "U004"
    EXCLUSIVE_OPTIONS = "U005"
    NOT_FOUND = "U006"
    CLUSTER_UNREACHABLE = "U007"
    STORE_UNREADABLE = "S001"
    STORE_FAILED = "S002"  # a read or write refused: disk full, read-only, locked, server gone


class SitrepError(Exception):
    """An error the user must see as one line (no traceback unless --debug)."""

    exit_code = 1

    def __init__(self, code: Code | str, message: str) -> None:
        super().__init__(f"[{code}] {message}")
        self.code = str(code)
        self.message = message


class UsageError(SitrepError):
    """Bad arguments or settings."""

    exit_code = 2


class InputError(SitrepError):
    """An input path cannot be read at all."""


class StoreError(SitrepError):
    """The database cannot be opened, created or migrated, or refused a read or write."""


class Interrupted(SitrepError):
    """The user stopped a run; what was committed stays, a rerun resumes."""

    exit_code = 130
