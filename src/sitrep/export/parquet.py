"""Events as a Parquet file in ACLED's columns, typed (dates as dates, counts as integers,
coordinates as floats, unknowns as nulls), for analysts who read ACLED's data with pandas,
polars or R's arrow. Needs pyarrow (`pip install "sitrep[parquet]"`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sitrep.errors import Code, UsageError
from sitrep.export import acled
from sitrep.models import Analysis

__all__ = ["write"]

INTEGERS = ("year", "time_precision", "inter1", "inter2", "iso", "geo_precision", "fatalities")
FLOATS = ("latitude", "longitude")


def _typed(row: dict[str, object]) -> dict[str, object]:
    """One CSV row with its values typed; empty cells become nulls."""
    typed: dict[str, object] = {}
    for name, value in row.items():
        if value == "":
            typed[name] = None
        elif name == "event_date":
            typed[name] = date.fromisoformat(str(value))
        elif name in INTEGERS:
            typed[name] = int(str(value))
        elif name in FLOATS:
            typed[name] = float(str(value))
        else:
            typed[name] = value
    return typed


def write(analyses: Iterable[Analysis], path: Path, background: bool = False) -> int:
    """Write every event (background history only when asked) to `path`; returns how
    many."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError(
            Code.NOT_SUPPORTED, 'Parquet needs pyarrow: pip install "sitrep[parquet]"'
        ) from None
    fields = []
    for name in acled.COLUMNS:
        kind = (
            pa.date32()
            if name == "event_date"
            else pa.int64()
            if name in (*INTEGERS, "timestamp")
            else pa.float64()
            if name in FLOATS
            else pa.string()
        )
        fields.append(pa.field(name, kind))
    stamp = int(time.time())
    rows = [
        _typed(acled.row(event, analysis, stamp))
        for analysis in analyses
        for event in analysis.events
        if background or not event.background
    ]
    table = pa.Table.from_pylist(rows, schema=pa.schema(fields))
    pq.write_table(table, path)
    return len(rows)
