"""Paths to Documents: files, directories (recursive) and standard input.

Every item that cannot become an article is yielded as `Skipped` with a message naming
it; reading never raises for one bad file, so a batch always goes on.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from sitrep.errors import Code, InputError
from sitrep.ingest.encoding import NotText, decode, guess_encoding, sniff_binary
from sitrep.ingest.records import read_csv, read_json, read_jsonl
from sitrep.models import Document, Problem, Skipped
from sitrep.settings import Settings

ARTICLE_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
RECORD_FORMATS = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
}
# A dump of many articles may be far larger than one article; it is streamed (JSON excepted).
MAX_DUMP_BYTES = 2_000_000_000


def read_paths(paths: list[str], settings: Settings) -> Iterator[Document | Skipped]:
    """Every article under `paths` (files, directories, or "-" for stdin), in a stable order."""
    for name in paths:
        if name == "-":
            yield from _read_stdin(settings)
            continue
        path = Path(name)
        if path.is_dir():
            yield from _read_dir(path, settings)
        elif path.exists():
            yield from read_file(path, settings)
        else:
            raise InputError(Code.UNREADABLE, f"{name}: no such file or directory")


def _read_dir(root: Path, settings: Settings) -> Iterator[Document | Skipped]:
    """Files below `root` with a known extension, sorted; unreadable folders are reported."""

    def on_error(exc: OSError) -> None:
        skipped.append(
            Skipped(
                source=str(exc.filename),
                code=Code.UNREADABLE,
                message=f"{exc.filename}: cannot list directory ({exc.strerror})",
            )
        )

    skipped: list[Skipped] = []
    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs.sort()
        yield from skipped
        skipped.clear()
        for file in sorted(files):
            path = Path(folder, file)
            if file.startswith("."):
                continue
            suffix = path.suffix.lower()
            if suffix in ARTICLE_FORMATS or suffix in RECORD_FORMATS:
                yield from read_file(path, settings)
            else:
                yield Skipped(
                    source=str(path),
                    code=Code.UNSUPPORTED_FORMAT,
                    message=f"{path}: not an article format ({suffix or 'no extension'})",
                )
    yield from skipped


def read_file(path: Path, settings: Settings) -> Iterator[Document | Skipped]:
    """One file by its extension; an unknown extension is read as text if it is text."""
    source = str(path)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        limit = MAX_DUMP_BYTES if suffix in RECORD_FORMATS else settings.max_bytes
        if size > limit:
            yield Skipped(
                source=source,
                code=Code.TOO_LARGE,
                message=f"{source}: {size:,} bytes is over the limit of {limit:,} bytes "
                "(raise SITREP_MAX_BYTES to read it)",
            )
            return
        with path.open("rb") as handle:
            if suffix in RECORD_FORMATS:
                yield from _read_dump(handle, RECORD_FORMATS[suffix], source, settings)
            else:
                yield _to_document(handle.read(), source, ARTICLE_FORMATS.get(suffix), settings)
    except OSError as exc:
        yield Skipped(
            source=source,
            code=Code.UNREADABLE,
            message=f"{source}: cannot read ({exc.strerror or exc})",
        )
    except Exception as exc:  # a reader's failure on one hostile file costs that file only
        yield Skipped(
            source=source,
            code=Code.BAD_RECORD,
            message=f"{source}: could not be read ({type(exc).__name__}: {exc})"[:300],
        )


def _read_dump(
    handle: BinaryIO, kind: str, source: str, settings: Settings
) -> Iterator[Document | Skipped]:
    """A file of many articles. JSON Lines is decoded line by line, CSV as a stream."""
    head = handle.read(65_536)
    what = sniff_binary(head)
    if what is not None:
        yield Skipped(source=source, code=Code.BINARY, message=f"{source}: not text ({what})")
        return
    handle.seek(0)
    if kind == "jsonl":
        yield from read_jsonl(handle, source, settings)
        return
    if kind == "json":
        try:
            yield from read_json(decode(handle.read(), source).text, source, settings)
        except NotText as exc:
            yield Skipped(
                source=source, code=Code.BINARY, message=f"{source}: not text ({exc.what})"
            )
        return
    try:
        head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        # A cut in the middle of a multi-byte character at the end of the sample is fine.
        encoding = "utf-8-sig" if exc.start > len(head) - 4 else guess_encoding(head)
    with io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="") as stream:
        yield from read_csv(stream, source, settings)


def _to_document(
    data: bytes, source: str, fmt: str | None, settings: Settings
) -> Document | Skipped:
    """The bytes of one article file to a Document (format sniffed when unknown)."""
    if not data.strip():
        return Skipped(source=source, code=Code.EMPTY, message=f"{source}: empty file")
    try:
        decoded = decode(data, source)
    except NotText as exc:
        return Skipped(source=source, code=Code.BINARY, message=f"{source}: not text ({exc.what})")
    text = decoded.text
    if not text.strip():
        return Skipped(source=source, code=Code.EMPTY, message=f"{source}: no text")
    if fmt is None:
        start = text.lstrip()[:1000].lower()
        fmt = (
            "html" if start.startswith(("<!doctype html", "<html")) or "<body" in start else "text"
        )
    notes = [Problem(code=code, stage="ingest", message=message) for code, message in decoded.notes]
    return Document(source=source, content=text, format=fmt, warnings=notes)  # type: ignore[arg-type]


def _read_stdin(settings: Settings) -> Iterator[Document | Skipped]:
    """Standard input: one article, or JSON Lines when every line is a JSON object."""
    data = sys.stdin.buffer.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        yield Skipped(
            source="<stdin>",
            code=Code.TOO_LARGE,
            message=f"<stdin>: over the limit of {settings.max_bytes:,} bytes",
        )
        return
    lines = [line for line in data.splitlines() if line.strip()]
    if lines and all(
        line.lstrip().startswith(b"{") and line.rstrip().endswith(b"}") for line in lines
    ):
        yield from read_jsonl(iter(data.splitlines()), "<stdin>", settings)
    else:
        yield _to_document(data, "<stdin>", None, settings)
