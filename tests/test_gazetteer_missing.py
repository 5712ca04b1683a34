"""`sitrep gazetteer missing`: the unresolved names of stored articles, most frequent first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sitrep import Settings, analyze
from sitrep.geo.missing import missing
from sitrep.models import Document

UNKNOWN = (
    "Islamic State fighters attacked the village of Khirbet Zuwayqiyah near Deir ez-Zor in "
    "Syria on Monday, killing four soldiers. Residents of Khirbet Zuwayqiyah fled to Hasakah."
)


def test_missing_counts_unresolved_names_with_an_example() -> None:
    settings = Settings(workers=1)
    one = analyze(Document(source="a.txt", content=UNKNOWN, format="text"), settings)
    other = analyze(
        Document(
            source="b.txt",
            content="Artillery shelled the village of Khirbet Zuwayqiyah in Syria.",
            format="text",
        ),
        settings,
    )
    names = missing([one, other])
    assert names[0].name == "Khirbet Zuwayqiyah"
    assert (names[0].count, names[0].articles) == (3, 2)
    assert "[Khirbet Zuwayqiyah]" in names[0].example and "no gazetteer entry" in names[0].reason
    assert all(n.name not in {"Deir ez-Zor", "Syria", "Hasakah"} for n in names)
    assert missing([one], language="de") == []


def test_cli_gazetteer_missing_reads_the_database(tmp_path: Path) -> None:
    article = tmp_path / "village.txt"
    article.write_text(UNKNOWN, encoding="utf-8")
    db = tmp_path / "s.db"
    sitrep = [sys.executable, "-c", "from sitrep.cli import main; main()"]
    subprocess.run([*sitrep, "run", str(article), "--db", str(db)], check=True, capture_output=True)
    done = subprocess.run(
        [*sitrep, "gazetteer", "missing", "--db", str(db), "--tsv"],
        check=True,
        capture_output=True,
        text=True,
    )
    header, first, *_ = done.stdout.splitlines()
    assert header.split("\t") == ["name", "count", "articles", "reason", "example"]
    assert first.split("\t")[:3] == ["Khirbet Zuwayqiyah", "2", "1"]
