"""Bytes to text: binary sniffing, encoding detection and mojibake repair.

Scraped news arrives as UTF-8, Latin-1, Windows-1252 or UTF-8 that was decoded wrongly
once already ("MÃ¤dchen"). We decode strictly as UTF-8 first, guess only when that
fails, and repair mojibake with ftfy restricted to encoding fixes, so that quotes and
other characters the reporting relies on are never rewritten.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

import charset_normalizer
import ftfy

from sitrep.errors import Code

# File signatures of formats that are never article text.
_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF87a": "GIF image",
    b"GIF89a": "GIF image",
    b"%PDF-": "PDF document",
    b"PK\x03\x04": "ZIP archive (also docx/xlsx/epub)",
    b"\x1f\x8b": "gzip archive",
    b"BZh": "bzip2 archive",
    b"\x7fELF": "executable",
    b"SQLite format 3\x00": "SQLite database",
    b"RIFF": "RIFF media file",
    b"\x00\x00\x01\x00": "icon",
}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Encoding fixes only: no quote uncurling, no width or ligature changes, no normalisation.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    normalization=None,
    explain=False,
)


@dataclass
class Decoded:
    """Text plus what it took to get it, as (code, message) notes for the article."""

    text: str
    encoding: str
    notes: list[tuple[str, str]] = field(default_factory=list)


class NotText(ValueError):
    """The bytes are a known binary format or contain control bytes text never has."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def sniff_binary(head: bytes) -> str | None:
    """Name the binary format of `head` (the first few KB), or None if it may be text."""
    if head.startswith(_UTF16_BOMS):
        return None
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return what
    sample = head[:8192]
    if b"\x00" in sample:
        return "binary data (NUL bytes)"
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 27))
    if sample and controls / len(sample) > 0.05:
        return "binary data (control bytes)"
    return None


def guess_encoding(data: bytes) -> str:
    """The encoding of bytes that are not valid UTF-8, preferring Windows-1252 on ties."""
    if data.startswith(_UTF16_BOMS):
        return "utf-16"
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    guess = best.encoding if best is not None else "cp1252"
    try:
        if data.decode("cp1252") == data.decode(guess):
            return "cp1252"
    except (UnicodeDecodeError, LookupError):
        pass
    return guess


def repair(text: str) -> tuple[str, bool]:
    """Undo mojibake ("MÃ¤dchen" -> "Mädchen"); True when something was changed."""
    fixed = ftfy.fix_text(text, _FTFY)
    return fixed, fixed != text


def decode(data: bytes, name: str) -> Decoded:
    """Decode one item's bytes; raises `NotText` for binary input."""
    what = sniff_binary(data[:8192])
    if what is not None:
        raise NotText(what)
    try:
        text, encoding, notes = data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError as exc:
        encoding = guess_encoding(data)
        text = data.decode(encoding, errors="replace")
        notes = [
            (
                Code.ENCODING_GUESSED,
                f"{name}: not valid UTF-8 (byte {exc.start}); decoded as {encoding}",
            )
        ]
    text, repaired = repair(text)
    if repaired:
        notes.append((Code.MOJIBAKE_REPAIRED, f"{name}: repaired mis-decoded characters"))
    return Decoded(text=text, encoding=encoding, notes=notes)
