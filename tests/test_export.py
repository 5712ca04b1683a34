"""Exports: ACLED's 31 columns, valid GeoJSON, background events left out unless asked."""

from __future__ import annotations

import csv
import io
import json

import pytest

from sitrep import export
from sitrep.export.acled import COLUMNS
from sitrep.export.countries import country
from sitrep.models import Analysis, Article, DateRange, Event, Evidence, Location
from sitrep.store import EventFilter, Outcome, SQLiteStore

TEXT = "Iraqi forces retook al-Qaim on Thursday. IS had overrun the town in 2014."


def _analysis() -> Analysis:
    article = Article(id="a1", source="seeds/x.txt", text=TEXT, language="en", site="example.org")
    retaken = Event(
        id="e1",
        event_type="Battles",
        sub_event_type="Government regains territory",
        actor1="Military Forces of Iraq (2014-)",
        actor2="Islamic State (Iraq)",
        inter1=1,
        inter2=2,
        location=Location(
            name="Al Qa'im", lat=34.37, lon=41.09, country="IQ", geo_precision=1, admin1="Anbar"
        ),
        date=DateRange(earliest="2017-11-02", latest="2017-11-02", precision="day"),
        time_precision=1,
        fatalities=None,
        confidence=0.9,
        evidence=[Evidence(sentence=(0, 40), trigger=(13, 19))],
    )
    history = Event(
        id="e2",
        event_type="Battles",
        sub_event_type="Non-state actor overtakes territory",
        actor1="Islamic State (Iraq)",
        location=Location(name="Al Qa'im", lat=34.37, lon=41.09, country="IQ", geo_precision=1),
        date=DateRange(earliest="2014-01-01", latest="2014-12-31", precision="year"),
        time_precision=3,
        background=True,
        confidence=0.7,
        evidence=[Evidence(sentence=(41, len(TEXT)))],
    )
    return Analysis(article=article, events=[retaken, history])


def test_export_acled_csv_has_acleds_31_columns_and_values() -> None:
    handle = io.StringIO()
    assert export.write("acled-csv", [_analysis()], handle) == 1
    rows = list(csv.DictReader(io.StringIO(handle.getvalue())))
    assert len(COLUMNS) == 31 and list(rows[0]) == list(COLUMNS)
    row = rows[0]
    assert row["event_id_cnty"] == "IRQ-e1"
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2017-11-02", "2017", "1")
    assert (row["disorder_type"], row["interaction"]) == ("Political violence", "12")
    assert (row["iso"], row["region"], row["country"]) == ("368", "Middle East", "Iraq")
    assert (row["location"], row["admin1"], row["geo_precision"]) == ("Al Qa'im", "Anbar", "1")
    assert row["notes"] == "Iraqi forces retook al-Qaim on Thursday."
    assert (row["source"], row["fatalities"]) == ("example.org", "0")


def test_export_background_only_when_asked() -> None:
    handle = io.StringIO()
    assert export.write("acled-csv", [_analysis()], handle, background=True) == 2
    assert "background" in handle.getvalue().splitlines()[2]


def test_export_geojson_is_a_feature_collection() -> None:
    handle = io.StringIO()
    export.write("geojson", [_analysis()], handle)
    data = json.loads(handle.getvalue())
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [41.09, 34.37]}
    assert feature["properties"]["evidence"] == ["Iraqi forces retook al-Qaim on Thursday."]


def test_export_events_are_indexed_and_filtered(db: SQLiteStore) -> None:
    db.save_batch(db.begin_run([]), [Outcome("x.txt", "d", analysis=_analysis())])
    assert [row.id for row in db.events()] == ["e1"]
    assert [row.id for row in db.events(EventFilter(background=True))] == ["e2", "e1"]
    assert db.events(EventFilter(event_type="Government regains territory"))[0].id == "e1"
    assert db.events(EventFilter(country="sy")) == []
    assert db.events(EventFilter(since="2017-11-03")) == []
    assert [row.id for row in db.events(EventFilter(actor="Iraq", until="2017-12-31"))] == ["e1"]
    surer = EventFilter(background=True, min_confidence=0.8)
    assert [row.id for row in db.events(surer)] == ["e1"]
    assert len(db.events(EventFilter(background=True, article_id="a1"))) == 2
    assert db.events(EventFilter(article_id="another")) == []


def test_export_leaves_out_events_below_the_confidence_asked_for() -> None:
    handle = io.StringIO()
    assert export.write("acled-csv", [_analysis()], handle, background=True) == 2
    handle = io.StringIO()
    written = export.write("acled-csv", [_analysis()], handle, True, min_confidence=0.8)
    assert written == 1 and "IRQ-e1" in handle.getvalue()
    handle = io.StringIO()
    export.write("jsonl", [_analysis()], handle, min_confidence=0.95)
    assert json.loads(handle.getvalue())["events"] == []


def test_export_events_table_labels_dates_as_analysts_write_them() -> None:
    from sitrep.cli.browse import date_label as _date_label

    assert _date_label("2017-11-02", "2017-11-02") == "2017-11-02"
    assert _date_label("2014-01-01", "2014-12-31") == "2014"
    assert _date_label("2017-12-01", "2017-12-31") == "2017-12"
    assert _date_label("2021-12-25", "2021-12-31") == "2021-12-25…2021-12-31"
    assert _date_label(None, None) == "-"


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        ("SY", "Syria", "Middle East"),
        ("TR", "Turkey", "Middle East"),
        ("IR", "Iran", "Middle East"),
        ("RU", "Russia", "Europe"),
        ("CD", "Democratic Republic of Congo", "Middle Africa"),
        ("PS", "Palestine", "Middle East"),
    ],
)
def test_export_country_names_as_acled_writes_them(code: str, name: str, region: str) -> None:
    facts = country(code)
    assert facts is not None and (facts.name, facts.region) == (name, region)


@pytest.mark.parametrize(
    ("outlet", "event_country", "scale"),
    [
        ("Guardian", "SY", "International"),  # a British outlet on Syria
        ("theguardian.com", "GB", "National"),
        ("www.spiegel.de", "IQ", "International"),
        ("Al Jazeera", "SY", "Regional"),  # a Qatari outlet on its own region
        ("Al Jazeera", "DE", "International"),
        ("Rudaw", "IQ", "Subnational"),  # Kurdistan's outlet at home
        ("SANA", "SY", "National"),
        ("The Daily Nowhere", "SY", ""),  # unknown outlets get no scale, not a guess
        ("Guardian", None, ""),
    ],
)
def test_export_source_scale_as_acled_codes_it(
    outlet: str, event_country: str | None, scale: str
) -> None:
    from sitrep.export.scale import source_scale

    assert source_scale(outlet, event_country) == scale


def test_export_parquet_in_acleds_columns_typed(tmp_path) -> None:
    import pyarrow.parquet as pq

    from sitrep.export import parquet

    analysis = _analysis()
    analysis.article.site = "Rudaw"
    path = tmp_path / "events.parquet"
    assert parquet.write([analysis], path, background=True) == 2
    table = pq.read_table(path)
    assert table.column_names == list(COLUMNS)
    rows = table.to_pylist()
    first = rows[0]
    assert first["event_date"].isoformat() == "2017-11-02" and first["year"] == 2017
    assert (first["latitude"], first["geo_precision"], first["fatalities"]) == (34.37, 1, 0)
    assert (first["source"], first["source_scale"]) == ("Rudaw", "Subnational")
    assert rows[1]["admin1"] is None  # unknown: null, not an empty string
    assert str(table.schema.field("event_date").type) == "date32[day]"
