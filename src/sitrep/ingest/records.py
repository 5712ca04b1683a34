"""Articles from structured dumps: JSON, JSON Lines and CSV.

Column names differ from scraper to scraper, so each field is looked up among the names
in `Settings` (text/body/content, title/headline, date/published, url/link), case-
insensitively. One broken line or row becomes a `Skipped` item; its neighbours are kept.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from sitrep.errors import Code
from sitrep.ingest.encoding import NotText, decode
from sitrep.models import Document, Problem, Skipped
from sitrep.settings import Settings


def _pick(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    """The first non-empty value among `names`, matching keys case-insensitively."""
    lowered = {str(key).strip().lower(): value for key, value in record.items()}
    for name in names:
        value = lowered.get(name)
        if value is not None and str(value).strip():
            return str(value)
    return None


def from_record(
    record: object, source: str, locator: str, settings: Settings, notes: list[Problem]
) -> Document | Skipped:
    """One record (a dict) to a Document, or a Skipped item that says what is missing."""
    where = f"{source}#{locator}"
    if not isinstance(record, dict):
        return Skipped(
            source=where,
            code=Code.BAD_RECORD,
            message=f"{where}: expected an object, got {type(record).__name__}",
        )
    text = _pick(record, settings.text_fields)
    if text is None:
        fields = ", ".join(settings.text_fields)
        return Skipped(
            source=where,
            code=Code.MISSING_COLUMN,
            message=f"{where}: no text field (looked for {fields}; set SITREP_TEXT_FIELDS)",
        )
    if len(text.encode("utf-8", errors="replace")) > settings.max_bytes:
        return Skipped(
            source=where,
            code=Code.TOO_LARGE,
            message=f"{where}: article text over the limit of {settings.max_bytes:,} bytes",
        )
    body = text.lstrip()
    return Document(
        source=source,
        locator=locator,
        content=text,
        format="html" if body[:1] == "<" and "</" in body[:5000] else "text",
        title=_pick(record, settings.title_fields),
        date=_pick(record, settings.date_fields),
        url=_pick(record, settings.url_fields),
        site=_pick(record, settings.site_fields),
        warnings=list(notes),
    )


class BadJson(ValueError):
    """JSON that cannot become a record, with a reason a user can act on."""


def parse_json(text: str) -> object:
    """`json.loads`, with the inputs that make it raise something other than a syntax error
    (nesting deeper than Python's recursion limit, integers past its digit limit) turned
    into `BadJson`, so one hostile file is skipped like any other bad one."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadJson(f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    except RecursionError as exc:
        raise BadJson("nested too deeply") from exc
    except ValueError as exc:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise BadJson("a number too long to read") from exc


def read_json(text: str, source: str, settings: Settings) -> Iterator[Document | Skipped]:
    """A JSON file: one article object, a list of them, or an object wrapping a list."""
    try:
        data = parse_json(text)
    except BadJson as exc:
        yield Skipped(
            source=source,
            code=Code.BAD_RECORD,
            message=f"{source}: not valid JSON ({exc})",
        )
        return
    if isinstance(data, dict):
        lists = [value for value in data.values() if isinstance(value, list)]
        has_text = _pick(data, settings.text_fields) is not None
        data = lists[0] if len(lists) == 1 and not has_text else [data]
    if not isinstance(data, list):
        data = [data]
    for index, record in enumerate(data):
        yield from_record(record, source, str(index), settings, [])


def read_jsonl(
    lines: Iterable[bytes], source: str, settings: Settings
) -> Iterator[Document | Skipped]:
    """JSON Lines, streamed: one article per line; blank lines are ignored, and a file of
    nothing but blank lines is reported as empty (it must not vanish without a word)."""
    empty = True
    for number, raw in enumerate(lines, start=1):
        locator = f"line{number}"
        if not raw.strip():
            continue
        empty = False
        try:
            decoded = decode(raw, f"{source}#{locator}")
            record = parse_json(decoded.text)
        except NotText as exc:
            yield Skipped(
                source=f"{source}#{locator}",
                code=Code.BINARY,
                message=f"{source}#{locator}: {exc.what}",
            )
            continue
        except BadJson as exc:
            yield Skipped(
                source=f"{source}#{locator}",
                code=Code.BAD_RECORD,
                message=f"{source} line {number}: not valid JSON ({exc})",
            )
            continue
        notes = [Problem(code=code, stage="ingest", message=msg) for code, msg in decoded.notes]
        yield from_record(record, source, locator, settings, notes)
    if empty:
        yield Skipped(source=source, code=Code.EMPTY, message=f"{source}: empty file (no records)")


def read_csv(stream: TextIO, source: str, settings: Settings) -> Iterator[Document | Skipped]:
    """CSV or TSV with a header row, streamed; the delimiter is sniffed from the first lines."""
    sample = stream.read(20_000) + stream.readline()  # end the sample on a line boundary
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(max(settings.max_bytes * 2, 1 << 20))
    reader = csv.DictReader(
        itertools.chain(io.StringIO(sample, newline=""), stream), dialect=dialect
    )
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if not any(name in header for name in settings.text_fields):
        fields = ", ".join(settings.text_fields)
        yield Skipped(
            source=source,
            code=Code.MISSING_COLUMN,
            message=f"{source}: no text column (header: {', '.join(header) or 'empty'}; "
            f"looked for {fields}; set SITREP_TEXT_FIELDS)",
        )
        return
    try:
        for number, row in enumerate(reader, start=1):
            row.pop(None, None)  # cells beyond the header
            yield from_record(row, source, f"row{number}", settings, [])
    except csv.Error as exc:
        yield Skipped(source=source, code=Code.BAD_RECORD, message=f"{source}: broken CSV ({exc})")
