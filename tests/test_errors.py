"""Problem codes are unique, and every code the source raises or records is in the table."""

from __future__ import annotations

import re
from pathlib import Path

from sitrep.errors import Code

SRC = Path(__file__).resolve().parents[1] / "src" / "sitrep"


def test_errors_codes_are_unique_and_well_formed() -> None:
    values = [code.value for code in Code]
    assert len(values) == len(set(values))
    assert all(re.fullmatch(r"[ICLGPUS]\d{3}", value) for value in values)


def test_errors_no_code_is_written_as_a_bare_string() -> None:
    bare = re.compile(r"\"[ICLGPUS]\d{3}\"")
    offenders = [
        f"{path.relative_to(SRC)}: {match.group()}"
        for path in SRC.rglob("*.py")
        if path.name != "errors.py"
        for match in bare.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
