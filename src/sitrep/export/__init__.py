"""Exports of stored analyses: JSON Lines (the contract), ACLED-column CSV, GeoJSON.

`write(fmt, analyses, handle)` is the one entry point; background events (history told in
passing) are left out of the event exports unless `background=True`.
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


def write(fmt: str, analyses: Iterable[Analysis], handle: TextIO, background: bool = False) -> int:
    """Write `analyses` as `fmt` to `handle`; returns the number of records written."""
    return WRITERS[fmt](analyses, handle, background=background)


__all__ = ["WRITERS", "write"]
