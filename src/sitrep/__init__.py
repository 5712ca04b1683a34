"""Sitrep: multilingual news to a sourced record of conflict events — what, where, when.

The Python API: `analyze` one document, `run` a batch into a store, `read_paths` to
ingest, `open_store` for the database, and the records of the JSON contract.
"""

from sitrep import _threads  # noqa: F401  (first: it must run before numpy loads)
from sitrep.ingest import read_paths
from sitrep.models import Analysis, Article, Document, Problem, Published, Sentence, Skipped
from sitrep.pipeline import RunSummary, analyze, run
from sitrep.settings import Settings
from sitrep.store import Store, open_store

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Article",
    "Document",
    "Problem",
    "Published",
    "RunSummary",
    "Sentence",
    "Settings",
    "Skipped",
    "Store",
    "__version__",
    "analyze",
    "open_store",
    "read_paths",
    "run",
]
