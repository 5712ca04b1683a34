"""Exports of stored analyses: JSON Lines (the contract), ACLED-column CSV, GeoJSON (and
Parquet in ACLED's columns, `sitrep.export.parquet`, which writes a file, not a stream).

`write(fmt, analyses, handle)` is the one entry point; background events (history told in
passing) are left out of the event exports unless `background=True`, and events whose
type the classifier is less sure of than `min_confidence` are left out of every format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

from sitrep.export import acled, geojson
from sitrep.models import Analysis


def _jsonl(analyses: Iterable[Analysis], handle: TextIO, background: bool = False) -> int:
    """One contract object per article (all events, background ones included)."""
    count = 0
    for analysis in analyses:
        handle.write(analysis.model_dump_json() + "\n")
        count += 1
    return count


WRITERS: dict[str, Callable[..., int]] = {
    "jsonl": _jsonl,
    "acled-csv": acled.write,
    "geojson": geojson.write,
}


def write(
    fmt: str,
    analyses: Iterable[Analysis],
    handle: TextIO,
    background: bool = False,
    min_confidence: float = 0.0,
) -> int:
    """Write `analyses` as `fmt` to `handle`; returns the number of records written."""
    if min_confidence > 0:
        analyses = (confident(analysis, min_confidence) for analysis in analyses)
    return WRITERS[fmt](analyses, handle, background=background)


def confident(analysis: Analysis, min_confidence: float) -> Analysis:
    """The analysis with only the events whose type the classifier is this sure of."""
    events = [event for event in analysis.events if event.confidence >= min_confidence]
    return analysis.model_copy(update={"events": events})


__all__ = ["WRITERS", "confident", "write"]
