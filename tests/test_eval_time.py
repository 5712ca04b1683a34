"""The TempEval-3-style scorer for `sitrep eval time` on tiny hand-made sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.eval.time import Counts, Gold, evaluate, load, match

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "time"

TML = "\n".join(
    [
        '<?xml version="1.0" ?>',
        "<TimeML>",
        "<DOCID>tiny</DOCID>",
        '<DCT><TIMEX3 tid="t0" type="DATE" value="2013-03-22" '
        'functionInDocument="CREATION_TIME">March 22, 2013</TIMEX3></DCT>',
        "<TEXT>",
        'Officials <EVENT eid="e1" class="REPORTING">said</EVENT> '
        '<TIMEX3 tid="t1" type="DATE" value="2013-03-22">Friday</TIMEX3> that sales in '
        '<TIMEX3 tid="t2" type="DATE" value="2010">2010</TIMEX3> &amp; '
        '<TIMEX3 tid="t3" type="DATE" value="2012">last year</TIMEX3> grew for '
        '<TIMEX3 tid="t4" type="DURATION" value="P2Y">two years</TIMEX3>, unlike in '
        '<TIMEX3 tid="t5" type="DATE" value="XXXX">the past</TIMEX3>.',
        "</TEXT>",
        "</TimeML>",
    ]
)

SGM_KEY = "\n".join(
    [
        "<DOC>",
        "<DOCID>01_Tiny</DOCID>",
        '<DATETIME> <TIMEX2 val="2011-02-16T17:00:00">2011-02-16T17:00:00</TIMEX2> </DATETIME>',
        "<TEXT>",
        'Er wurde am <TIMEX2 val="1950-06-25">25. Juni 1950</TIMEX2> begonnen. '
        '<TIMEX2 val="1950-06-27">Zwei Tage später</TIMEX2> kam die UNO. Im '
        '<TIMEX2 val="1950-09">September</TIMEX2> landeten sie, '
        '<TIMEX2 val="PRESENT_REF">heute</TIMEX2> ist es ruhig.',
        "</TEXT>",
        "</DOC>",
    ]
)


def _write_timeml(tmp_path: Path) -> Path:
    folder = tmp_path / "te3"
    folder.mkdir()
    (folder / "tiny.tml").write_text(TML, encoding="utf-8")
    return folder


def _write_timex2(tmp_path: Path) -> Path:
    folder = tmp_path / "wwde"
    for sub in ("in", "key", "keyinline"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "keyinline" / "01_Tiny.key.xml").write_text(SGM_KEY, encoding="utf-8")
    return folder


def test_eval_time_loads_timeml_text_and_offsets(tmp_path: Path) -> None:
    [doc] = load(_write_timeml(tmp_path), "timeml")
    assert str(doc.dct) == "2013-03-22"
    assert [doc.text[g.start : g.end] for g in doc.gold] == [
        "Friday",
        "2010",
        "last year",
        "two years",
        "the past",
    ]
    assert "&amp;" not in doc.text and " & " in doc.text
    assert "<EVENT" not in doc.text


def test_eval_time_timeml_scores(tmp_path: Path) -> None:
    result = evaluate(_write_timeml(tmp_path), "timeml")
    assert set(result) == {"strict", "relaxed", "value", "n_gold", "n_system"}
    assert result["n_gold"] == 5
    for key in ("strict", "relaxed"):
        assert set(result[key]) == {"p", "r", "f1"}
        assert 0 <= result[key]["f1"] <= 1
    assert result["relaxed"]["r"] == 1.0
    # "the past" is tagged PAST_REF, its gold value is XXXX: 4 of 5 values agree.
    assert result["value"]["accuracy"] == pytest.approx(4 / 5)
    n = result["n_gold"] + result["n_system"]
    assert result["value"]["f1"] == pytest.approx(round(2 * 4 / n, 4))


def test_eval_time_timex2_directory(tmp_path: Path) -> None:
    [doc] = load(_write_timex2(tmp_path), "timex2")
    assert doc.dct is None and doc.narrative and doc.language == "de"
    assert len(doc.gold) == 4  # the DATETIME header is not part of the text
    result = evaluate(_write_timex2(tmp_path), "timex2")
    assert result["strict"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert result["value"] == {"accuracy": 1.0, "f1": 1.0}


def test_eval_time_matching_is_one_to_one() -> None:
    gold = [(0, 10), (12, 20)]
    system = [(0, 20)]
    assert match(gold, system) == [(0, 0)]
    assert sorted(match([(0, 5), (6, 9)], [(6, 9), (0, 5)])) == [(0, 1), (1, 0)]


def test_eval_time_counts_definitions() -> None:
    counts = Counts()
    gold = [Gold(0, 6, "2013-03-22"), Gold(10, 14, "2010"), Gold(20, 29, "P2Y")]
    system = [(0, 6, "2013-03-22"), (10, 16, "2011"), (40, 45, "2012")]
    counts.add(gold, system)
    report = counts.report()
    assert report["strict"] == {"p": round(1 / 3, 4), "r": round(1 / 3, 4), "f1": round(1 / 3, 4)}
    assert report["relaxed"]["f1"] == round(2 * 2 / 6, 4)
    assert report["value"] == {"accuracy": 0.5, "f1": round(2 * 1 / 6, 4)}


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/time is not here")
def test_eval_time_shared_sets_reach_targets() -> None:
    te3 = evaluate(SHARED / "tempeval3-platinum", "timeml")
    wwde = evaluate(SHARED / "wikiwars-de-dev", "timex2")
    assert te3["value"]["f1"] >= 0.82
    assert wwde["value"]["f1"] >= 0.85
