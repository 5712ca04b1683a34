"""The far-places yardstick on a tiny corpus folder laid out like ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

import corpus_folder
from sitrep.eval import far_places

TOWNS = "name\tlat\tlon\tcountry\tspellings\nManbij\t36.52815\t37.95495\tSY\tManbij\n"
HEADER = "doc\tstart\tend\tmention\tresolved\tcountry\tkm\tverdict\tnote\n"


def _corpus(tmp_path: Path) -> Path:
    (tmp_path / "towns.tsv").write_text(TOWNS, encoding="utf-8")
    return corpus_folder.guardian(
        tmp_path,
        [
            (
                "2019-01-02",
                "Kurdish-led fighters retook Manbij in northern Syria on Monday. Syrian "
                "forces shelled Raqqa, Syria. Officials in Washington said the Syrian "
                "army had also moved on Deir ez-Zor.",
            ),
            ("2019-01-03", "Officials in Washington met on Monday."),
        ],
    )


def test_far_places_lists_a_place_far_from_the_articles_country(tmp_path: Path) -> None:
    data = _corpus(tmp_path)
    drawn = far_places.sample(tmp_path / "towns.tsv", 10, data=data, names=("guardian",))
    # the article is set in Syria; Washington is 9,000 km away; the second article names
    # no town of the list and is not read
    assert [(d["doc"], d["mention"], d["country"], d["home"]) for d in drawn] == [
        ("guardian:0", "Washington", "US", "SY")
    ]
    assert drawn[0]["km"] > 8_000 and "Officials in Washington" in drawn[0]["context"]


def test_far_places_scores_the_checked_items_still_resolved_the_same(tmp_path: Path) -> None:
    data = _corpus(tmp_path)
    (far,) = far_places.sample(tmp_path / "towns.tsv", 10, data=data, names=("guardian",))
    checked = tmp_path / "checked.tsv"
    checked.write_text(
        "# a note\n"
        + HEADER
        + f"guardian:0\t{far['start']}\t{far['end']}\tWashington\t{far['resolved']}\tUS\t9000"
        "\tright\tthe US government\n"
        + "guardian:0\t0\t7\tKurdish\tKurdistan\tIQ\t3000\twrong\tno longer far\n"
        # the same name in another country is another place: it needs a new look
        + f"guardian:0\t{far['start']}\t{far['end']}\tWashington\t{far['resolved']}\tGB\t9000"
        "\twrong\ta namesake\n",
        encoding="utf-8",
    )
    result = far_places.score(checked, tmp_path / "towns.tsv", data, names=("guardian",))
    assert result["far_places"] == 1 and result["checked"] == 3
    assert result["checked_unchanged"] == 1 and result["changed_since_checked"] == 2
    assert result["wrong"] == 0 and result["wrong_share"] == 0.0


def test_far_places_checked_file_needs_known_verdicts(tmp_path: Path) -> None:
    checked = tmp_path / "checked.tsv"
    checked.write_text(HEADER + "guardian:0\t1\t2\tX\tY\tUS\t9000\tmaybe\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="verdict must be one of"):
        far_places.read_checked(checked)


def test_far_places_shipped_sample_is_well_formed() -> None:
    shipped = Path(__file__).resolve().parents[1] / "eval" / "far_places.tsv"
    rows = far_places.read_checked(shipped)
    assert len(rows) == 200
    assert {row["verdict"] for row in rows} == {"right", "wrong"}
