"""Ingest: every format, and every kind of bad input named in one precise message."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.ingest import read_paths
from sitrep.models import Document, Skipped
from sitrep.settings import Settings

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def _read(settings: Settings, *paths: Path) -> tuple[list[Document], list[Skipped]]:
    items = list(read_paths([str(path) for path in paths], settings))
    return (
        [item for item in items if isinstance(item, Document)],
        [item for item in items if isinstance(item, Skipped)],
    )


def test_ingest_reads_seed_directory(seeds: Path, settings: Settings) -> None:
    documents, skipped = _read(settings, seeds)
    assert [Path(doc.source).name[:3] for doc in documents] == ["000", "001", "002", "003", "004"]
    assert not skipped
    assert documents[1].content.startswith("Irakische Streitkräfte")
    assert all(doc.format == "text" and not doc.warnings for doc in documents)


def test_ingest_empty_and_binary_files_are_named(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n ")
    (tmp_path / "image.txt").write_bytes(PNG + bytes(range(256)))
    (tmp_path / "good.txt").write_text("Kämpfe in Mossul.", encoding="utf-8")
    (tmp_path / "blank.jsonl").write_bytes(b"\n  \n\n")
    documents, skipped = _read(settings, tmp_path)
    assert [doc.content for doc in documents] == ["Kämpfe in Mossul."]
    messages = {Path(item.source).name: (item.code, item.message) for item in skipped}
    assert messages["empty.txt"][0] == "I001" and "empty file" in messages["empty.txt"][1]
    assert messages["blank.txt"][0] == "I001"
    assert messages["blank.jsonl"][0] == "I001"  # a dump of no records is named too
    assert messages["image.txt"] == ("I002", f"{tmp_path / 'image.txt'}: not text (PNG image)")


def test_ingest_huge_file_is_skipped_before_reading(tmp_path: Path, settings: Settings) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.write(b"Mosul " * (50_000_000 // 6))
    (tmp_path / "small.txt").write_text("Basra is in Iraq.")
    documents, skipped = _read(settings, tmp_path)
    assert [doc.content for doc in documents] == ["Basra is in Iraq."]
    assert skipped[0].code == "I003"
    assert "huge.txt: 49,999,998 bytes is over the limit of 5,000,000 bytes" in skipped[0].message


def test_ingest_invalid_utf8_is_decoded_with_a_note(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(
        "Die Kämpfer zogen sich über den Euphrat zurück – „endgültig“.".encode("cp1252")
    )
    (document,), _ = _read(settings, path)
    assert document.content == "Die Kämpfer zogen sich über den Euphrat zurück – „endgültig“."
    assert document.warnings[0].code == "I007"
    assert "not valid UTF-8" in document.warnings[0].message
    assert "cp1252" in document.warnings[0].message


def test_ingest_repairs_mojibake(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "mojibake.txt"
    path.write_text("Die KÃ¤mpfer in MossulÂ â€“ Bagdad", encoding="utf-8")
    (document,), _ = _read(settings, path)
    assert document.content.startswith("Die Kämpfer in Mossul")
    assert "–" in document.content
    assert [note.code for note in document.warnings] == ["I008"]


def test_ingest_html_and_markdown_formats(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "a.html").write_text("<html><body><p>Text</p></body></html>")
    (tmp_path / "b.md").write_text("# Title\n\nBody")
    (tmp_path / "c.dat").write_text("<!DOCTYPE html><html><body>x</body></html>")
    documents, skipped = _read(settings, tmp_path / "a.html", tmp_path / "b.md", tmp_path / "c.dat")
    assert [doc.format for doc in documents] == ["html", "markdown", "html"]
    assert not skipped


def test_ingest_jsonl_keeps_good_lines_around_a_broken_one(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "dump.jsonl"
    lines = [
        json.dumps({"title": "One", "text": "First article.", "published": "2019-03-01"}),
        '{"title": "Broken", "text": "no closing brace"',
        "",
        json.dumps({"headline": "Three", "body": "Third article.", "link": "https://x.example/3"}),
        json.dumps(["not", "an", "object"]),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    documents, skipped = _read(settings, path)
    assert [(doc.locator, doc.title, doc.content) for doc in documents] == [
        ("line1", "One", "First article."),
        ("line4", "Three", "Third article."),
    ]
    assert documents[0].date == "2019-03-01" and documents[1].url == "https://x.example/3"
    assert [(item.source, item.code) for item in skipped] == [
        (f"{path}#line2", "I005"),
        (f"{path}#line5", "I005"),
    ]
    assert "line 2: not valid JSON" in skipped[0].message


def test_ingest_csv_with_custom_and_missing_columns(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text('date,headline,story\n2019-04-10,"A, B","Text one"\n2019-04-11,C,\n')
    bad = tmp_path / "bad.csv"
    bad.write_text("id,author\n1,someone\n")
    settings = Settings(workers=1, text_fields=("story",))
    documents, skipped = _read(settings, good, bad)
    assert [(doc.title, doc.content, doc.date) for doc in documents] == [
        ("A, B", "Text one", "2019-04-10")
    ]
    assert [item.code for item in skipped] == ["I006", "I006"]
    assert skipped[0].source == f"{good}#row2"
    assert "no text column (header: id, author" in skipped[1].message


def test_ingest_json_list_and_wrapped_list(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "list.json").write_text(json.dumps([{"content": "A."}, {"content": "B."}]))
    (tmp_path / "wrapped.json").write_text(json.dumps({"articles": [{"text": "C."}]}))
    (tmp_path / "broken.json").write_text("{")
    documents, skipped = _read(settings, tmp_path)
    assert [doc.content for doc in documents] == ["A.", "B.", "C."]
    assert skipped[0].code == "I005" and "broken.json: not valid JSON" in skipped[0].message


def test_ingest_hostile_json_is_skipped_and_the_rest_is_read(
    tmp_path: Path, settings: Settings
) -> None:
    """Nesting past Python's recursion limit and integers past its digit limit make
    `json.loads` raise other errors than a syntax error; each costs only its own file."""
    (tmp_path / "a_deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "b_number.json").write_text('{"text": ' + "9" * 10_000 + "}")
    (tmp_path / "c_lines.jsonl").write_text(
        "[" * 100_000 + "]" * 100_000 + "\n" + json.dumps({"text": "Kept."}) + "\n"
    )
    (tmp_path / "d_good.json").write_text(json.dumps({"text": "Also kept."}))
    documents, skipped = _read(settings, tmp_path)
    assert [doc.content for doc in documents] == ["Kept.", "Also kept."]
    assert [(Path(item.source).name, item.code) for item in skipped] == [
        ("a_deep.json", "I005"),
        ("b_number.json", "I005"),
        ("c_lines.jsonl#line1", "I005"),
    ]
    assert "nested too deeply" in skipped[0].message
    assert "number too long" in skipped[1].message


def test_ingest_unreadable_files_and_directories(tmp_path: Path, settings: Settings) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file; permissions cannot make one unreadable")
    locked = tmp_path / "locked.txt"
    locked.write_text("secret")
    locked.chmod(0)
    folder = tmp_path / "closed"
    folder.mkdir()
    folder.chmod(0)
    (tmp_path / "ok.txt").write_text("Open text.")
    try:
        documents, skipped = _read(settings, tmp_path)
    finally:
        locked.chmod(0o644)
        folder.chmod(0o755)
    assert [doc.content for doc in documents] == ["Open text."]
    assert {item.code for item in skipped} == {"I004"}
    assert len(skipped) == 2


def test_ingest_broken_symlink_and_other_files_are_reported(
    tmp_path: Path, settings: Settings
) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "photo.png").write_bytes(PNG)
    (tmp_path / "ok.txt").write_text("Open text.")
    documents, skipped = _read(settings, tmp_path)
    assert [doc.content for doc in documents] == ["Open text."]
    assert {(Path(item.source).name, item.code) for item in skipped} == {
        ("gone.txt", "I004"),
        ("loop.txt", "I004"),
        ("photo.png", "I009"),
    }


def test_ingest_missing_path_is_an_input_error(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        list(read_paths([str(tmp_path / "nope")], settings))
