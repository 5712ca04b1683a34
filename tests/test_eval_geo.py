"""The geoparsing scorer on tiny files in the LGL and GeoVirus formats."""

from __future__ import annotations

from pathlib import Path

from sitrep.eval.geo import evaluate, read_gold, score_errors

LGL = """<?xml version="1.0" encoding="utf-8"?>
<articles><article docid="1"><text><![CDATA[Fighting in Mosul and Baghdad, Iraq.]]></text>
<toponyms>
<toponym><start>12</start><end>17</end><phrase>Mosul</phrase>
<gaztag geonameid="99072"><name>Mosul</name><fclass>P</fclass><fcode>PPLA</fcode>
<lat>36.335</lat><lon>43.11889</lon></gaztag></toponym>
<toponym><start>22</start><end>29</end><phrase>Baghdad</phrase>
<gaztag geonameid="98182"><name>Baghdad</name>
<lat>33.34058</lat><lon>44.40088</lon></gaztag></toponym>
<toponym><start>31</start><end>35</end><phrase>Iraq</phrase></toponym>
</toponyms></article></articles>"""

GEOVIRUS = """<articles><article><source>x</source>
<text>Cases rose in Basra and Mosul.</text><locations>
<location><name>Basra</name><start>15</start><end>20</end><lat>30.5</lat><lon>47.8</lon>
<page>https://en.wikipedia.org/wiki/Basra</page></location>
</locations></article></articles>"""


def test_eval_geo_read_and_realign(tmp_path: Path) -> None:
    path = tmp_path / "gv.xml"
    path.write_text(GEOVIRUS, encoding="utf-8")
    (article,) = read_gold(path, "geovirus")
    (basra,) = article.toponyms
    assert article.text[basra.start : basra.end] == "Basra"  # off-by-one offsets repaired


def test_eval_geo_resolve_and_end2end(tmp_path: Path) -> None:
    path = tmp_path / "lgl.xml"
    path.write_text(LGL, encoding="utf-8")
    result = evaluate(path, "lgl", "resolve")
    assert result["n"] == 2 and result["acc161"] == 1.0 and result["exact"] == 1.0
    end2end = evaluate(path, "lgl", "end2end")
    for key in ("n", "acc161", "exact", "mean_km", "median_km", "auc", "precision", "recall", "f1"):
        assert key in end2end
    assert end2end["recall"] == 1.0 and end2end["precision"] == 1.0
    gv = tmp_path / "gv.xml"
    gv.write_text(GEOVIRUS, encoding="utf-8")
    assert evaluate(gv, "geovirus", "resolve")["exact"] is None


def test_eval_geo_score_errors() -> None:
    scores = score_errors([0.0, 100.0, 20039.0], [True, False])
    assert scores["acc161"] == round(2 / 3, 4) and scores["exact"] == 0.5
    assert 0 < scores["auc"] < 1 and score_errors([], [])["n"] == 0


def test_eval_geo_details_name_each_outcome(tmp_path: Path) -> None:
    path = tmp_path / "lgl.xml"
    path.write_text(LGL, encoding="utf-8")
    details: list[dict] = []
    evaluate(path, "lgl", "end2end", details)
    by_gold = {d["gold"]: d for d in details if "gold" in d}
    assert by_gold["Mosul"]["outcome"] == "exact" and by_gold["Mosul"]["km"] < 30
    assert by_gold["Baghdad"]["resolved"] == "Baghdad"
    assert all(d["outcome"] in {"exact", "overlap", "missed", "spurious"} for d in details)
