"""Sitrep: multilingual news to a sourced record of conflict events — what, where, when.

The Python API: `analyze` one document, `run` a batch into a store, `read_paths` to
ingest, `open_store` for the database, and the records of the JSON contract. The names
load on first use (PEP 562), so `import sitrep` — and every `sitrep` command — does not
pay for spaCy and the models until something is analysed.
"""

from importlib import import_module

from sitrep import _threads  # noqa: F401  (first: it must run before numpy loads)

__version__ = "0.1.0"

_HOMES = {
    "Analysis": "sitrep.models",
    "Article": "sitrep.models",
    "Document": "sitrep.models",
    "Problem": "sitrep.models",
    "Published": "sitrep.models",
    "RunSummary": "sitrep.pipeline",
    "Sentence": "sitrep.models",
    "Settings": "sitrep.settings",
    "Skipped": "sitrep.models",
    "Store": "sitrep.store",
    "analyze": "sitrep.pipeline",
    "open_store": "sitrep.store",
    "read_paths": "sitrep.ingest",
    "run": "sitrep.pipeline",
}


def __getattr__(name: str) -> object:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'sitrep' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


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
