"""The analyst's own places: a gap `sitrep gazetteer missing` shows is fixed with one
`sitrep gazetteer add`, and a name the analyst defines wins over the gazetteer's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep import geo
from sitrep.errors import InputError
from sitrep.geo import gazetteer as gaz
from sitrep.geo.own import OwnPlace, add_place, read_places, with_places

VILLAGE = (
    "Islamic State fighters attacked the village of Khirbet Zuwayqiyah near Deir ez-Zor in "
    "Syria on Monday, killing four soldiers. Residents of Khirbet Zuwayqiyah fled to Hasakah."
)
HEADER = "name\taliases\tlat\tlon\tcountry\tadmin1\tkind\n"


def _places(text: str, gazetteer: gaz.Gazetteer) -> dict[str, geo.Place]:
    return {place.mention: place for place in geo.find_places(text, "en", gazetteer)}


def test_own_place_fills_a_gap_and_wins_over_the_gazetteer() -> None:
    base = gaz.load()
    assert _places(VILLAGE, base)["Khirbet Zuwayqiyah"].lat is None
    own = with_places(
        base,
        [
            OwnPlace("Khirbet Zuwayqiyah", 35.2, 40.3, "village", ("Khirbat Zuwayqiya",), "SY"),
            OwnPlace("Tal Tamr", 36.0, 40.0, "city", (), "SY", "Al-Hasakah"),
        ],
    )
    found = _places(VILLAGE, own)
    village = found["Khirbet Zuwayqiyah"]
    assert (village.lat, village.lon, village.country, village.kind) == (
        35.2,
        40.3,
        "SY",
        "village",
    )
    assert found["Hasakah"].country == "SY"  # the gazetteer's own places are untouched
    # a name the analyst defines leads to their row and nothing else, however spelt
    assert [c.lat for c in own.lookup("Tal Tamr")] == [36.0]
    assert {round(c.lat, 1) for c in own.lookup("Khirbat Zuwayqiya")} == {35.2}
    assert {round(c.lat, 1) for c in own.lookup("Khirbet Zuwaiqiyah")} == {35.2}  # loosely
    assert len(base) + 2 == len(own) and base.lookup("Tal Tamr")[0].lat != 36.0


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("Camp X\t\t95\t40\tSY\t\tcamp\n", "no point at lat 95.0"),
        ("Camp X\t\tnorth\t40\tSY\t\tcamp\n", "could not convert"),
        ("Camp X\t\t35\t40\tSY\t\thamlet\n", "kind 'hamlet' is not one of"),
        ("Camp X\t\t35\t40\tSyria\t\tcamp\n", "two-letter ISO code"),
        ("\t\t35\t40\tSY\t\tcamp\n", "no name"),
    ],
)
def test_a_bad_row_names_its_line(tmp_path: Path, row: str, problem: str) -> None:
    path = tmp_path / "places.tsv"
    path.write_text("# my places\n" + HEADER + "Camp Y\t\t35\t40\tSY\t\tcamp\n" + row)
    with pytest.raises(InputError, match=problem) as error:
        read_places(path)
    assert "line 4" in str(error.value)


def test_a_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "places.tsv"
    path.write_text("place\tlatitude\nCamp X\t35\n")
    with pytest.raises(InputError, match="lacks name, lat, lon, kind"):
        read_places(path)


def test_add_place_writes_a_file_read_places_reads(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "places.tsv"
    add_place(path, OwnPlace("Al-Hol camp", 36.38, 41.15, "camp", ("al-Hawl camp",), "SY"))
    add_place(path, OwnPlace("Tal Baydar", 36.64, 40.83, "village", (), "SY", "Al-Hasakah"))
    assert [(p.name, p.aliases, p.kind) for p in read_places(path)] == [
        ("Al-Hol camp", ("al-Hawl camp",), "camp"),
        ("Tal Baydar", (), "village"),
    ]


def test_cli_add_then_resolved(tmp_path: Path) -> None:
    """The analyst's minute: the village `missing` lists (see test_gazetteer_missing) is
    put on the map with `add`, and the next analysis resolves it (the file is found through
    SITREP_PLACES)."""
    article = tmp_path / "village.txt"
    article.write_text(VILLAGE, encoding="utf-8")
    places = tmp_path / "places.tsv"
    env = {**os.environ, "SITREP_PLACES": str(places)}
    sitrep = [sys.executable, "-c", "from sitrep.cli import main; main()"]

    def run(*args: str) -> str:
        return subprocess.run(
            [*sitrep, *args], check=True, capture_output=True, text=True, env=env
        ).stdout

    said = run(
        "gazetteer", "add", "Khirbet Zuwayqiyah", "--lat", "35.2", "--lon", "40.3",
        "--country", "SY", "--kind", "village", "--note", "from a field report",
    )  # fmt: skip
    assert str(places) in said.replace("\n", "")
    run("run", str(article), "--db", str(tmp_path / "b.db"))
    assert "Khirbet Zuwayqiyah" not in run("gazetteer", "missing", "--db", str(tmp_path / "b.db"))
    assert read_places(places)[0].note == "from a field report"
