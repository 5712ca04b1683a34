"""`sitrep eval events`: the matching, the gold schema and the three scorers, on small sets
the tests write (real pipeline, real files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.eval import case2021, fakes
from sitrep.eval import events as scorer
from sitrep.eval.coding import Coded
from sitrep.eval.events import GoldError, validate_event
from sitrep.eval.matching import assign, same_date, same_event, same_place


def _coded(**changes: object) -> Coded:
    base: dict[str, object] = {
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of Russia",
        "actor2": None,
        "lat": 35.93,
        "lon": 36.63,
        "country": "SY",
        "admin1": "Idlib",
        "geo_precision": 1,
        "earliest": "2016-08-01",
        "latest": "2016-08-01",
        "fatalities": 12,
    }
    base.update(changes)
    return Coded(**base)  # type: ignore[arg-type]


def test_eval_matching_place_within_50_km_or_same_province_at_precision_3() -> None:
    gold = _coded()
    assert same_place(gold, _coded(lat=36.2, lon=36.63))  # about 30 km
    assert not same_place(gold, _coded(lat=36.2, lon=37.16))  # Aleppo, about 60 km
    province = _coded(geo_precision=3, admin1="Idlib Governorate")
    assert same_place(province, _coded(lat=35.6, lon=36.2, admin1="Idlib"))
    country = _coded(geo_precision=3, admin1=None)
    assert same_place(country, _coded(lat=33.5, lon=36.3, admin1="Dimashq"))
    assert not same_place(country, _coded(lat=33.3, lon=44.4, country="IQ"))


def test_eval_matching_dates_overlap_or_are_both_unknown() -> None:
    assert same_date(_coded(earliest="2016-07-26", latest="2016-08-01"), _coded())
    assert not same_date(_coded(earliest="2016-08-02", latest="2016-08-02"), _coded())
    assert same_date(_coded(earliest=None, latest=None), _coded(earliest=None, latest=None))
    assert not same_date(_coded(earliest=None, latest=None), _coded())


def test_eval_matching_strict_needs_type_place_date_and_toll() -> None:
    assert same_event(_coded(), _coded(sub_event_type="Shelling/artillery/missile attack"))
    assert not same_event(_coded(), _coded(fatalities=13))
    assert not same_event(_coded(), _coded(event_type="Battles"))


def test_eval_matching_is_one_to_one_and_optimal() -> None:
    """A greedy pairing would give the first gold event the system event both could take."""
    gold = [_coded(fatalities=5), _coded(fatalities=12)]
    system = [_coded(fatalities=5), _coded(fatalities=12)]
    weights = {(0, 0): 1.0, (0, 1): 2.0, (1, 1): 2.0}
    pairs = assign(gold, system, lambda g, s: weights.get((gold.index(g), system.index(s)), 0))
    assert sorted(pairs) == [(0, 0), (1, 1)]


def test_eval_gold_schema_refuses_what_the_guidelines_forbid() -> None:
    event = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Islamic State",
        "actor2": None,
        "place": {"name": "Hajin", "lat": 34.69, "lon": 40.83, "country": "SY",
                  "admin1": "Deir ez-Zor", "geo_precision": 1},
        "date": {"earliest": "2018-12-01", "latest": "2018-12-02"},
        "fatalities": 3,
        "evidence": [[0, 10]],
    }  # fmt: skip
    assert validate_event(event).fatalities == 3
    for change, message in (
        ({"sub_event_type": "Air/drone strike"}, "not one of"),
        ({"fatalities": -1}, "whole number"),
        ({"date": {"earliest": "2018-12-03", "latest": "2018-12-02"}}, "before"),
        ({"place": {**event["place"], "country": "Syria"}}, "ISO"),  # type: ignore[dict-item]
    ):
        with pytest.raises(GoldError, match=message):
            validate_event({**event, **change})


def test_eval_events_scores_a_seed_against_gold_the_test_writes(tmp_path: Path) -> None:
    """Seed 001 (bundled): the recapture of al-Qaim is found; a made-up second event is
    missed, so recall is one half and the crash list is empty."""
    retaken = {
        "event_type": "Battles",
        "sub_event_type": "Government regains territory",
        "actor1": "Military Forces of Iraq",
        "actor2": "Islamic State",
        "place": {"name": "Al Qaim", "lat": 34.39, "lon": 40.99, "country": "IQ",
                  "admin1": "Anbar", "geo_precision": 1},
        "date": None,
        "fatalities": 0,
        "evidence": [[0, 100]],
    }  # fmt: skip
    invented = {**retaken, "event_type": "Protests", "sub_event_type": "Peaceful protest"}
    record = {
        "doc": "seed:001_024516dab5a9576a.txt",
        "lang": "de",
        "published": None,
        "events": [retaken, invented],
    }
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = scorer.evaluate(gold, tmp_path / "no-shared-data")
    assert result["gold_events"] == 2
    assert result["strict"]["r"] == 0.5  # type: ignore[index]
    assert result["crashes"] == {}


def test_eval_case2021_scores_acled_and_outside_snippets(tmp_path: Path) -> None:
    path = tmp_path / "case.tsv"
    path.write_text(
        "id\tEventSnippet\tSubType\n"
        "2\tA suicide bomber blew himself up at a checkpoint in Kabul, killing 12 soldiers.\t"
        "SUIC_BOMB\n"
        "4\tHeavy floods swept through three villages, leaving 40 people dead.\t"
        "NATURAL_DISASTER\n",
        encoding="utf-8",
    )
    result = case2021.evaluate(path)
    assert result["snippets"] == 2
    assert result["per_class"]["Suicide bomb"]["n"] == 1  # type: ignore[index]
    assert 0.0 <= result["weighted_f1"] <= 1.0  # type: ignore[operator]
    assert result["detection"] == 1.0


def test_eval_fakes_main_event_governorate_weapon_and_toll(tmp_path: Path) -> None:
    path = tmp_path / "fakes.csv"
    header = (
        "unit_id,article_title,article_content,source,date,location,actor,cause_of_death,"
        "nb_children,nb_civilians,nb_noncivilians,nb_women,label\n"
    )
    row = (
        '1,Strike kills 12,"Russian warplanes struck a market in Idlib city on Monday, '
        'killing 12 civilians, activists said.",x,8/1/16,idlib,'
        "syrian government or russian troops,shelling,0,12,0,0,1\n"
    )
    path.write_text(header + row, encoding="utf-8")
    result = fakes.evaluate(path)
    assert result["articles"] == 1
    assert (result["in_syria"], result["governorate"], result["weapon"]) == (1.0, 1.0, 1.0)
    assert (result["perpetrator"], result["death_toll"]) == (1.0, 1.0)
