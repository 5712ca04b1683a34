"""The conflict-places check on a tiny corpus folder laid out like ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

import corpus_folder
from sitrep.eval import conflict

LIST = (
    "# a note line\n"
    "name\tlat\tlon\tcountry\tspellings\n"
    "Manbij\t36.52815\t37.95495\tSY\tManbij|Menbij|Manbidsch\n"
    "Nowhere\t0.0\t0.0\tSY\tRaqqa\n"  # a deliberately wrong point: its hits count as wrong
)


def _corpus(tmp_path: Path) -> Path:
    return corpus_folder.guardian(
        tmp_path,
        [
            (
                "2019-01-02",
                "Kurdish-led fighters retook the town of Menbij in northern Syria on Monday. "
                "Coalition aircraft struck Raqqa, Syria, the monitor said.",
            ),
            ("2019-01-03", "Talks continued in Geneva."),
        ],
    )


def test_conflict_check_counts_found_and_wrong(tmp_path: Path) -> None:
    places = tmp_path / "places.tsv"
    places.write_text(LIST, encoding="utf-8")
    details: list[dict] = []
    result = conflict.check(places, _corpus(tmp_path), names=("guardian",), details=details)
    assert result["occurrences"] == 2 and result["found"] == 1 and result["wrong"] == 1
    assert result["by_corpus"]["guardian"]["articles"] == 1  # Geneva names no listed place
    outcome = {d["place"]: d for d in details}
    assert outcome["Manbij"]["text"] == "Menbij" and outcome["Manbij"]["km"] <= 30
    assert outcome["Nowhere"]["outcome"] == "wrong" and outcome["Nowhere"]["km"] > 1000


def test_conflict_list_needs_its_columns(tmp_path: Path) -> None:
    places = tmp_path / "places.tsv"
    places.write_text("name\tlat\tlon\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected the columns"):
        conflict.read_list(places)


def test_conflict_spellings_match_whole_words_only() -> None:
    shipped = Path(__file__).resolve().parents[1] / "eval" / "conflict_places.tsv"
    towns = {town.name: town for town in conflict.read_list(shipped)}
    assert len(towns) >= 30
    manbij = towns["Manbij"]
    assert manbij.pattern.search("an assault on Manbidsch begann")
    assert not manbij.pattern.search("Manbijiyya")
